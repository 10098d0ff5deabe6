"""The demo case manager's leadership toolkit records."""

import datetime as dt

from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role


def load_toolkit(rng) -> None:
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
