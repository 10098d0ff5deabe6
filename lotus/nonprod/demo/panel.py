"""The demo's panel meeting of last week, with decisions and outcome letters."""

import datetime as dt
import random

from django.utils import timezone

from lotus.accounts.models import Organisation, RoleGrant, User
from lotus.accounts.roles import Role
from lotus.cases import services as case_services
from lotus.cases.workflow import Status
from lotus.nonprod.demo.caseload import demo_triage_review
from lotus.nonprod.demo.people import ORGANISATIONS, caseload_cases

DEMO_PANEL_MEMBERS = [("panel2@demo.lotus.test", "Dr Lee Second"), ("panel3@demo.lotus.test", "Dr Kim Third")]


PRACTITIONER_EMAIL = "practitioner@demo.lotus.test"


def panel_members(home: Organisation) -> list[User]:
    """The demo panel: its chair and two more members (who have no password: they never
    sign in, they only make the meetings quorate)."""
    members = [User.objects.get(email="panel@demo.lotus.test")]
    for email, name in DEMO_PANEL_MEMBERS:
        member = User.objects.filter(email=email).first()
        if member is None:
            member = User.objects.create_user(email, None, full_name=name, organisation=home,
                                              job_title="Panel member", mfa_exempt_in_demo=True)
            RoleGrant.objects.create(user=member, role=Role.PANEL_MEMBER)
        members.append(member)
    return members


def load_panel() -> None:
    """A PAG meeting a week ago with three cases: the demo practitioner's decided, its
    outcome letter approved and sent to their portal with a consent request; a second
    decided with its letter still a draft (overdue); a third still to discuss."""
    from lotus.letters import services as letter_services
    from lotus.panels import services as panel_services
    from lotus.panels.models import AgendaItem

    home = Organisation.objects.filter(code=ORGANISATIONS[0][1]).first()
    if home is None or AgendaItem.objects.filter(case__practitioner__user__email=PRACTITIONER_EMAIL).exists():
        return
    manager = User.objects.get(email="case.manager@demo.lotus.test")
    admin = User.objects.get(email="admin@demo.lotus.test")
    members = panel_members(home)
    chair = members[0]
    from lotus.cases.models import Case

    # The caseload's cases only: the year's history has its own meetings.
    waiting = list(caseload_cases().filter(organisation=home, status=Status.AWAITING_PANEL).order_by("received_on", "id"))
    # The demo practitioner's case that has not yet been to a panel (their other one is
    # under investigation).
    own = Case.objects.filter(
        practitioner__user__email=PRACTITIONER_EMAIL,
        status__in=[Status.RECEIVED, Status.TRIAGE, Status.AWAITING_PANEL],
    ).order_by("id").first()
    if own is not None and own.status in (Status.RECEIVED, Status.TRIAGE, Status.AWAITING_PANEL):
        if own.status != Status.AWAITING_PANEL:
            if own.status == Status.RECEIVED:
                case_services.case_transition(actor=own.owner, case=own, target=Status.TRIAGE,
                                              reason="Triage started for the demo panel")
            own.refresh_from_db()
            # Issue 19: the case goes to the panel the proper way, with its triage shared.
            advisor = own.team.filter(user__role_grants__role="professional_advisor").first().user
            demo_triage_review(random.Random(own.pk), own, advisor, own.owner, submit=True)
            own.refresh_from_db()
        waiting = [own] + [c for c in waiting if c.pk != own.pk]
    if not waiting:
        return
    held_on = timezone.localdate() - dt.timedelta(days=7)
    meeting = panel_services.meeting_schedule(actor=manager, held_on=held_on, chair_id=chair.pk,
                                              member_ids=[m.pk for m in members], location="Board room, Northmoor House")
    items = [panel_services.item_add(actor=manager, meeting=meeting, case=case,
                                     decisions_sought="Decide what happens next") for case in waiting[:3]]
    # Everyone came, with the planned chair in the chair, and declared for the items decided.
    panel_services.attendance_record(actor=admin, meeting=meeting, attended_ids=[m.pk for m in members],
                                     chaired_by_id=chair.pk)
    for decided in items[:2]:
        for member in members:
            panel_services.conflict_declare(actor=member, item=decided, has_conflict=False)
    # A case manager runs the meeting only for cases they are on the team of; the
    # administrator records decisions for the demo.
    first = panel_services.decision_record(
        actor=admin, item=items[0], outcomes=["request_reflections", "occupational_health"],
        rationale="the panel would like to hear your side, and to understand any health needs, before it decides.",
        next_review_on=held_on + dt.timedelta(days=56),
        actions=[{"description": "Ask the practitioner for their reflections", "owner": items[0].case.owner_id,
                  "due_on": held_on + dt.timedelta(days=21)}],
    )
    letter = first.letters.get()
    letter = letter_services.letter_approve(actor=letter.case.owner, letter=letter, expected_version=letter.version)
    letter_services.letter_send(actor=admin, letter=letter, channel="portal", sent_on=held_on + dt.timedelta(days=2))
    if len(items) > 1:
        panel_services.decision_record(
            actor=admin, item=items[1], outcomes=["investigation"],
            rationale="the concerns are serious enough that the facts need to be found out fairly and carefully.",
            next_review_on=held_on + dt.timedelta(days=84),
        )
