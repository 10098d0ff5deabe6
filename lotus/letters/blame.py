"""The blame check: phrases that put blame on a person rather than describing what
happened, each with a kinder way to say it. Pure: no Django import.

The phrases are in data/blame.yaml. Used by the letters' communication check (as part of
its tone finding, lotus/letters/readability.py) and by lessons-learnt reviews on their
summary and recommendations (lotus.learning), where it warns and never blocks.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data" / "blame.yaml"


@dataclass(frozen=True)
class BlamePhrase:
    phrase: str
    kinder: str


@dataclass(frozen=True)
class BlameFound:
    phrase: str
    kinder: str
    excerpt: str


@lru_cache(maxsize=1)
def blame_phrases() -> tuple[BlamePhrase, ...]:
    """The list, longest phrase first, so "should have known" is named before "should have"."""
    entries = yaml.safe_load(DATA.read_text(encoding="utf-8")) or []
    phrases = [BlamePhrase(entry["phrase"].lower().strip(), entry["kinder"].strip()) for entry in entries]
    return tuple(sorted(phrases, key=lambda p: len(p.phrase), reverse=True))


def _pattern(phrase: str) -> re.Pattern:
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<![\w'’-])" + r"\s+".join(words) + r"(?![\w'’-])", re.IGNORECASE)


@lru_cache(maxsize=256)
def _compiled(phrase: str) -> re.Pattern:
    return _pattern(phrase)


def _excerpt(text: str, start: int, end: int, *, around: int = 30) -> str:
    left = max(0, start - around)
    right = min(len(text), end + around)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def blame_found(text: str, phrases: tuple[BlamePhrase, ...] | None = None) -> list[BlameFound]:
    """Each blaming phrase in `text`, once, with the words around its first use. A phrase
    inside a longer one already found ("blame" in "to blame") is not named again."""
    text = text or ""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, BlameFound]] = []
    for entry in phrases if phrases is not None else blame_phrases():
        for match in _compiled(entry.phrase).finditer(text):
            span = match.span()
            if any(start <= span[0] and span[1] <= end for start, end in taken):
                continue
            taken.append(span)
            found.append((span[0], BlameFound(entry.phrase, entry.kinder, _excerpt(text, *span))))
            break
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]
