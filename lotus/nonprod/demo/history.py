"""Fifteen months of demo cases, worked through the real services on the demo clock
(lotus/nonprod/demo/clock.py): received, triaged (with second reviews where the sample
picks them), decided at fortnightly panels, written to, investigated, remediated and
closed, and reviewed for lessons learnt (learning.py).

Planning is separate from doing. `plan_cases` decides, with its own seeded generator,
every case's dates, practitioner, source, categories, story, risk and route through the
process; the stories then carry each plan out on the clock, and stop where today is.
Which group a practitioner belongs to changes one thing only: how often the panel sends
their case to a formal investigation (equality.PLANTED_GAP).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from lotus.accounts.models import Organisation, User
from lotus.accounts.roles import Role
from lotus.cases import services as case_services
from lotus.cases.models import Case, Source, TimelineEvent
from lotus.cases.workflow import Status
from lotus.nonprod.demo import equality
from lotus.nonprod.demo.clock import DemoClock, at, later
from lotus.nonprod.demo.people import (
    CONTRACTS_BY_PROFESSION,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    REGISTRATION_BY_PROFESSION,
    demo_account,
)
from lotus.nonprod.demo.stories import Story, words

#: Concerns received in each of the last 15 calendar months, oldest first (the current
#: month's are the caseload's). A gentle rise, as a service that is trusted more hears more.
MONTHLY_CONCERNS = (9, 10, 11, 10, 11, 11, 12, 11, 12, 12, 12, 13, 12, 12, 9)
PROFESSION_SHARES = {"medical": 70, "dental": 19, "optometry": 11}
#: The share of concerns about someone already on the register.
REPEAT_SHARE = 0.08
WITHDRAWN_SHARE = 0.06
COLOUR_SHARES = {"red": 0.18, "amber": 0.52, "green": 0.30}
#: After an investigation, the second decision (the same shares for every group).
AFTER_INVESTIGATION = {"close": 0.30, "advice": 0.25, "remediation": 0.25, "regulator": 0.12, "decision_panel": 0.08}
#: A review is needed after an investigation (the organisation's default setting); others
#: are reviewed by choice.
REVIEWED_AFTER_INVESTIGATION = 0.92
REVIEWED_OTHERWISE = 0.36
SCORE_CHANGED_SHARE = 0.08
#: The share of cases whose support plan records the signposting (the rest were told by
#: phone and nobody wrote it down: a gap the support pages show).
SIGNPOSTED_SHARE = 0.35

SECOND_ADVISOR = ("advisor2@demo.lotus.test", "Dr Hollis Second-Advisor")
PANEL_DAY = 1  # Tuesday
MEETING_LOCATION = "Board room, Northmoor House"

#: Consequence and likelihood pairs for each triage colour (the default bands).
SCORES = {
    "green": [(1, 1), (1, 2), (1, 3), (2, 1), (3, 1)],
    "amber": [(2, 2), (2, 3), (3, 2), (2, 4), (4, 2), (3, 3), (3, 4), (4, 3)],
    "red": [(3, 5), (5, 3), (4, 4), (4, 5), (5, 4)],
}
#: The consequence domain each category weighs on most.
DOMAIN_FOR = {"clinical": "patient_safety", "conduct": "professionalism", "health": "patient_safety",
              "probity": "financial", "other": "management"}


@dataclass
class PractitionerPlan:
    index: int
    name: str
    profession: str
    contract: str
    place: str
    equality: equality.Equality
    regulator: str
    number: str
    record: object = None  # the Practitioner, once registered


@dataclass
class CasePlan:
    index: int
    rng: random.Random
    received_on: dt.date
    practitioner: PractitionerPlan
    source: str
    categories: list[str]
    story: Story
    concern: str
    owner: str
    colour: str = "amber"
    withdrawn: bool = False
    first: str = "close"
    after: str = "close"
    reviewed: bool = False
    score_changed: bool = False
    suspended: bool = False

    @property
    def route(self) -> str:
        return self.practitioner.equality.route


@dataclass
class World:
    """What the stories share: the people, the panel calendar and the meetings held."""

    organisation: Organisation
    today: dt.date
    managers: list[User]
    admin: User
    advisor: User
    second_advisor: User
    chair: User
    panel_members: list[User]
    clock: DemoClock
    panel_days: list[dt.date] = field(default_factory=list)
    meetings: dict[dt.date, object] = field(default_factory=dict)
    factors: dict[str, object] = field(default_factory=dict)

    def manager(self, email: str) -> User:
        return next(m for m in self.managers if m.email == email)

    def meeting_on_or_after(self, day: dt.date) -> dt.date | None:
        return next((held for held in self.panel_days if held >= day), None)


def history_is_loaded() -> bool:
    return User.objects.filter(email=SECOND_ADVISOR[0]).exists()


# --------------------------------------------------------------------------- planning


def _months(today: dt.date) -> list[tuple[int, int]]:
    first = today.year * 12 + today.month - 1 - len(MONTHLY_CONCERNS)
    return [((first + i) // 12, (first + i) % 12 + 1) for i in range(len(MONTHLY_CONCERNS))]


def _received_days(rng: random.Random, today: dt.date) -> list[dt.date]:
    days = []
    for (year, month), count in zip(_months(today), MONTHLY_CONCERNS, strict=True):
        start = dt.date(year, month, 1)
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        working = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)
                   if (start + dt.timedelta(days=n)).weekday() < 5 and start + dt.timedelta(days=n) < today]
        days.extend(sorted(rng.choice(working) for _ in range(count)))
    return days


def _story_for(rng: random.Random, profession: str, contract: str, route: str, month_index: int) -> Story:
    stories = words().stories
    weights = {}
    for key, story in stories.items():
        if profession not in story.professions or (story.international and route != equality.INTERNATIONAL):
            continue
        weight = 1.0
        if story.contracts:
            weight = 3.0 if contract in story.contracts else 0.4
        if story.international:
            weight = 3.5
        if key in ("remarks_to_trainee", "struggling_health"):
            weight *= 0.7 + month_index / 12  # concerns about conduct and health rise over the year
        weights[key] = weight
    keys = sorted(weights)
    return stories[rng.choices(keys, weights=[weights[k] for k in keys])[0]]


def _new_practitioner(rng: random.Random, index: int, profession: str, used: set) -> PractitionerPlan:
    route = equality.route_for(rng, profession)
    contracts = CONTRACTS_BY_PROFESSION[profession]
    if profession == "medical" and route == equality.INTERNATIONAL and rng.random() < 0.35:
        contract = rng.choice(["locum", "specialty_doctor"])  # international graduates are more often in these roles
    else:
        contract = rng.choice(contracts)
    while True:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        regulator, number = REGISTRATION_BY_PROFESSION[profession]
        registration = number(rng)
        if (first, last) not in used and (regulator, registration) not in used:
            used.update({(first, last), (regulator, registration)})
            break
    title = "Dr " if profession != "optometry" else ""
    return PractitionerPlan(
        index=index, name=f"{title}{first} {last}", profession=profession, contract=contract,
        place=rng.choice(PLACES), equality=equality.equality_for(rng, route), regulator=regulator,
        number=registration,
    )


def plan_cases(seed: str, today: dt.date, used_names: set) -> list[CasePlan]:
    """Every history case's plan, decided before anything is written."""
    rng = random.Random(seed)
    plans: list[CasePlan] = []
    register: list[PractitionerPlan] = []
    received = _received_days(rng, today)
    first_month = received[0].year * 12 + received[0].month if received else 0
    for index, received_on in enumerate(received):
        if register and rng.random() < REPEAT_SHARE:
            practitioner = rng.choice(register)
        else:
            profession = rng.choices(list(PROFESSION_SHARES), weights=list(PROFESSION_SHARES.values()))[0]
            practitioner = _new_practitioner(rng, len(register), profession, used_names)
            register.append(practitioner)
        month_index = received_on.year * 12 + received_on.month - first_month
        story = _story_for(rng, practitioner.profession, practitioner.contract, practitioner.equality.route,
                           month_index)
        categories = list(story.categories[:1]) if len(story.categories) == 1 or rng.random() < 0.6 \
            else list(story.categories)
        source = rng.choice(story.sources) if rng.random() < 0.85 else rng.choice(Source.values)
        plans.append(CasePlan(
            index=index, rng=random.Random(f"{seed}:case:{index}"), received_on=received_on,
            practitioner=practitioner, source=source, categories=categories, story=story,
            concern=rng.choice(story.concerns),
            owner=rng.choice(["case.manager@demo.lotus.test", "case.manager2@demo.lotus.test"]),
        ))
    _assign_routes_through_the_process(rng, plans)
    return plans


