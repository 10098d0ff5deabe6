"""Fictional demo data. Never installed in production settings.

Every name, number and organisation here is invented. The generator is seeded, so two
runs produce the same data, and it is idempotent: a second run changes nothing.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import Organisation, RoleGrant, User
from lotus.accounts.roles import Role
from lotus.cases import services as case_services
from lotus.cases.models import Category, Source
from lotus.cases.workflow import Status
from lotus.core.models import ServiceFlag
from lotus.practitioners.models import (
    ContractContext,
    Disability,
    EqualityMonitoring,
    EthnicCategory,
    Practitioner,
    Profession,
    Sex,
)
from lotus.practitioners.services import graduate_route_for

DEMO_PASSWORD = "lotus-demo-2026"  # noqa: S105 - fictional accounts, demo mode only

ORGANISATIONS = [
    ("Northmoor NHS Region (fictional)", "XDM01", Organisation.Kind.REGION, "LOT"),
    ("Eastbrook Integrated Care Board (fictional)", "XDM02", Organisation.Kind.ICB, "EBK"),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    roles: tuple[Role, ...]
    organisation_index: int = 0
    job_title: str = ""


DEMO_USERS = [
    DemoUser("admin@demo.lotus.test", "Alex Administrator", (Role.ADMINISTRATOR,), job_title="Professional standards lead"),
    DemoUser("case.manager@demo.lotus.test", "Casey Manager", (Role.CASE_MANAGER,), job_title="Professional standards officer"),
    DemoUser("case.manager2@demo.lotus.test", "Morgan Okafor", (Role.CASE_MANAGER,), job_title="Professional standards officer"),
    DemoUser("advisor@demo.lotus.test", "Dr Priya Advisor", (Role.PROFESSIONAL_ADVISOR,), job_title="Professional advisor"),
    DemoUser("panel@demo.lotus.test", "Dr Sam Panel", (Role.PANEL_MEMBER,), job_title="Responsible officer"),
    DemoUser("pastoral@demo.lotus.test", "Jo Pastoral", (Role.PASTORAL_CONTACT,), job_title="Pastoral contact"),
    DemoUser("practitioner@demo.lotus.test", "Dr Robin Practitioner", (Role.PRACTITIONER,)),
    DemoUser("analyst@demo.lotus.test", "Ari Analyst", (Role.ANALYST,), job_title="ICB analyst"),
    DemoUser("admin@eastbrook.lotus.test", "Eden Eastbrook", (Role.ADMINISTRATOR,), organisation_index=1),
    DemoUser("case.manager@eastbrook.lotus.test", "Harper Eastbrook", (Role.CASE_MANAGER,), organisation_index=1),
]

FIRST_NAMES = [
    "Amara", "Ben", "Chen", "Divya", "Emeka", "Fiona", "Gareth", "Hana", "Imran", "Julia", "Kwame",
    "Leila", "Marek", "Nia", "Oluwaseun", "Pooja", "Quinn", "Rhys", "Sofia", "Tomasz", "Uma", "Vikram",
    "Wen", "Xavier", "Yasmin", "Zara", "Aled", "Bronwen", "Callum", "Deepa",
]
LAST_NAMES = [
    "Adeyemi", "Bennett", "Chowdhury", "Davies", "Evans", "Fernandes", "Gill", "Hughes", "Iqbal",
    "Jones", "Kowalski", "Lewis", "Mensah", "Nowak", "Owusu", "Patel", "Quayle", "Roberts", "Shah",
    "Thomas", "Umeh", "Varga", "Williams", "Xu", "Yilmaz", "Zhang",
]
PLACES = [
    "Harbour Lane Surgery", "Millbrook Medical Centre", "St Aidan's Hospital", "Kestrel Dental Care",
    "Northmoor General Hospital", "Clearview Opticians", "Riverside Health Centre", "Beacon Street Dental",
]
SUMMARIES = [
    "A patient complained that test results were not followed up for several weeks.",
    "A colleague raised concerns about remarks made to a trainee during a busy clinic.",
    "An audit found prescribing of a controlled drug outside local guidance.",
    "The practitioner told us they are struggling with their health and asked for support.",
    "An incident report describes a missed referral for a patient with worsening symptoms.",
    "A practice manager reported repeated late arrivals and cancelled sessions.",
    "A claim for sessions not worked was identified during a payments review.",
    "The regulator has told us it has opened an inquiry and asked for local information.",
]

#: How many of the 40 demo cases sit at each status.
STATUS_PLAN = (
    [Status.RECEIVED] * 7
    + [Status.TRIAGE] * 8
    + [Status.AWAITING_PANEL] * 7
    + [Status.INVESTIGATION] * 6
    + [Status.REMEDIATION] * 5
    + [Status.CLOSED] * 5
    + [Status.WITHDRAWN] * 2
)

PATHS = {
    Status.RECEIVED: [],
    Status.TRIAGE: [Status.TRIAGE],
    Status.AWAITING_PANEL: [Status.TRIAGE, Status.AWAITING_PANEL],
    Status.INVESTIGATION: [Status.TRIAGE, Status.AWAITING_PANEL, Status.INVESTIGATION],
    Status.REMEDIATION: [Status.TRIAGE, Status.AWAITING_PANEL, Status.REMEDIATION],
    Status.CLOSED: [Status.TRIAGE, Status.AWAITING_PANEL, Status.CLOSED],
    Status.WITHDRAWN: [Status.WITHDRAWN],
}

REGISTRATION_BY_PROFESSION = {
    Profession.MEDICAL: ("GMC", lambda rng: f"{rng.randint(1_000_000, 9_999_999)}"),
    Profession.DENTAL: ("GDC", lambda rng: f"{rng.randint(10_000, 299_999)}"),
    Profession.OPTOMETRY: ("GOC", lambda rng: f"01-{rng.randint(10_000, 99_999)}"),
}

CONTRACTS_BY_PROFESSION = {
    Profession.MEDICAL: [
        ContractContext.GP_PARTNER, ContractContext.SALARIED_GP, ContractContext.LOCUM,
        ContractContext.HOSPITAL_CONSULTANT, ContractContext.SPECIALTY_DOCTOR, ContractContext.DOCTOR_IN_TRAINING,
    ],
    Profession.DENTAL: [ContractContext.DENTIST],
    Profession.OPTOMETRY: [ContractContext.OPTOMETRIST],
}

COUNTRIES = ["United Kingdom"] * 6 + ["India", "Nigeria", "Pakistan", "Egypt", "Poland", "Ireland", "Sudan"]


def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(role, email, password) for printing."""
    rows = []
    for demo_user in DEMO_USERS:
        org = ORGANISATIONS[demo_user.organisation_index][0]
        roles = ", ".join(role.label for role in demo_user.roles)
        rows.append((f"{roles} – {org}", demo_user.email, DEMO_PASSWORD))
    return rows


