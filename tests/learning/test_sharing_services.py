"""Learning summaries through their services: written, refused on approval while they
hold the practitioner's name, the case reference or a date closer than the month (the
place named, nothing saved), approved by a second person, withdrawn with a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.services import StaleEdit
from lotus.learning.models import LearningSummary, SummaryStatus
from lotus.learning.services import sharing
from tests.learning.action_fixtures import approve_review, make_review


@pytest.fixture
def reviewed(world):
    return make_review(world)


def _write(world, reviewed, *, actor="case_manager", **overrides):
    values = {
        "actor": world.users[actor], "review": reviewed.review, "title": "Locums and test results",
        "month": timezone.localdate().replace(day=12), "profession": "medical",
        "what_happened": "A locum doctor did not see abnormal results for a week while the clinic ran late.",
        "what_was_learnt": "Locums had no induction to the results system.",
        "what_changed": "Every locum now has a structured induction.",
        "factor_ids": [reviewed.problem_factor.factor_id],
    }
    values.update(overrides)
    existing = LearningSummary.objects.filter(review=reviewed.review).first()
    return sharing.summary_write(expected_version=existing.version if existing else None, **values)


def _approve(world, summary, actor="administrator"):
    summary.refresh_from_db()
    return sharing.summary_approve(actor=world.users[actor], summary=summary, expected_version=summary.version)


@pytest.mark.django_db
def test_a_summary_is_written_with_the_month_only_and_the_reviews_factors(world, reviewed):
    summary = _write(world, reviewed)
    assert summary.month == timezone.localdate().replace(day=1)
    assert summary.status == SummaryStatus.DRAFT
    assert [f.code for f in summary.factors.all()] == ["fair.induction"]
    assert AuditEvent.objects.filter(object_type="learning_summary", object_id=str(summary.pk),
                                     action="create").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"what_happened": " "}, "what_happened"),
        ({"what_was_learnt": ""}, "what_was_learnt"),
        ({"month": None}, "month"),
        ({"month": timezone.localdate().replace(day=1) + dt.timedelta(days=40)}, "month"),
        ({"profession": "astronaut"}, "profession"),
        ({"factor_ids": [999999]}, "factors"),
    ],
)
def test_bad_input_on_writing_names_the_field_and_saves_nothing(world, reviewed, overrides, field):
    with pytest.raises(ValidationError) as raised:
        _write(world, reviewed, **overrides)
    assert field in raised.value.message_dict
    assert not LearningSummary.objects.exists()


@pytest.mark.django_db
def test_a_factor_not_found_by_this_review_is_refused(world, reviewed):
    from lotus.learning.models import Factor

    elsewhere = Factor.objects.get(code="fair.out_group", organisation__isnull=True)
    with pytest.raises(ValidationError) as raised:
        _write(world, reviewed, factor_ids=[elsewhere.pk])
    assert "factors" in raised.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "inserted", "said"),
    [
        ("what_happened", "{name} did not see the results", "the practitioner's name"),
        ("title", "Learning from {reference}", "the case reference or registration number"),
        ("what_was_learnt", "Seen first on 3 March, then lost", "a date closer than the month"),
        ("what_changed", "Registration {registration} was checked", "the case reference or registration number"),
    ],
)
def test_approval_is_refused_with_the_place_named_while_it_identifies(world, reviewed, field, inserted, said):
    approve_review(world, reviewed.review)
    case = reviewed.review.case
    text = inserted.format(name=case.practitioner.full_name, reference=case.reference,
                           registration=case.practitioner.registration_number)
    summary = _write(world, reviewed, **{field: text})
    with pytest.raises(ValidationError) as raised:
        _approve(world, summary)
    assert list(raised.value.message_dict) == [field]
    message = raised.value.message_dict[field][0]
    assert message.startswith(f"{sharing.SHARED_FIELDS[field]} still has {said}")
    summary.refresh_from_db()
    assert (summary.status, summary.approved_by, summary.approved_at) == ("draft", None, None)
    assert not AuditEvent.objects.filter(object_type="learning_summary", action="change",
                                         details__approved=True).exists()


@pytest.mark.django_db
def test_every_place_is_named_at_once(world, reviewed):
    approve_review(world, reviewed.review)
    name = reviewed.review.case.practitioner.full_name
    summary = _write(world, reviewed, title=f"About {name}", what_changed=f"{name} was inducted on 4/5/2026")
    with pytest.raises(ValidationError) as raised:
        _approve(world, summary)
    assert sorted(raised.value.message_dict) == ["title", "what_changed"]
    assert "a date closer than the month" in raised.value.message_dict["what_changed"][0]


@pytest.mark.django_db
def test_the_writer_cannot_approve_their_own_summary(world, reviewed):
    approve_review(world, reviewed.review)
    summary = _write(world, reviewed, actor="administrator")
    with pytest.raises(ValidationError) as raised:
        _approve(world, summary, actor="administrator")
    assert raised.value.message_dict["checked"][0].startswith("You wrote this summary")


@pytest.mark.django_db
def test_a_summary_is_shared_only_once_the_review_is_approved(world, reviewed):
    summary = _write(world, reviewed)
    with pytest.raises(ValidationError) as raised:
        _approve(world, summary)
    assert raised.value.message_dict["checked"] == ["Approve the review before its summary is shared"]


@pytest.mark.django_db
def test_approved_by_a_second_person_then_changed_then_withdrawn(world, reviewed):
    approve_review(world, reviewed.review)
    summary = _approve(world, _write(world, reviewed))
    assert (summary.status, summary.approved_by) == ("approved", world.users["administrator"])
    # A change takes it out of the library until it is approved again.
    changed = _write(world, reviewed, what_changed="Every locum is inducted, and the rota has slack for results.")
    assert (changed.status, changed.approved_by) == ("draft", None)
    summary = _approve(world, changed)
    with pytest.raises(ValidationError) as raised:
        sharing.summary_withdraw(actor=world.users["case_manager"], summary=summary,
                                 expected_version=summary.version, reason=" ")
    assert "reason" in raised.value.message_dict
    withdrawn = sharing.summary_withdraw(actor=world.users["case_manager"], summary=summary,
                                         expected_version=summary.version, reason="The practice asked us to")
    assert (withdrawn.status, withdrawn.withdrawn_reason) == ("withdrawn", "The practice asked us to")
    assert LearningSummary.objects.filter(pk=summary.pk).exists()  # kept, never deleted


@pytest.mark.django_db
def test_a_stale_summary_form_saves_nothing(world, reviewed):
    summary = _write(world, reviewed)
    with pytest.raises(StaleEdit):
        sharing.summary_write(
            actor=world.users["case_manager"], review=reviewed.review, title="Other", month=summary.month,
            profession="", what_happened="x", what_was_learnt="y", what_changed="", factor_ids=[],
            expected_version=summary.version - 1 if summary.version > 1 else 99,
        )
    summary.refresh_from_db()
    assert summary.title == "Locums and test results"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "panel_member", "pastoral_contact", "off_team_case_manager"])
def test_only_the_review_team_and_case_managers_write_a_summary(world, reviewed, role):
    with pytest.raises(PermissionDenied):
        _write(world, reviewed, actor=role)
