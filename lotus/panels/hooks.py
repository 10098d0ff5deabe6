"""Extension points for the apps that build on panels (letters, the portal).

Dependencies flow one way (DESIGN.md, docs/adr/0018): `panels` never imports `letters`
or `portal`. Those apps register plain functions here from their AppConfig.ready(), as
the case apps do with lotus.cases.hooks, and the panel services and selectors call them.

- decision_recorded(decision: RecordedDecision): the panel's decision on an agenda item
  was saved. Receivers run inside decision_record's transaction, so a receiver that
  fails undoes the decision too (the outcome letter and the consent request are part of
  recording it). The payload carries what a receiver needs to know about the panel, so
  no receiver has to reach back into the panel services.
- item_reflections(case_ids) -> dict[int, list[ReflectionPaper]]: the practitioner's own
  reflections on these cases, for the item papers and the meeting pack. The portal owns
  reflections; it hands them to panels through this hook.
- decision_prompts(item) -> dict | None: something to show the member on the decision
  form, as a plain dictionary ("title", "why", "basis", "tables", "just_culture", ...).
  lotus.insights gives the consistency prompt: how similar cases were decided. The form
  shows each prompt and the decision keeps it exactly as shown (Decision.prompts_shown).
"""

import datetime as dt
from dataclasses import dataclass, field

decision_recorded: list = []
item_reflections: list = []
decision_prompts: list = []


def prompts_for(item) -> list[dict]:
    """Every provider's prompt for an item's decision form, in the order registered."""
    found = []
    for provider in decision_prompts:
        prompt = provider(item=item)
        if prompt:
            found.append(prompt)
    return found


@dataclass(frozen=True)
class RecordedDecision:
    """What a receiver is told about a decision just recorded."""

    decision: object  # lotus.panels.models.Decision
    case: object  # lotus.cases.models.Case
    actor: object
    outcomes: tuple[str, ...]
    panel_name: str
    panel_full_name: str
    meeting_date: dt.date
    request: object = None


@dataclass(frozen=True)
class PaperDocument:
    id: int
    name: str
    is_withdrawn: bool


@dataclass(frozen=True)
class ReflectionPaper:
    """One reflection as the panel reads it: the words and the files sent with it."""

    text: str
    sent_at: dt.datetime
    documents: tuple[PaperDocument, ...] = field(default_factory=tuple)


def run_decision_recorded(recorded: RecordedDecision) -> None:
    for receiver in decision_recorded:
        receiver(recorded)


def reflections_for(case_ids) -> dict[int, list[ReflectionPaper]]:
    """Every provider's reflections for these cases, oldest first within a case."""
    found: dict[int, list[ReflectionPaper]] = {}
    case_ids = list(case_ids)
    if not case_ids:
        return found
    for provider in item_reflections:
        for case_id, papers in provider(case_ids).items():
            found.setdefault(case_id, []).extend(papers)
    for papers in found.values():
        papers.sort(key=lambda paper: paper.sent_at)
    return found