def demo_is_loaded() -> bool:
    return User.objects.filter(email=DEMO_USERS[0].email).exists()


@transaction.atomic
def load_demo(*, seed: int = 2026) -> bool:
    """Load the demo data set once. Returns False if it was already there."""
    if demo_is_loaded():
        ServiceFlag.objects.update_or_create(name=ServiceFlag.DEMO_DATA, defaults={"enabled": True})
        _let_demo_accounts_skip_mfa()
        _demo_toolkit(random.Random(seed))
        _demo_panel()  # for demo data loaded before panels existed; does nothing the second time
        return False
    rng = random.Random(seed)
    organisations = [
        Organisation.objects.create(name=name, code=code, kind=kind, case_reference_prefix=prefix)
        for name, code, kind, prefix in ORGANISATIONS
    ]
    users = {}
    for demo_user in DEMO_USERS:
        user = User.objects.create_user(
            demo_user.email,
            DEMO_PASSWORD,
            full_name=demo_user.full_name,
            organisation=organisations[demo_user.organisation_index],
            job_title=demo_user.job_title,
            # Demo accounts may sign in without two-step verification, but only while
            # the installation is in demo mode (lotus.accounts.selectors.mfa_required).
            mfa_exempt_in_demo=True,
        )
        for role in demo_user.roles:
            RoleGrant.objects.create(user=user, role=role)
        users[demo_user.email] = user

    practitioners = []
    for index in range(30):
        organisation = organisations[0] if index < 26 else organisations[1]
        profession = rng.choice([Profession.MEDICAL] * 4 + [Profession.DENTAL, Profession.OPTOMETRY])
        regulator, number = REGISTRATION_BY_PROFESSION[profession]
        name = f"Dr {FIRST_NAMES[index]} {LAST_NAMES[index % len(LAST_NAMES)]}"
        practitioner = Practitioner.objects.create(
            organisation=organisation,
            full_name=name,
            profession=profession,
            regulator=regulator,
            registration_number=number(rng),
            contract_context=rng.choice(CONTRACTS_BY_PROFESSION[profession]),
            place_of_work=rng.choice(PLACES),
            email=f"{FIRST_NAMES[index].lower()}.{index}@practice.example",
            phone=f"01632 960 {index:03d}",
        )
        country = rng.choice(COUNTRIES)
        EqualityMonitoring.objects.create(
            practitioner=practitioner,
            ethnic_category=rng.choice(EthnicCategory.values),
            sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.NOT_STATED]),
            qualification_country=country,
            graduate_route=graduate_route_for(country),
            disability=rng.choice([Disability.NO] * 5 + [Disability.YES, Disability.NOT_STATED]),
        )
        practitioners.append(practitioner)
    subject = practitioners[0]
    subject.user = users["practitioner@demo.lotus.test"]
    subject.full_name = "Dr Robin Practitioner"
    subject.save(update_fields=["user", "full_name"])

    _demo_cases(rng, organisations, users, practitioners)
    _demo_support(rng, organisations, users)
    _demo_toolkit(random.Random(seed))
    _demo_panel()
    ServiceFlag.objects.update_or_create(name=ServiceFlag.DEMO_DATA, defaults={"enabled": True})
    return True