def _assign_routes_through_the_process(rng: random.Random, plans: list[CasePlan]) -> None:
    """The same shares for every group at every step but one (equality.PLANTED_GAP)."""
    for route in equality.ROUTES:
        group = [plan for plan in plans if plan.route == route]
        for position, value in equality.quota(rng, group, {"yes": WITHDRAWN_SHARE, "no": 1 - WITHDRAWN_SHARE}).items():
            group[position].withdrawn = value == "yes"
        for position, colour in equality.quota(rng, group, COLOUR_SHARES).items():
            group[position].colour = colour
        for position, value in equality.quota(rng, group, {"yes": SCORE_CHANGED_SHARE,
                                                            "no": 1 - SCORE_CHANGED_SHARE}).items():
            group[position].score_changed = value == "yes"
        decided = [plan for plan in group if not plan.withdrawn]
        wanted = round(equality.PLANTED_GAP.rate[route] * len(decided))
        weights = [{"red": 6.0, "amber": 2.0, "green": 0.4}[plan.colour] for plan in decided]
        investigated = equality.weighted_pick(rng, weights, wanted)
        chosen = [plan for i, plan in enumerate(decided) if i in investigated]
        for plan in chosen:
            plan.first = "investigation"
        for position, after in equality.quota(rng, chosen, AFTER_INVESTIGATION).items():
            chosen[position].after = after
        for position, value in equality.quota(rng, chosen, {"yes": 0.15, "no": 0.85}).items():
            chosen[position].suspended = value == "yes"
        for plan in decided:
            if plan.first != "investigation":
                plan.first, plan.after = _other_outcome(plan.rng, plan.colour)
            share = REVIEWED_AFTER_INVESTIGATION if plan.first == "investigation" else REVIEWED_OTHERWISE
            plan.reviewed = plan.rng.random() < share


