"""Lessons-learnt reviews of the demo's closed cases, on the demo clock (docs/adr/0019):
the team declares, builds the chronology, codes problems and what went well with
contributory factors, writes the summary and actions, submits; a second person approves
(a few are sent back first); most reviews' anonymised learning summaries are approved
for the library; and each action goes its own way: started, done with evidence, assured
by a second person, not done with a reason, or still open (overdue once its date passes).
"""

from __future__ import annotations

import datetime as dt

from lotus.learning import services as learning_services
from lotus.learning.models import ActionStatus, Factor
from lotus.learning.services import actions as action_services
from lotus.learning.services import sharing as sharing_services
from lotus.nonprod.demo.clock import at, later
from lotus.nonprod.demo.stories import words

RETURNED_SHARE = 0.10
SHARED_SHARE = 0.75
#: How an action ends up, given long enough (the clock stops the recent ones earlier).
ACTION_ENDINGS = {"assured": 0.42, "done": 0.14, "not_done": 0.09, "in_progress": 0.17, "open": 0.18}


def _factor(world, code: str) -> Factor:
    """The standard factor with this code (looked up once a run)."""
    if code not in world.factors:
        world.factors[code] = Factor.objects.select_related("category").get(code=code, organisation__isnull=True)
    return world.factors[code]


def review_story(world, plan, case, owner, closed_on: dt.date):
    """The review of one closed case, from its start to its shared summary."""
    from lotus.nonprod.demo.history import first_timeline_events

    rng = plan.rng
    story = plan.story
    reviewer = world.advisor
    helper = next(m for m in world.managers if m.pk != owner.pk) if rng.random() < 0.3 else None
    day = later(closed_on, rng.randint(2, 12))
    yield at(day, 10, rng.randint(0, 30))
    review = learning_services.review_start(actor=owner, case=case, reviewer=reviewer)
    learning_services.conflict_declare(actor=reviewer, review=review, has_conflict=False)
    if helper is not None:
        learning_services.team_member_add(actor=owner, review=review, member=helper, role="co_reviewer")
        learning_services.conflict_declare(actor=helper, review=review, has_conflict=False)

    day = later(day, rng.randint(1, 4))
    yield at(day, 11, rng.randint(0, 50))
    learning_services.chronology_pick(actor=reviewer, review=review, event_ids=first_timeline_events(case))
    entries = []
    for event in story.chronology:
        occurred_on = min(max(plan.received_on + dt.timedelta(days=event.days), plan.received_on - dt.timedelta(
            days=300)), day)
        entries.append(learning_services.chronology_add(
            actor=reviewer, review=review, occurred_on=occurred_on, what_happened=event.what,
            who_was_involved=event.who,
        ))

    day = later(day, rng.randint(1, 5))
    yield at(day, 14, rng.randint(0, 50))
    coded: dict[str, int] = {}
    for finding in story.problems:
        problem = learning_services.problem_add(
            actor=reviewer, review=review, chronology_entry_id=entries[finding.at].pk, description=finding.description,
        )
        for factor in finding.factors:
            found = _factor(world, factor.code)
            coded[factor.code] = learning_services.factor_code(
                actor=reviewer, review=review, category=found.category.code, factor_id=found.pk,
                evidence=factor.evidence, scope=factor.scope, problem_id=problem.pk,
            ).pk
    for finding in story.went_well:
        positive = learning_services.positive_add(
            actor=reviewer, review=review, description=finding.description,
            chronology_entry_id=entries[finding.at].pk if finding.at is not None else None,
        )
        for factor in finding.factors:
            found = _factor(world, factor.code)
            learning_services.factor_code(
                actor=reviewer, review=review, category=found.category.code, factor_id=found.pk,
                evidence=factor.evidence, scope=factor.scope, positive_id=positive.pk,
            )

    day = later(day, rng.randint(2, 6))
    yield at(day, 15, rng.randint(0, 50))
    review.refresh_from_db()
    review = learning_services.review_save(
        actor=reviewer, review=review, summary=story.summary, recommendations=story.recommendations,
        expected_version=review.version,
    )
    approve_on = later(day, rng.randint(8, 20))
    actions = []
    for planned in story.actions:
        owner_user, owner_name = None, ""
        if planned.owner == "case_owner":
            owner_user = owner
        elif planned.owner == "advisor":
            owner_user = reviewer
        else:
            owner_name = planned.owner
        actions.append(action_services.action_add(
            actor=reviewer, review=review, description=planned.description,
            factor_ids=[coded[code] for code in planned.answers if code in coded],
            owner_user_id=owner_user.pk if owner_user else None, owner_name=owner_name,
            owner_outside=planned.outside, priority=planned.priority,
            due_on=approve_on + dt.timedelta(days=planned.due_days),
        ))

    day = later(day, rng.randint(3, 8))
    yield at(day, 16, rng.randint(0, 50))
    review.refresh_from_db()
    review = learning_services.review_submit(actor=reviewer, review=review, expected_version=review.version)
    if rng.random() < RETURNED_SHARE:
        day = later(day, rng.randint(2, 4))
        yield at(day, 12, rng.randint(0, 50))
        review = learning_services.review_return(
            actor=world.admin, review=review, expected_version=review.version,
            reason="Please say more about what went well, and name who owns each action.",
        )
        day = later(day, rng.randint(1, 3))
        yield at(day, 10, rng.randint(0, 50))
        review = learning_services.review_save(
            actor=reviewer, review=review, summary=story.summary,
            recommendations=story.recommendations + " Each action has a named owner and a date.",
            expected_version=review.version,
        )
        review = learning_services.review_submit(actor=reviewer, review=review, expected_version=review.version)
    day = max(later(day, 2), approve_on)
    yield at(day, 11, rng.randint(0, 50))
    review = learning_services.review_approve(actor=world.admin, review=review, expected_version=review.version)
    for index, action in enumerate(actions):
        world.clock.start(action_story(world, plan, action, owner, day, index))
    if rng.random() >= SHARED_SHARE:
        return
    day = later(day, rng.randint(1, 5))
    yield at(day, 14, rng.randint(0, 50))
    learning = story.learning
    summary = sharing_services.summary_write(
        actor=reviewer, review=review, title=learning["title"], month=day.replace(day=1),
        profession=plan.practitioner.profession, what_happened=learning["what_happened"],
        what_was_learnt=learning["what_was_learnt"], what_changed=learning.get("what_changed", ""),
        factor_ids=[factor.pk for factor in sharing_services.summary_factor_choices(review)],
    )
    day = later(day, rng.randint(1, 6))
    yield at(day, 15, rng.randint(0, 50))
    sharing_services.summary_approve(actor=owner, summary=summary, expected_version=summary.version)