def _let_demo_accounts_skip_mfa() -> None:
    """Mark the demo accounts (for installations loaded before the flag existed)."""
    User.objects.filter(email__in=[demo_user.email for demo_user in DEMO_USERS]).update(mfa_exempt_in_demo=True)


def _demo_cases(rng, organisations, users, practitioners) -> None:
    today = timezone.localdate()
    managers = [users["case.manager@demo.lotus.test"], users["case.manager2@demo.lotus.test"]]
    advisor = users["advisor@demo.lotus.test"]
    home_practitioners = [p for p in practitioners if p.organisation_id == organisations[0].pk]
    for index, final_status in enumerate(STATUS_PLAN):
        owner = managers[index % 2]
        practitioner = home_practitioners[index % len(home_practitioners)]
        received = today - dt.timedelta(days=rng.randint(3, 300) if final_status != Status.RECEIVED else rng.randint(1, 25))
        case = case_services.case_open(
            actor=owner,
            practitioner=practitioner,
            received_on=received,
            source=rng.choice(Source.values),
            categories=rng.sample(Category.values, k=rng.choice([1, 1, 2])),
            summary=rng.choice(SUMMARIES),
            owner=owner,
        )
        # The advisor joins every team. The panel member and the pastoral contact never do
        # (docs/adr/0016): the panel sees a case through its meeting's agenda, and the
        # pastoral contact supports the practitioner through the support plan.
        case_services.case_team_add(actor=owner, case=case, member=advisor)
        for target in PATHS[final_status]:
            if target == Status.AWAITING_PANEL:
                # Triage is done the way an advisor does it: the review's submission moves the case.
                _demo_triage_review(rng, case, advisor, owner, submit=True)
                case.refresh_from_db()
                continue
            case_services.case_transition(
                actor=owner, case=case, target=target, reason=_reason_for(target)
            )
        if final_status == Status.TRIAGE and index % 2 == 0:
            _demo_triage_review(rng, case, advisor, owner, submit=False)
        if final_status not in (Status.CLOSED, Status.WITHDRAWN):
            due = today + dt.timedelta(days=rng.randint(-10, 20))
            case_services.task_create(
                actor=owner, case=case, title=rng.choice(
                    ["Ask the practitioner for their reflections", "Request the practice's records",
                     "Arrange a meeting with the practitioner", "Check in about support"]
                ), owner=owner, due_on=due,
            )
    # One case in the second organisation, to show that organisations never see each other's work.
    eastbrook_manager = users["case.manager@eastbrook.lotus.test"]
    eastbrook_practitioner = next(p for p in practitioners if p.organisation_id == organisations[1].pk)
    case_services.case_open(
        actor=eastbrook_manager,
        practitioner=eastbrook_practitioner,
        received_on=today - dt.timedelta(days=4),
        source=Source.COMPLAINT,
        categories=[Category.CLINICAL],
        summary="A patient complained about the outcome of a procedure.",
        owner=eastbrook_manager,
    )