def _other_outcome(rng: random.Random, colour: str) -> tuple[str, str]:
    """A first decision other than investigation, by the triage colour alone."""
    shares = {
        "red": {"remediation": 0.5, "further": 0.5},
        "amber": {"advice": 0.35, "remediation": 0.25, "further": 0.25, "close": 0.15},
        "green": {"close": 0.55, "advice": 0.35, "further": 0.10},
    }[colour]
    first = rng.choices(list(shares), weights=list(shares.values()))[0]
    after = rng.choices(["close", "advice", "remediation"], weights=[0.4, 0.35, 0.25])[0] if first == "further" else ""
    return first, after


# --------------------------------------------------------------------------- loading


def load_history(run, clock: DemoClock) -> bool:
    """Plan the year and put every case's and every meeting's story on the clock."""
    from lotus.nonprod.demo.meetings import meeting_story, panel_days
    from lotus.nonprod.demo.panel import panel_members
    from lotus.nonprod.demo.people import home_organisation

    organisation = home_organisation()
    if organisation is None or history_is_loaded():
        return False
    users = {u.email: u for u in User.objects.filter(organisation=organisation)}
    second = demo_account(SECOND_ADVISOR[0], SECOND_ADVISOR[1], organisation=organisation,
                          role=Role.PROFESSIONAL_ADVISOR, job_title="Professional advisor")
    members = panel_members(organisation)
    world = World(
        organisation=organisation, today=clock.today,
        managers=[users["case.manager@demo.lotus.test"], users["case.manager2@demo.lotus.test"]],
        admin=users["admin@demo.lotus.test"], advisor=users["advisor@demo.lotus.test"], second_advisor=second,
        chair=members[0], panel_members=members, clock=clock,
    )
    used = {tuple(name.removeprefix("Dr ").split(" ", 1)) for name in
            organisation.practitioners.values_list("full_name", flat=True)}
    plans = plan_cases(f"{run.seed}:history", clock.today, used)
    world.panel_days = panel_days(plans[0].received_on if plans else clock.today, clock.today)
    clock.start_all(meeting_story(world, held_on) for held_on in world.panel_days)
    clock.start_all(case_story(world, plan) for plan in plans)
    return True


