"""Pages do a bounded number of SQL queries whatever the data size (DESIGN: Speed).

The case list (filtered, first page) and the case page are each fetched with few cases
and with many, every case carrying timeline events, tasks and documents; the number of
queries must not change. A difference means a query per row (N+1) somewhere.
"""

import datetime as dt
import re
import secrets

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotus.cases.models import Document
from tests.factories import CaseFactory, PractitionerFactory, TaskFactory, TimelineEventFactory

FEW, MANY = 5, 60


def add_cases(world, count: int, *, children: int = 3) -> list:
    """Cases in triage on the case manager's team, each with events, tasks and documents."""
    users = world.users
    staff = [users[name] for name in ("case_manager", "professional_advisor", "panel_member", "administrator")]
    today = timezone.localdate()
    cases = []
    for n in range(count):
        # A practitioner each, so the rows cannot share one cached object.
        practitioner = PractitionerFactory(organisation=world.organisation)
        case = CaseFactory(
            organisation=world.organisation,
            practitioner=practitioner,
            owner=users["case_manager"] if n % 2 else users["administrator"],
            status="triage",
            received_on=today - dt.timedelta(days=n % 40),
            team=[users["case_manager"], users["professional_advisor"]],
        )
        add_children(case, staff, children)
        cases.append(case)
    return cases


def add_children(case, staff: list, count: int) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for i in range(count):
        actor = staff[i % len(staff)]
        TimelineEventFactory(case=case, actor=actor, title=f"Note {i}")
        TaskFactory(
            case=case,
            owner=actor,
            due_on=today + dt.timedelta(days=(-3 if i % 2 else 5)),
            done_at=now if i % 3 == 2 else None,
        )
        Document.objects.create(
            case=case,
            title=f"Statement {i}",
            original_name=f"statement-{i}.pdf",
            stored_name=secrets.token_hex(24),
            media_type="application/pdf",
            size_bytes=1024 * (i + 1),
            sha256="0" * 64,
            uploaded_by=actor,
            uploaded_at=now,
            withdrawn_at=now if i % 2 else None,
            withdrawn_by=staff[(i + 1) % len(staff)] if i % 2 else None,
            withdrawn_reason="Sent in error" if i % 2 else "",
        )


def count_queries(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), [query["sql"] for query in captured.captured_queries]


def explain(label: str, few: list[str], many: list[str]) -> str:
    lines = [f"{label}: {len(few)} queries with {FEW} cases, {len(many)} with {MANY}"]
    lines += [f"  {FEW}: {sql[:160]}" for sql in few]
    lines += [f"  {MANY}: {sql[:160]}" for sql in many]
    return "\n".join(lines)


LIST_URLS = [
    ("case_manager", "/cases/?status=triage"),
    ("case_manager", "/cases/?status=triage&overdue=on&sort=practitioner"),
    ("administrator", "/cases/?profession=medical&sort=reference"),
    ("administrator", "/cases/?status=triage&overdue=on"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url"), LIST_URLS)
def test_case_list_queries_do_not_grow_with_cases(world, client_for, role, url):
    client = client_for(role)
    add_cases(world, FEW)
    client.get(url)  # warm any per-process caches before counting
    few_count, few = count_queries(client, url)

    add_cases(world, MANY - FEW)
    many_count, many = count_queries(client, url)
    rows = re.findall(rb'href="/cases/\d+/"', client.get(url).content)
    assert len(rows) == settings.LOTUS_CASES_PER_PAGE  # a full first page, then more pages

    assert few_count == many_count, explain(f"GET {url} as {role}", few, many)


@pytest.mark.django_db
# A pastoral contact can no longer open a case (docs/adr/0016), so is not counted here.
@pytest.mark.parametrize("role", ["case_manager", "administrator", "professional_advisor"])
def test_case_page_queries_do_not_grow_with_cases(world, client_for, role):
    client = client_for(role)
    first = add_cases(world, FEW)[0]
    url = f"/cases/{first.pk}/"
    client.get(url)
    few_count, few = count_queries(client, url)

    add_cases(world, MANY - FEW)
    many_count, many = count_queries(client, url)

    assert few_count == many_count, explain(f"GET {url} as {role}", few, many)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["case_manager", "administrator"])
def test_case_page_queries_do_not_grow_with_its_own_events_tasks_and_documents(world, client_for, role):
    """The page's own lists (timeline, tasks, documents, team, audit trail) must not go N+1."""
    client = client_for(role)
    staff = [world.users[name] for name in ("case_manager", "professional_advisor", "panel_member", "administrator")]
    small, large = add_cases(world, 2, children=1)
    add_children(large, staff, 12)
    for member in ("panel_member", "administrator"):
        large.team.create(user=world.users[member])
    client.get(f"/cases/{small.pk}/")
    small_count, small_sql = count_queries(client, f"/cases/{small.pk}/")
    large_count, large_sql = count_queries(client, f"/cases/{large.pk}/")
    assert small_count == large_count, explain(f"case page as {role}", small_sql, large_sql)