DEMO_RATIONALES = [
    "The harm that could follow is moderate, but the practitioner has already reflected and changed how they work.",
    "A pattern is emerging across several reports, so a repeat is likely without support and clear expectations.",
    "The concern is serious but isolated, and the practitioner has engaged fully with every request.",
]


def _demo_triage_review(rng, case, advisor, owner, *, submit: bool) -> None:
    """A fictional triage review by the demo advisor: scored, completed, submitted and shared."""
    from lotus.cases.models import Case
    from lotus.triage import services as triage_services
    from lotus.triage.risk import FACTOR_JUDGEMENTS, LIKELIHOOD_FACTORS

    case = Case.objects.get(pk=case.pk)
    review = triage_services.review_start(actor=advisor, case=case, has_conflict=False)
    if review.scores_saved:  # a demo draft finished later (the demo practitioner's own case)
        review.refresh_from_db()
    levels = {domain: rng.choice([0, 0, 1, 2, 3, 4]) for domain in ("statutory", "financial", "management", "professionalism")}
    levels["patient_safety"] = rng.randint(1, 5)
    review = triage_services.review_save_risk(
        actor=advisor,
        review=review,
        consequences=levels,
        likelihood=rng.randint(1, 5),
        factors={f: {"judgement": rng.choice(list(FACTOR_JUDGEMENTS)), "notes": ""} for f in LIKELIHOOD_FACTORS},
        expected_version=review.version,
        change_reason="The demo advisor checked the scores again" if review.scores_saved else "",
    )
    if not submit:
        return
    review = triage_services.review_save_details(
        actor=advisor,
        review=review,
        data={
            "summary_of_concerns": case.summary,
            "safeguarding_concern": "no",
            "health_concern": "no",
            "rationale": rng.choice(DEMO_RATIONALES),
            "recommendation": rng.choice(["local_action", "remediation", "no_further_action"]),
            "additional_recommendations": "Ask the practitioner for their reflections to share with the panel.",
            "just_culture": {},
        },
        documents=[],
        health_details="",
        expected_version=review.version,
    )
    review = triage_services.review_submit(actor=advisor, review=review, expected_version=review.version)
    triage_services.review_share(
        actor=owner, review=review, withheld=[], withheld_reason="", expected_version=review.version
    )
    # Issue 19: a case picked for a second review waits for it. The demo has one advisor per
    # organisation, so the case manager records why it goes to the panel without one.
    if Case.objects.get(pk=case.pk).status == Status.TRIAGE:
        triage_services.second_review_override(
            actor=owner, case=Case.objects.get(pk=case.pk),
            reason="Demo data: the case goes to the panel without a second review so the demo panel has cases to decide.",
        )