def action_story(world, plan, action, case_owner, approved_on: dt.date, index: int):
    """One improvement action after its review's approval."""
    import random

    rng = random.Random(f"{plan.index}:action:{index}")
    text = words()
    ending = rng.choices(list(ACTION_ENDINGS), weights=list(ACTION_ENDINGS.values()))[0]
    mover = action.owner_user or case_owner
    if ending == "open":
        return
    day = later(approved_on, rng.randint(3, 15))
    yield at(day, 10, rng.randint(0, 50))
    action = action_services.action_move(actor=mover, action=action, expected_version=action.version,
                                         to_status=ActionStatus.IN_PROGRESS)
    if ending == "in_progress":
        return
    finish = max(later(day, 5), action.due_on + dt.timedelta(days=rng.randint(-25, 10)))
    yield at(later(finish, 0), 15, rng.randint(0, 50))
    if ending == "not_done":
        action_services.action_move(actor=mover, action=action, expected_version=action.version,
                                    to_status=ActionStatus.NOT_DONE, note=rng.choice(text.not_done_reasons))
        return
    action = action_services.action_move(actor=mover, action=action, expected_version=action.version,
                                         to_status=ActionStatus.DONE, evidence=rng.choice(text.evidence))
    if ending == "done":
        return
    day = later(finish, rng.randint(3, 15))
    yield at(day, 16, rng.randint(0, 50))
    action_services.action_assure(actor=world.admin, action=action, expected_version=action.version,
                                  assurance_note=rng.choice(text.assurance))
