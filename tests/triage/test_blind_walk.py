"""Issue 19 point 7: a reviewer who has not scored yet sees no practitioner name or
registration number anywhere they can reach for the case, pages and API alike. The case
URLs are enumerated from the URL resolver, so a new case URL is walked automatically."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from lotus.api.services import api_token_create
from lotus.cases.models import Case, CaseTeamMember, Task
from lotus.triage import services
from lotus.triage.models import TriageReview
from tests.api.conftest import bearer_client
from tests.conftest import signed_in_client
from tests.factories import TOTPDeviceFactory, UserFactory
from tests.triage.conftest import score, start

pytestmark = pytest.mark.django_db

LISTS = ["cases:list_cases", "api:v1:list_cases", "triage:triage_queue", "triage:my_reviews"]


def _params(pattern) -> set[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return set(converters)
    return set(pattern.pattern.regex.groupindex)


def case_url_names() -> list[str]:
    """Every named URL whose only argument is the case's id."""
    names = []

    def walk(patterns, namespaces, params):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                spaces = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, spaces, params | _params(pattern))
            elif isinstance(pattern, URLPattern) and pattern.name and params | _params(pattern) == {"case_id"}:
                names.append(":".join([*namespaces, pattern.name]))

    walk(get_resolver().url_patterns, [], set())
    return sorted(set(names))


def test_the_walk_finds_the_case_urls():
    names = case_url_names()
    for expected in ("cases:show_case", "api:v1:show_case", "api:v1:case_timeline", "api:v1:list_tasks",
                     "triage:second_review"):
        assert expected in names


def _list_url(name: str) -> str | None:
    try:
        return reverse(name)
    except Exception:  # noqa: BLE001 - a list the project does not have
        return None


def walk(user, case) -> dict[str, str]:
    """The body of every case URL and case list `user` can GET, by URL."""
    page_client = signed_in_client(user)
    api_client = bearer_client(api_token_create(actor=None, user=user, name="walk", expires_days=30).raw)
    urls = [url for url in (_list_url(name) for name in LISTS) if url]
    urls += [reverse(name, kwargs={"case_id": case.pk}) for name in case_url_names()]
    bodies = {}
    for url in urls:
        client = api_client if url.startswith("/api/") else page_client
        response = client.get(url)
        if response.status_code == 200 and not getattr(response, "streaming", False):
            bodies[url] = response.content.decode(errors="replace")
    return bodies


def _declaration_pages(case) -> set[str]:
    """The conflict of interest questions name the practitioner on purpose: nobody can
    declare a conflict with an unnamed person (ADR 0012). Their number stays hidden."""
    return {reverse(name, kwargs={"case_id": case.pk}) for name in ("triage:start_review", "triage:second_review")}


def _assert_blind(bodies: dict[str, str], practitioner, case) -> None:
    assert "/api/v1/cases/" in bodies and "/cases/" in bodies  # the walk did reach the lists
    declaring = _declaration_pages(case)
    leaks = [
        (url, secret)
        for url, body in bodies.items()
        for secret in (practitioner.full_name, practitioner.registration_number)
        if secret and secret in body and not (url in declaring and secret == practitioner.full_name)
    ]
    context = [body[max(0, body.find(secret) - 150): body.find(secret) + 40] for url, secret in leaks
               for body in [bodies[url]]]
    assert leaks == [], context


def _name_in_text(world, case):
    """A timeline entry and a task that name the practitioner (as a case manager might write)."""
    practitioner = world.practitioner
    case.timeline.create(kind="note", occurred_at=timezone.now(), title=f"Call with {practitioner.full_name}",
                         detail=f"Registration {practitioner.registration_number} checked.")
    Task.objects.create(case=case, title=f"Write to {practitioner.full_name}", owner=world.users["case_manager"],
                            due_on=case.received_on)


@pytest.fixture
def second_advisor(world):
    user = UserFactory(organisation=world.organisation, full_name="Second Walker", roles=("professional_advisor",))
    TOTPDeviceFactory(user=user)
    return user


def test_a_second_reviewer_asked_but_not_scored_sees_no_name_anywhere(world, submitted_review, second_advisor):
    case = Case.objects.get(pk=submitted_review.case_id)
    _name_in_text(world, case)
    CaseTeamMember.objects.get_or_create(case=case, user=second_advisor)
    services.second_review_request(actor=world.users["case_manager"], case=Case.objects.get(pk=case.pk),
                                   reviewer=second_advisor)
    bodies = walk(second_advisor, case)
    assert any("/timeline/" in url for url in bodies) and any("/tasks/" in url for url in bodies)
    _assert_blind(bodies, world.practitioner, case)

    review = TriageReview.objects.get(case=case, kind="second")
    services.second_review_declare(actor=second_advisor, review=review, has_conflict=False)
    score(review, second_advisor)
    after = walk(second_advisor, case)
    name = world.practitioner.full_name
    for url in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/", f"/cases/{case.pk}/",
                f"/api/v1/cases/{case.pk}/timeline/", f"/api/v1/cases/{case.pk}/tasks/"):
        assert name in after[url], url


def test_a_first_reviewer_scoring_blind_sees_no_name_anywhere(world, in_triage, advisor):
    _name_in_text(world, in_triage)
    review = start(in_triage, advisor)
    _assert_blind(walk(advisor, in_triage), world.practitioner, in_triage)

    score(review, advisor)
    after = walk(advisor, in_triage)
    assert world.practitioner.full_name in after["/api/v1/cases/"]
    assert world.practitioner.full_name in after[f"/api/v1/cases/{in_triage.pk}/timeline/"]