def _demo_support(rng, organisations, users) -> None:
    """Support plans (opened when the demo cases entered triage) with a pastoral contact,
    contacts, adjustments, a heightened-support prompt and a five-step plan (issue 6)."""
    from lotus.improvement import services as improvement_services
    from lotus.support import services as support_services
    from lotus.support.models import SupportPlan

    today = timezone.localdate()
    for organisation in organisations:
        support_services.signposts_seed(organisation)
    pastoral = users["pastoral@demo.lotus.test"]
    plans = SupportPlan.objects.filter(case__organisation=organisations[0]).select_related("case", "case__owner")
    for index, plan in enumerate(plans.order_by("case__reference")):
        case = plan.case
        if case.status in (Status.CLOSED, Status.WITHDRAWN):
            continue
        manager = case.owner
        if support_services.pastoral_contact_refusal(case=case, person=pastoral) is None:
            support_services.pastoral_contact_assign(actor=manager, plan=plan, person=pastoral)
            support_services.preferences_record(
                actor=pastoral, plan=plan, person="Jo Pastoral", method="A phone call to their mobile",
                times="Weekday afternoons", stated_needs="Wants to know the timetable and who will read the papers.",
                expected_version=plan.version,
            )
        support_services.matter_record(
            actor=manager, plan=plan, matter="signposted", status="in_place", status_on=today,
            notes="Shared the employee assistance programme and the defence organisation's helpline.",
        )
        if index % 2 == 0:
            support_services.contact_log(
                actor=manager, plan=plan, contacted_on=today - dt.timedelta(days=rng.randint(0, 3)), method="phone",
                shared="Explained where the case is and what happens next.",
                next_steps="Call again after the panel meets.",
            )
        if index % 3 == 0:
            support_services.adjustment_add(
                actor=manager, plan=plan, kind="questions_in_advance", description="", status="agreed",
                review_on=today + dt.timedelta(days=14),
            )
        if index == 1:
            support_services.circumstances_record(
                actor=manager, plan=plan, suspended_or_excluded=False, referred_to_regulator=True,
                health_concern=False,
            )
        if case.status == Status.REMEDIATION and not case.performance_plans.exists():
            performance = improvement_services.plan_start(
                actor=manager, case=case, problem="Results from the practice's laboratory were not reviewed on time.",
                evidence="An audit of three months of results.",
            )
            improvement_services.plan_assess(actor=manager, plan=performance, factors=["workload", "unclear_goals"],
                                             factors_other="")
            improvement_services.goal_add(
                actor=manager, plan=performance, what="Review every result within 2 working days",
                measure="Monthly audit of the results log", target="95% or more",
                due_on=today + dt.timedelta(days=90), support_offered="Protected admin time each week",
            )


def _reason_for(target: Status) -> str:
    return {
        Status.TRIAGE: "Concern logged and checked; passed to the professional advisor.",
        Status.AWAITING_PANEL: "Triage complete and shared with the practitioner.",
        Status.INVESTIGATION: "The panel asked for an investigation to establish the facts.",
        Status.REMEDIATION: "The panel agreed a supportive plan with the practitioner.",
        Status.CLOSED: "The panel found no further action was needed.",
        Status.WITHDRAWN: "The person who raised the concern withdrew it after discussion.",
    }[target]