def _register(world: World, plan: CasePlan, owner: User):
    """The practitioner, registered when their first concern is logged."""
    from lotus.practitioners import services as practitioner_services

    person = plan.practitioner
    if person.record is None:
        person.record = practitioner_services.practitioner_register(
            actor=owner, full_name=person.name, profession=person.profession, regulator=person.regulator,
            registration_number=person.number, contract_context=person.contract, place_of_work=person.place,
            email=f"practitioner.{person.index}@history.example", phone=f"01632 961 {person.index:03d}",
        )
        equal = person.equality
        practitioner_services.equality_record_save(
            actor=world.admin, practitioner=person.record, ethnic_category=equal.ethnic_category, sex=equal.sex,
            qualification_country=equal.qualification_country, disability=equal.disability,
        )
    return person.record


def case_story(world: World, plan: CasePlan):
    """One case, from the day it arrived to wherever it has got to today."""
    from lotus.nonprod.demo import triage_story

    rng = plan.rng
    reasons = words().reasons
    owner = world.manager(plan.owner)
    day = later(plan.received_on, rng.choice([0, 0, 1]))
    yield at(day, 9, rng.randint(0, 50))
    practitioner = _register(world, plan, owner)
    case = case_services.case_open(
        actor=owner, practitioner=practitioner, received_on=plan.received_on, source=plan.source,
        categories=plan.categories, summary=plan.concern, owner=owner,
    )
    case_services.case_team_add(actor=owner, case=case, member=world.advisor)
    day = later(day, rng.randint(1, 3))
    yield at(day, 10, rng.randint(0, 50))
    if plan.withdrawn and rng.random() < 0.4:
        case_services.case_transition(actor=owner, case=case, target=Status.WITHDRAWN, reason=reasons["withdrawn"])
        return
    case_services.case_transition(actor=owner, case=case, target=Status.TRIAGE, reason=reasons["triage"])
    if rng.random() < SIGNPOSTED_SHARE:
        _signpost(owner, case, day)
    day = yield from triage_story.triage(world, plan, case, owner, day)
    if day is None:  # withdrawn during triage
        return
    yield from _panel_rounds(world, plan, case, owner, day)


def _signpost(owner: User, case: Case, day: dt.date) -> None:
    from lotus.support import services as support_services

    support_services.matter_record(
        actor=owner, plan=case.support_plan, matter="signposted", status="in_place", status_on=day,
        notes="Shared the employee assistance programme and the defence organisation's helpline.",
    )


