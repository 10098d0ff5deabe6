"""Analytics reads from a read replica (issue 17, lotus.core.replica, docs/adr/0029).

The replica here is a second connection to the same test database (the test settings'
alias "replica", a test mirror of "default"), so each query can be seen going to one connection
or the other, on SQLite and on PostgreSQL alike."""

import pytest
from django.db import connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lotus.core.replica import REPLICA, ReplicaRouter, reads_from_replica, replica_reads_active
from tests.conftest import signed_in_client
from tests.insights.equity_helpers import gap_at_investigation
from tests.ops import test_shared_cache

ROUTED = override_settings(DATABASE_ROUTERS=["lotus.core.replica.ReplicaRouter"])
FRESH_TABLES = ("accounts_", "django_session", "auth_", "audit_", "otp_", "ops_")


BOTH = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture
def replica():
    """The alias "replica": a second connection to the test database (test settings)."""
    return connections[REPLICA]


def _tables(captured) -> set[str]:
    found = set()
    for query in captured.captured_queries:
        sql = query["sql"].replace('"', "")
        found.update(word for word in sql.replace("(", " ").replace(",", " ").split() if "_" in word and
                     word.split("_")[0] in {"accounts", "django", "auth", "audit", "otp", "ops", "cases", "triage",
                                            "panels", "letters", "support", "learning", "insights", "practitioners"})
    return found


@pytest.mark.parametrize(("url", "role"), [("/insights/equity/", "analyst"), ("/insights/themes/", "analyst"),
                                           ("/insights/triage-agreement/", "administrator")])
@BOTH
def test_an_insights_page_reads_case_data_from_the_replica_and_access_control_from_the_primary(
        world, replica, url, role):
    gap_at_investigation(world.organisation, year=2025, per_group=6)
    client = signed_in_client(world.users[role])
    with ROUTED, CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as copy:
        response = client.get(url)
    assert response.status_code == 200
    on_replica, on_primary = _tables(copy), _tables(primary)
    assert "cases_case" in on_replica and "cases_case" not in on_primary
    assert not [table for table in on_replica if table.startswith(FRESH_TABLES)], on_replica
    assert {"django_session", "accounts_user"} <= on_primary  # who is asking, read fresh
    assert "audit_auditevent" in on_primary  # and the read recorded there
    assert all(query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
               for query in copy.captured_queries), "nothing is written to a replica"


@BOTH
def test_other_pages_and_writes_stay_on_the_primary(world, replica):
    client = signed_in_client(world.users["case_manager"])
    with ROUTED, CaptureQueriesContext(replica) as copy:
        assert client.get(f"/cases/{world.case.pk}/").status_code == 200
        assert client.get("/").status_code == 200
    assert copy.captured_queries == []


@BOTH
def test_the_router_keeps_reads_inside_a_transaction_and_without_a_replica_on_the_primary(world, replica):
    from django.db import transaction

    from lotus.accounts.models import User
    from lotus.cases.models import Case

    router = ReplicaRouter()
    assert router.db_for_read(Case) is None  # outside a marked view
    seen = []

    @reads_from_replica
    def view():
        seen.append((replica_reads_active(), router.db_for_read(Case), router.db_for_read(User)))
        with transaction.atomic():
            seen.append((replica_reads_active(), router.db_for_read(Case), router.db_for_read(User)))

    view()
    assert seen == [(True, REPLICA, None), (True, None, None)]
    assert not replica_reads_active()  # the mark ends with the view
    assert router.db_for_write(Case) == "default"
    assert router.allow_migrate(REPLICA, "cases") is False and router.allow_migrate("default", "cases") is True


def test_without_a_replica_configured_a_marked_view_reads_the_primary(world, monkeypatch):
    from lotus.cases.models import Case
    from lotus.core import replica

    assert replica.replica_configured()  # the test settings' alias
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    assert reads_from_replica(lambda: ReplicaRouter().db_for_read(Case))() is None


def settings_in_a_new_process(script: str, **env):
    """The settings read afresh with only the database variables given here."""
    cleared = dict.fromkeys(("DATABASE_URL", "DATABASE_REPLICA_URL", "DATABASE_URL_FILE", "DATABASE_REPLICA_URL_FILE"), "")
    return test_shared_cache.settings_in_a_new_process(script, **{**cleared, **env})


SHOW = ("from django.conf import settings; print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "settings.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'))")


def test_the_setting_adds_the_replica_and_the_router():
    result = settings_in_a_new_process(SHOW, DATABASE_URL="postgres://lotus@db.example:5432/lotus",
                                       DATABASE_REPLICA_URL="postgres://lotus_read@replica.example:5432/lotus")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default', 'replica'] ['lotus.core.replica.ReplicaRouter'] default"
    unset = settings_in_a_new_process(SHOW, DATABASE_URL="postgres://lotus@db.example:5432/lotus")
    assert unset.stdout.strip() == "['default'] [] None"


@pytest.mark.parametrize(("env", "message"), [
    ({"DATABASE_REPLICA_URL": "postgres://lotus_read@replica.example:5432/lotus"},
     "DATABASE_REPLICA_URL needs DATABASE_URL"),
    ({"DATABASE_URL": "postgres://lotus@db.example:5432/lotus", "DATABASE_REPLICA_URL": "replica.example:5432"},
     "DATABASE_REPLICA_URL must be a database URL"),
    ({"DATABASE_URL": "postgres://lotus@db.example:5432/lotus",
      "DATABASE_REPLICA_URL": "sqlite:////tmp/s3cret-copy.sqlite3"},
     "DATABASE_REPLICA_URL must name the same kind of database"),
])
def test_a_wrong_replica_setting_stops_start_up_naming_the_variable(env, message):
    result = settings_in_a_new_process(SHOW, **env)
    assert result.returncode != 0
    assert f"SettingError: {message}" in result.stderr
    assert "s3cret" not in result.stderr.splitlines()[-1]


@BOTH
@pytest.mark.parametrize("url", ["/insights/icb/", "/insights/icb/equity/"])
def test_an_icbs_views_read_memberships_from_the_primary(world, replica, url):
    from tests.insights.report_fixtures import make_icb

    icb = make_icb(world)
    gap_at_investigation(world.organisation, year=2025, per_group=6)
    client = signed_in_client(icb.users["icb_analyst"])
    with ROUTED, CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as copy:
        response = client.get(url)
    assert response.status_code == 200
    assert "cases_case" in _tables(copy)
    assert any(table.startswith("accounts_") and "membership" in table for table in _tables(primary))
    assert not [table for table in _tables(copy) if table.startswith(FRESH_TABLES)]
