"""Helpers for toolkit tests: complete answers and records owned by a given leader."""

from lotus.toolkit import services
from lotus.toolkit.content import INSTRUMENTS, TEAM_INSTRUMENTS


def all_answers(slug: str, value: int = 4, **overrides) -> dict[str, int]:
    instrument = INSTRUMENTS.get(slug) or TEAM_INSTRUMENTS[slug]
    answers = {item.key: value for item in instrument.items}
    answers.update(overrides)
    return answers


def post_answers(slug: str, value: int = 4, **extra) -> dict[str, str]:
    data = {key: str(v) for key, v in all_answers(slug, value).items()}
    data.update(extra)
    return data


def complete_attempt(user, slug: str = "four-elements", value: int = 4, subject: str = ""):
    if slug in ("radical-candour", "inclusion") and not subject:
        subject = "A fictional subject"
    return services.assessment_save(
        actor=user, instrument=slug, answers=all_answers(slug, value), subject=subject
    ).attempt


def saved_entry(user, exercise: str = "1.3.i", text: str = "A fictional reflection", actions=()):
    return services.entry_save(
        actor=user, exercise=exercise, responses={"strongest": text}, actions=list(actions)
    )