#: The decisions a plan's outcome stands for, and the words the panel gives.
FIRST_DECISIONS = {
    "close": (["no_further_action"], "close"),
    "advice": (["advice_or_local_action", "close"], "advice"),
    "remediation": (["support_or_remediation"], "remediation"),
    "further": (["request_reflections", "records_review"], "further"),
    "investigation": (["investigation"], "investigation"),
}
SECOND_DECISIONS = {
    "close": (["no_further_action"], "after_investigation_close"),
    "advice": (["advice_or_local_action", "close"], "after_investigation_advice"),
    "remediation": (["support_or_remediation"], "after_investigation_remediation"),
    "regulator": (["refer_to_regulator", "support_or_remediation"], "after_investigation_regulator"),
    "decision_panel": (["decision_panel"], "after_investigation_decision_panel"),
}


def _panel_rounds(world: World, plan: CasePlan, case: Case, owner: User, ready: dt.date):
    """The case at the panel, once or more, and what follows each decision."""
    from lotus.nonprod.demo.meetings import decide

    rng = plan.rng
    reasons = words().reasons
    outcome = plan.first
    rounds = 0
    while True:
        rounds += 1
        if rounds == 1:
            outcomes, wording = FIRST_DECISIONS[outcome]
        elif plan.first == "investigation":
            outcomes, wording = SECOND_DECISIONS[outcome]
        else:
            outcomes, wording = FIRST_DECISIONS[outcome]
        held_on, written = yield from decide(world, case, owner, ready, outcomes, wording, rng)
        if held_on is None:
            return
        case.refresh_from_db()
        if case.status == Status.CLOSED:
            _after_close(world, plan, case, owner, written)
            return
        if case.status == Status.REMEDIATION:
            day = later(held_on, rng.randint(30, 80))
            yield at(day, 11, rng.randint(0, 50))
            case_services.case_transition(actor=owner, case=case, target=Status.CLOSED,
                                          reason=reasons["remediation_complete"])
            _after_close(world, plan, case, owner, day)
            return
        if case.status == Status.INVESTIGATION:
            if rounds > 1:  # the decision panel's conditions, then the case closes
                day = later(held_on, rng.randint(25, 45))
                yield at(day, 11, rng.randint(0, 50))
                case_services.case_transition(actor=owner, case=case, target=Status.CLOSED,
                                              reason=reasons["decision_panel_complete"])
                _after_close(world, plan, case, owner, day)
                return
            if plan.suspended:
                yield at(later(written, 1), 9, rng.randint(0, 50))
                _circumstances(owner, case, suspended=True)
            day = later(held_on, rng.randint(30, 75))
            yield at(day, 12, rng.randint(0, 50))
            case_services.case_transition(actor=owner, case=case, target=Status.AWAITING_PANEL,
                                          reason=reasons["investigation_report"])
            outcome, ready = plan.after, day
            continue
        # still awaiting the panel: it asked for reflections and records first, and looks
        # again once they are in
        day = later(held_on, rng.randint(15, 30))
        outcome, ready = plan.after or "close", day
        if rounds > 3:
            return


def _circumstances(owner: User, case: Case, *, suspended: bool = False, regulator: bool = False) -> None:
    from lotus.support import services as support_services

    plan = case.support_plan
    support_services.circumstances_record(
        actor=owner, plan=plan, suspended_or_excluded=suspended or plan.suspended_or_excluded,
        referred_to_regulator=regulator or plan.referred_to_regulator, health_concern=plan.health_concern,
    )


def _after_close(world: World, plan: CasePlan, case: Case, owner: User, closed_on: dt.date) -> None:
    from lotus.nonprod.demo.learning import review_story

    if plan.reviewed:
        world.clock.start(review_story(world, plan, case, owner, closed_on))


def first_timeline_events(case: Case) -> list[int]:
    """The case's opening and its first panel decision, for a review's chronology."""
    opened = case.timeline.filter(kind=TimelineEvent.Kind.OPENED).values_list("pk", flat=True)[:1]
    decided = case.timeline.filter(title__contains="decision:").order_by("occurred_at", "id").values_list(
        "pk", flat=True)[:1]
    return [*opened, *decided]
