"""The demo's stories and other words, read from data/stories.yaml (prose lives in data
files), checked once on load so a typo fails loudly rather than halfway through a demo."""

from __future__ import annotations

import functools
import pathlib
from dataclasses import dataclass

import yaml

DATA = pathlib.Path(__file__).resolve().parent / "data" / "stories.yaml"


@dataclass(frozen=True)
class Coded:
    code: str
    scope: str
    evidence: str


@dataclass(frozen=True)
class Finding:
    description: str
    at: int | None
    factors: tuple[Coded, ...]


@dataclass(frozen=True)
class Event:
    days: int
    what: str
    who: str


@dataclass(frozen=True)
class PlannedAction:
    description: str
    answers: tuple[str, ...]
    owner: str
    outside: bool
    priority: str
    due_days: int


@dataclass(frozen=True)
class Story:
    key: str
    categories: tuple[str, ...]
    professions: tuple[str, ...]
    contracts: tuple[str, ...]
    international: bool
    sources: tuple[str, ...]
    concerns: tuple[str, ...]
    chronology: tuple[Event, ...]
    problems: tuple[Finding, ...]
    went_well: tuple[Finding, ...]
    summary: str
    recommendations: str
    actions: tuple[PlannedAction, ...]
    learning: dict


@dataclass(frozen=True)
class Words:
    stories: dict[str, Story]
    triage_rationales: dict[str, str]
    decision_rationales: dict[str, str]
    reasons: dict[str, str]
    not_done_reasons: tuple[str, ...]
    evidence: tuple[str, ...]
    assurance: tuple[str, ...]


def _coded(entries) -> tuple[Coded, ...]:
    return tuple(Coded(e["code"], e["scope"], " ".join(e["evidence"].split())) for e in entries)


def _finding(entry) -> Finding:
    return Finding(" ".join(entry["description"].split()), entry.get("at"), _coded(entry["factors"]))


def _story(key: str, raw: dict) -> Story:
    chronology = tuple(Event(e["days"], e["what"], e.get("who", "")) for e in raw["chronology"])
    story = Story(
        key=key,
        categories=tuple(raw["categories"]),
        professions=tuple(raw["professions"]),
        contracts=tuple(raw.get("contracts", ())),
        international=bool(raw.get("international", False)),
        sources=tuple(raw["sources"]),
        concerns=tuple(raw["concerns"]),
        chronology=chronology,
        problems=tuple(_finding(p) for p in raw["problems"]),
        went_well=tuple(_finding(p) for p in raw.get("went_well", ())),
        summary=" ".join(raw["summary"].split()),
        recommendations=" ".join(raw["recommendations"].split()),
        actions=tuple(
            PlannedAction(
                " ".join(a["description"].split()), tuple(a["answers"]), a["owner"], bool(a.get("outside", False)),
                a["priority"], int(a["due_days"]),
            )
            for a in raw["actions"]
        ),
        learning={name: " ".join(text.split()) for name, text in raw["learning"].items()},
    )
    coded = {c.code for finding in story.problems + story.went_well for c in finding.factors}
    for finding in story.problems + story.went_well:
        if finding.at is not None and not 0 <= finding.at < len(chronology):
            raise ValueError(f"Demo story {key}: a finding sits on chronology entry {finding.at}, which is not there")
    for action in story.actions:
        if not set(action.answers) <= coded:
            raise ValueError(f"Demo story {key}: an action answers a factor the story does not code")
    return story


@functools.cache
def words() -> Words:
    with DATA.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return Words(
        stories={key: _story(key, value) for key, value in raw["stories"].items()},
        triage_rationales={k: " ".join(v.split()) for k, v in raw["triage_rationales"].items()},
        decision_rationales=raw["decision_rationales"],
        reasons=raw["reasons"],
        not_done_reasons=tuple(raw["not_done_reasons"]),
        evidence=tuple(raw["evidence"]),
        assurance=tuple(raw["assurance"]),
    )
