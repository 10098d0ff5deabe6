"""The factor vocabulary by token (issue 12; ADR 0024): the standard list and the
organisation's own, retired factors flagged; an administrator adds and retires a local
factor; one in use is never deleted."""

import pytest

from lotus.audit.models import AuditEvent
from lotus.learning import services
from lotus.learning.models import Factor
from tests.api.conftest import API
from tests.learning.action_fixtures import make_review

pytestmark = pytest.mark.django_db
JSON = "application/json"
FACTORS = f"{API}/learning/factors/"


def _all(client, query: str = "") -> list[dict]:
    found, url = [], FACTORS + query
    while url:
        body = client.get(url).json()
        found += body["results"]
        url = body["next"]
    return found


@pytest.fixture
def local(world):
    return services.local_factor_add(actor=world.users["administrator"], category="team",
                                     title="Handover between sites")


@pytest.fixture
def foreign(world):
    return services.local_factor_add(actor=world.users["other_org_administrator"], category="team",
                                     title="Rota gaps at weekends")


def test_staff_read_the_standard_list_and_their_own_local_factors_with_retired_ones_flagged(
    world, api_for, local, foreign
):
    retired = services.local_factor_add(actor=world.users["administrator"], category="patient",
                                        title="Interpreters booked late")
    services.local_factor_retire(actor=world.users["administrator"], factor=retired, reason="Now in the standard list")
    factors = {f["id"]: f for f in _all(api_for("professional_advisor"))}
    assert foreign.pk not in factors
    assert factors[local.pk]["local"] is True and factors[local.pk]["category"]["code"] == "team"
    assert factors[retired.pk]["retired"] is True
    assert factors[retired.pk]["retired_reason"] == "Now in the standard list"
    standard = Factor.objects.filter(organisation__isnull=True).count()
    assert sum(1 for f in factors.values() if not f["local"]) == standard
    only_local = {f["id"] for f in _all(api_for("professional_advisor"), "?local=true")}
    assert only_local == {local.pk, retired.pk}
    assert {f["id"] for f in _all(api_for("professional_advisor"), "?local=true&retired=false")} == {local.pk}
    team = _all(api_for("professional_advisor"), "?category=team")
    assert team and {f["category"]["code"] for f in team} == {"team"}


def test_another_organisations_local_factor_is_not_found(world, api_for, foreign):
    assert api_for("administrator").get(f"{FACTORS}{foreign.pk}/").status_code == 404
    assert api_for("other_org_administrator").get(f"{FACTORS}{foreign.pk}/").status_code == 200


def test_an_administrator_adds_a_local_factor(world, api_for):
    response = api_for("administrator").post(FACTORS, {"category": "team", "title": "Handover between sites"},
                                             content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["local"], body["retired"], body["reviews_coded"], body["category"]["code"]) == (True, False, 0, "team")
    assert Factor.objects.get(pk=body["id"]).organisation_id == world.organisation.pk
    assert AuditEvent.objects.filter(action="create", object_type="learning_factor", object_id=str(body["id"])).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "no-such-category", "title": "A factor"}, "category"),
        ({"category": "team", "title": "   "}, "title"),
        ({"category": "team", "title": "Handover between sites"}, "title"),  # already a local factor
    ],
)
def test_a_bad_local_factor_names_the_field_and_saves_nothing(world, api_for, local, body, field):
    before = Factor.objects.count()
    response = api_for("administrator").post(FACTORS, body, content_type=JSON)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Factor.objects.count() == before


def test_only_an_administrator_changes_the_vocabulary(world, api_for, local):
    manager = api_for("case_manager")
    assert manager.post(FACTORS, {"category": "team", "title": "Another"}, content_type=JSON).status_code == 404
    assert manager.post(f"{FACTORS}{local.pk}/retire/", {"reason": "Old"}, content_type=JSON).status_code == 404
    assert manager.delete(f"{FACTORS}{local.pk}/").status_code == 404
    standard = Factor.objects.filter(organisation__isnull=True).first()
    assert api_for("administrator").delete(f"{FACTORS}{standard.pk}/").status_code == 404
    assert Factor.objects.filter(pk__in=[local.pk, standard.pk]).count() == 2


def test_a_local_factor_is_retired_with_a_reason(world, api_for, local):
    admin = api_for("administrator")
    refused = admin.post(f"{FACTORS}{local.pk}/retire/", {"reason": " "}, content_type=JSON)
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["reason"]
    response = admin.post(f"{FACTORS}{local.pk}/retire/", {"reason": "Merged into another"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["retired"] is True
    again = admin.post(f"{FACTORS}{local.pk}/retire/", {"reason": "Merged into another"}, content_type=JSON)
    assert again.status_code == 400 and list(again.json()["errors"]) == ["reason"]


def test_a_local_factor_in_use_is_not_deleted_and_one_unused_is(world, api_for, local):
    reviewed = make_review(world)
    services.factor_code(actor=world.users["professional_advisor"], review=reviewed.review, category="team",
                         factor_id=local.pk, evidence="Handover notes were lost", scope="system",
                         problem_id=reviewed.review.problems.get().pk)
    admin = api_for("administrator")
    refused = admin.delete(f"{FACTORS}{local.pk}/")
    assert refused.status_code == 400
    assert "Retire it instead" in refused.json()["errors"]["factor"][0]
    assert Factor.objects.filter(pk=local.pk).exists()
    assert admin.get(f"{FACTORS}{local.pk}/").json()["reviews_coded"] == 1

    unused = services.local_factor_add(actor=world.users["administrator"], category="team", title="Added by mistake")
    assert admin.delete(f"{FACTORS}{unused.pk}/").status_code == 204
    assert not Factor.objects.filter(pk=unused.pk).exists()
    event = AuditEvent.objects.filter(action="withdraw", object_type="learning_factor", object_id=str(unused.pk)).get()
    assert event.details["title"] == "Added by mistake"


def test_analysts_and_practitioners_do_not_read_the_vocabulary(world, api_for):
    for role in ("analyst", "practitioner"):
        assert api_for(role).get(FACTORS).status_code == 404