def _demo_toolkit(rng) -> None:
    """Leadership toolkit records for the demo case manager: results with history, a
    reflection with actions, routines with gaps, and a team session with enough answers.
    Idempotent: skipped when the case manager already has toolkit records."""
    from lotus.toolkit import services as toolkit
    from lotus.toolkit.content import INSTRUMENTS, TEAM_INSTRUMENTS
    from lotus.toolkit.models import ActionItem, AssessmentAttempt, JournalEntry, RoutineCheck

    leader = User.objects.filter(email="case.manager@demo.lotus.test").first()
    if leader is None or AssessmentAttempt.objects.filter(owner=leader).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    for step in ("learn", "optimise", "utilise"):
        toolkit.step_mark_read(actor=leader, step=step)

    def answers(slug, low, high):
        return {item.key: rng.randint(low, high) for item in INSTRUMENTS[slug].items}

    for days_ago, low, high in ((120, 2, 4), (60, 3, 4), (7, 3, 5)):
        attempt = toolkit.assessment_save(
            actor=leader, instrument="wise-compassion", answers=answers("wise-compassion", low, high)
        ).attempt
        when = now - dt.timedelta(days=days_ago)
        AssessmentAttempt.objects.filter(pk=attempt.pk).update(created_at=when, completed_at=when, updated_at=when)
    toolkit.assessment_save(actor=leader, instrument="four-elements", answers=answers("four-elements", 2, 5))
    toolkit.assessment_save(actor=leader, instrument="flywheel", answers=answers("flywheel", 2, 5))
    toolkit.assessment_save(actor=leader, instrument="wellbeing-signs", answers=answers("wellbeing-signs", 1, 3))
    entry = toolkit.entry_save(
        actor=leader,
        exercise="4.2",
        responses={
            "result": "I lean towards compassion and put off hard conversations until they grow.",
            "rewrite": "Say the difficult thing earlier, kindly, and check how it landed.",
        },
        actions=[
            toolkit.ActionRow("Give the overdue feedback to the triage team", today - dt.timedelta(days=3), "My line manager"),
            toolkit.ActionRow("One direct conversation each day this month", today + dt.timedelta(days=20), ""),
            toolkit.ActionRow("Ask the pastoral lead how our letters feel to receive", today + dt.timedelta(days=10), "Jo Pastoral"),
        ],
    )
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=now - dt.timedelta(days=6))
    first = ActionItem.objects.filter(entry=entry).order_by("position").first()
    toolkit.action_review(actor=leader, action=first, status=ActionItem.Status.DONE, note="It went better than I feared.")
    routines = toolkit.routines_choose(
        actor=leader, practices=["connect", "mindfulness"], today=today - dt.timedelta(days=27)
    )
    for routine in routines:
        for days_ago in range(0, 28):
            if rng.random() < 0.7:
                RoutineCheck.objects.get_or_create(routine=routine, day=today - dt.timedelta(days=days_ago))
    session = toolkit.team_session_start(
        actor=leader, instrument="team-psychological-safety", title="Professional standards team, autumn check"
    )
    members = User.objects.filter(organisation_id=leader.organisation_id).exclude(pk=leader.pk).exclude(
        role_grants__role=Role.PRACTITIONER
    )
    comments = ["More time to talk through hard cases together", "", "Say thank you more often",
                "Let us question decisions without it feeling personal", "", ""]
    items = TEAM_INSTRUMENTS["team-psychological-safety"].items
    for member, comment in zip(members.order_by("pk")[:6], comments, strict=False):
        toolkit.team_session_answer(
            actor=member, session=session, answers={item.key: rng.randint(2, 5) for item in items}, comment=comment
        )


DEMO_PANEL_MEMBERS = [("panel2@demo.lotus.test", "Dr Lee Second"), ("panel3@demo.lotus.test", "Dr Kim Third")]


def _demo_panel() -> None:
    """A PAG meeting a week ago with three cases: the demo practitioner's decided, its
    outcome letter approved and sent to their portal with a consent request; a second
    decided with its letter still a draft (overdue); a third still to discuss."""
    from lotus.letters import services as letter_services
    from lotus.panels import services as panel_services
    from lotus.panels.models import Meeting

    home = Organisation.objects.filter(code=ORGANISATIONS[0][1]).first()
    if home is None or Meeting.objects.filter(organisation=home).exists():
        return
    chair = User.objects.get(email="panel@demo.lotus.test")
    manager = User.objects.get(email="case.manager@demo.lotus.test")
    admin = User.objects.get(email="admin@demo.lotus.test")
    members = [chair]
    for email, name in DEMO_PANEL_MEMBERS:
        member = User.objects.filter(email=email).first()
        if member is None:
            member = User.objects.create_user(email, None, full_name=name, organisation=home,
                                              job_title="Panel member", mfa_exempt_in_demo=True)
            RoleGrant.objects.create(user=member, role=Role.PANEL_MEMBER)
        members.append(member)
    from lotus.cases.models import Case

    waiting = list(Case.objects.filter(organisation=home, status=Status.AWAITING_PANEL).order_by("received_on", "id"))
    own = Case.objects.filter(practitioner__user__email="practitioner@demo.lotus.test").order_by("id").first()
    if own is not None and own.status in (Status.RECEIVED, Status.TRIAGE, Status.AWAITING_PANEL):
        if own.status != Status.AWAITING_PANEL:
            if own.status == Status.RECEIVED:
                case_services.case_transition(actor=own.owner, case=own, target=Status.TRIAGE,
                                              reason="Triage started for the demo panel")
            own.refresh_from_db()
            # Issue 19: the case goes to the panel the proper way, with its triage shared.
            advisor = own.team.filter(user__role_grants__role="professional_advisor").first().user
            _demo_triage_review(random.Random(own.pk), own, advisor, own.owner, submit=True)
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
