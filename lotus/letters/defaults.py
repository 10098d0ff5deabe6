"""The letter templates every organisation starts with, and which one fits a panel
decision. Pure: no Django import. Administrators can change the templates or add their own.

The words live in data files, not here: lotus/letters/data/templates/<key>.md (a short
front matter, then the letter), the blocks they share in data/parts.yaml, and what each
panel outcome means for its letter in data/outcomes.yaml. Each default passes the
communication check (tests/letters/test_defaults.py).
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
_PART = re.compile(r"\[\[\s*([a-z_]+)\s*\]\]")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    name: str
    subject: str
    body: str
    for_panel_outcome: bool = False


@dataclass(frozen=True)
class OutcomeGroup:
    key: str
    outcomes: tuple[str, ...]
    template: str
    says: tuple[str, ...]
    next_step: str


@dataclass(frozen=True)
class OutcomeWords:
    groups: tuple[OutcomeGroup, ...]
    combined_template: str
    consent_words: tuple[str, ...]
    review_words: tuple[str, ...]
    review_sentence: str
    consent_request: str

    def group_of(self, outcome: str) -> OutcomeGroup | None:
        return next((group for group in self.groups if outcome in group.outcomes), None)

    def groups_of(self, outcomes) -> list[OutcomeGroup]:
        """The groups the outcomes fall in, in the data file's order, each once."""
        chosen = {str(outcome) for outcome in outcomes}
        return [group for group in self.groups if chosen & set(group.outcomes)]


def _load_yaml(name: str):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def outcome_words() -> OutcomeWords:
    data = _load_yaml("outcomes.yaml")
    groups = tuple(
        OutcomeGroup(key=key, outcomes=tuple(value["outcomes"]), template=value["template"],
                     says=tuple(word.lower() for word in value["says"]), next_step=value["next_step"].strip())
        for key, value in data["groups"].items()
    )
    return OutcomeWords(
        groups=groups,
        combined_template=data["combined_template"],
        consent_words=tuple(word.lower() for word in data["consent_words"]),
        review_words=tuple(word.lower() for word in data["review_words"]),
        review_sentence=data["review_sentence"].strip(),
        consent_request=" ".join(data["consent_request"].split()),
    )


def _template_from(path: Path, parts: dict[str, str], outcome_keys: set[str]) -> DefaultTemplate:
    found = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{path.name} must start with front matter between two lines of ---")
    meta = yaml.safe_load(found.group(1))

    def part(match: re.Match) -> str:
        name = match.group(1)
        if name not in parts:
            raise ValueError(f"{path.name} uses [[{name}]], which data/parts.yaml does not have")
        return parts[name].strip()

    body = _PART.sub(part, found.group(2).strip())
    key = meta["key"]
    if key != path.stem:
        raise ValueError(f"{path.name} has the key {key}; it must match the file name")
    return DefaultTemplate(key=key, name=meta["name"], subject=meta["subject"], body=body,
                           for_panel_outcome=key in outcome_keys)


@lru_cache(maxsize=1)
def default_templates() -> tuple[DefaultTemplate, ...]:
    parts = _load_yaml("parts.yaml")
    words = outcome_words()
    outcome_keys = {group.template for group in words.groups} | {words.combined_template}
    # The letters that are not about a decision first, in a fixed order; then the outcome letters.
    paths = sorted((DATA / "templates").glob("*.md"), key=lambda p: (p.stem in outcome_keys, p.stem))
    return tuple(_template_from(path, parts, outcome_keys) for path in paths)


DEFAULT_TEMPLATES: tuple[DefaultTemplate, ...] = default_templates()


def template_key_for(outcomes) -> str:
    """The key of the default letter that fits a decision: its group's own letter when
    every outcome falls in one group, otherwise the combined letter."""
    words = outcome_words()
    groups = words.groups_of(outcomes)
    if len(groups) == 1:
        return groups[0].template
    return words.combined_template


def next_steps(outcomes) -> str:
    """What happens next, one sentence or two per group decided, for the combined letter."""
    return " ".join(group.next_step for group in outcome_words().groups_of(outcomes))


def review_sentence(review_date_text: str) -> str:
    return outcome_words().review_sentence.format(date=review_date_text) if review_date_text else ""


def consent_request(outcomes) -> str:
    return outcome_words().consent_request if "occupational_health" in {str(o) for o in outcomes} else ""


SAMPLE_VALUES = {
    "practitioner_name": "Dr Asha Rao",
    "case_reference": "LOT-2026-00042",
    "letter_date": "26 November 2026",
    "organisation_name": "NHS England North West",
    "panel_name": "PAG",
    "panel_full_name": "Performance Advisory Group",
    "meeting_date": "24 November 2026",
    "decisions": "ask you for your reflections",
    "rationale": "the panel wants to hear your side before it decides anything more.",
    "next_review_date": "12 January 2027",
    "review_sentence": "The panel will look at your case again on 12 January 2027.",
    "next_steps": "Please send us your reflections in LOTUS within 20 working days.",
    "consent_request": "",
    "case_manager_name": "Sam Patel",
    "case_manager_email": "sam.patel@example.nhs.uk",
    "case_manager_job_title": "Case manager",
    "sender_block": "Professional Standards Team\nNHS England North West",
    "reply_by_date": "10 December 2026",
}
