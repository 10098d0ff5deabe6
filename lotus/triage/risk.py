"""Risk scoring for triage: the 5×5 consequence × likelihood grid and its bands.

Pure: no Django import, so anyone can read it, test it and script against it.

    >>> from lotus.triage.risk import assess
    >>> result = assess({"patient_safety": 4, "financial": None}, likelihood=3)
    >>> (result.consequence, result.score, result.band, result.colour)
    (4, 12, 'high', 'amber')

The overall consequence is the highest level among the domains that are relevant; the
score is consequence × likelihood (1–25). Bands are an organisation setting: a list of
named, coloured ranges that together cover every score from 1 to 25 exactly once, with
colours that never get less severe as the score rises. Scores 7, 11, 13, 14, 17, 18, 19,
21, 22, 23 and 24 cannot come out of a 5×5 grid, but the bands still cover them so that
"no gaps" has one simple meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: The five consequence domains, in the order they are shown.
DOMAINS: tuple[str, ...] = ("patient_safety", "statutory", "financial", "management", "professionalism")

DOMAIN_LABELS: dict[str, str] = {
    "patient_safety": "Patient and public safety",
    "statutory": "Statutory duties and inspections",
    "financial": "Financial",
    "management": "Management",
    "professionalism": "Professionalism, conduct and reputation",
}

CONSEQUENCE_LABELS: dict[int, str] = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}

#: A short descriptor for each level in each domain, in our own words.
CONSEQUENCE_DESCRIPTORS: dict[str, dict[int, str]] = {
    "patient_safety": {
        1: "No harm to anyone, or harm so slight it needs no treatment.",
        2: "Short-lived harm that needs little or no treatment and goes within days.",
        3: "Harm that needs treatment or extra care, or a risk that would cause it if left alone.",
        4: "Serious or lasting harm, such as an emergency admission, or a real risk of it.",
        5: "Death, permanent harm, or harm to many people.",
    },
    "statutory": {
        1: "No breach of any legal or regulatory duty.",
        2: "A single breach of a duty or standard, put right quickly.",
        3: "Repeated breaches, or a breach that a regulator would challenge.",
        4: "A breach that leads to enforcement action or a critical inspection report.",
        5: "Several serious breaches, with prosecution or loss of registration likely.",
    },
    "financial": {
        1: "No loss of money, and no realistic prospect of a claim.",
        2: "A small loss, or a small chance of a claim.",
        3: "A loss worth looking into, or a claim that is possible.",
        4: "Clear evidence of mismanaged NHS money, or a large claim is likely.",
        5: "Suspected fraud, or a loss large enough to call for a formal fraud investigation.",
    },
    "management": {
        1: "A small slip in a process, with no lasting effect.",
        2: "A process not followed, or a single complaint, with a short-lived effect.",
        3: "Repeated failures to follow processes, or several complaints.",
        4: "A failure that puts a service at risk, or a pattern of complaints.",
        5: "A failure that stops a service working or puts its users in danger.",
    },
    "professionalism": {
        1: "No effect on trust in the practitioner or the profession, and no media interest.",
        2: "A minor lapse, with little effect on trust and local interest at most.",
        3: "A lapse that dents trust, or local media coverage.",
        4: "A serious lapse, such as dishonesty, or national media coverage likely.",
        5: "A grave breach of trust or ethics, with lasting national coverage.",
    },
}

#: Likelihood of recurrence: the label and the probability band it stands for.
LIKELIHOOD_LABELS: dict[int, str] = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
LIKELIHOOD_PROBABILITIES: dict[int, str] = {
    1: "less than 0.1%",
    2: "0.1% to 1%",
    3: "1% to 10%",
    4: "10% to 50%",
    5: "more than 50%",
}

#: The six factors that inform likelihood.
LIKELIHOOD_FACTORS: tuple[str, ...] = ("insight", "health", "behaviours", "support", "work_context", "engagement")
LIKELIHOOD_FACTOR_LABELS: dict[str, str] = {
    "insight": "Insight",
    "health": "Health",
    "behaviours": "Behaviours",
    "support": "Level of support",
    "work_context": "Context of work",
    "engagement": "Engagement",
}
LIKELIHOOD_FACTOR_HINTS: dict[str, str] = {
    "insight": "Does the practitioner accept what went wrong and how it affected others?",
    "health": "Is there a health matter that makes a repeat more or less likely?",
    "behaviours": "Is this a one-off, or part of a pattern? Is it far from what is expected?",
    "support": "Do they have people to turn to, such as a defence body, peers, family or a mentor, or are they on their own?",
    "work_context": "How do they work (partner, salaried, locum), how supportive is the setting, and is a regulator involved?",
    "engagement": "Are they working with the organisation and support services, and answering requests?",
}
#: The short judgement recorded for each factor.
FACTOR_JUDGEMENTS: dict[str, str] = {
    "lowers": "Makes a repeat less likely",
    "neutral": "Makes little difference",
    "raises": "Makes a repeat more likely",
    "unknown": "Not known yet",
}

COLOURS: tuple[str, ...] = ("green", "amber", "red")
SCORE_MIN, SCORE_MAX = 1, 25
LEVELS = range(1, 6)


@dataclass(frozen=True)
class Band:
    name: str
    low: int
    high: int
    colour: str

    def contains(self, score: int) -> bool:
        return self.low <= score <= self.high

    def as_dict(self) -> dict:
        return {"name": self.name, "low": self.low, "high": self.high, "colour": self.colour}


#: NPSA-style defaults (DESIGN.md): 1–3 low, 4–6 moderate, 8–12 high, 15–25 extreme. The
#: scores that cannot occur (7, 13, 14) are folded into the band below them.
DEFAULT_BANDS: tuple[Band, ...] = (
    Band("low", 1, 3, "green"),
    Band("moderate", 4, 7, "amber"),
    Band("high", 8, 14, "amber"),
    Band("extreme", 15, 25, "red"),
)


@dataclass(frozen=True)
class Assessment:
    consequence: int
    likelihood: int
    score: int
    band: str
    colour: str
    domains: tuple[tuple[str, int | None], ...]
    #: The position of the band, 0 for the lowest; higher is more serious.
    band_rank: int = 0


def _coerce_band(item, position: int) -> Band:
    if isinstance(item, Band):
        return item
    if not isinstance(item, Mapping):
        raise ValueError(f"Band {position} must have a name, lowest score, highest score and colour")
    missing = [key for key in ("name", "low", "high", "colour") if key not in item]
    if missing:
        raise ValueError(f"Band {position} is missing its {missing[0]}")
    return Band(str(item["name"]).strip(), item["low"], item["high"], str(item["colour"]).strip())


def validate_bands(bands: Iterable) -> tuple[Band, ...]:
    """Check a band setting and return it sorted by score.

    Refuses, with the exact range at fault: a band whose scores are not whole numbers from
    1 to 25 or run backwards, an unknown colour, a repeated name, two bands that overlap,
    any score left out, and colours that get less severe as the score rises.
    """
    if isinstance(bands, str | bytes) or not isinstance(bands, Iterable):
        raise ValueError("Bands must be a list of score ranges")
    checked = [_coerce_band(item, number) for number, item in enumerate(bands, start=1)]
    if not checked:
        raise ValueError("Add at least one band: scores 1 to 25 are in no band")
    names = set()
    for band in checked:
        if not band.name:
            raise ValueError(f"The band for scores {band.low} to {band.high} needs a name")
        if band.name in names:
            raise ValueError(f"Two bands are called '{band.name}': give each band its own name")
        names.add(band.name)
        for value in (band.low, band.high):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"Band '{band.name}' must use whole numbers for its scores")
        if not (SCORE_MIN <= band.low <= SCORE_MAX and SCORE_MIN <= band.high <= SCORE_MAX):
            raise ValueError(
                f"Band '{band.name}' ({band.low} to {band.high}) must use scores between 1 and 25"
            )
        if band.low > band.high:
            raise ValueError(
                f"Band '{band.name}' starts at {band.low} but ends at {band.high}: the lowest score must come first"
            )
        if band.colour not in COLOURS:
            raise ValueError(f"Band '{band.name}' must be green, amber or red")
    ordered = sorted(checked, key=lambda b: (b.low, b.high))
    expected_next = SCORE_MIN
    previous: Band | None = None
    for band in ordered:
        if previous is not None and band.low <= previous.high:
            raise ValueError(
                f"Bands '{previous.name}' ({previous.low} to {previous.high}) and '{band.name}' "
                f"({band.low} to {band.high}) overlap on scores {band.low} to {min(previous.high, band.high)}"
            )
        if band.low > expected_next:
            raise ValueError(f"Scores {expected_next} to {band.low - 1} are not in any band")
        if previous is not None and COLOURS.index(band.colour) < COLOURS.index(previous.colour):
            raise ValueError(
                f"Band '{band.name}' ({band.low} to {band.high}) is {band.colour} but the band below it "
                f"is {previous.colour}: colours must not get less severe as the score rises"
            )
        expected_next = band.high + 1
        previous = band
    if expected_next <= SCORE_MAX:
        raise ValueError(f"Scores {expected_next} to {SCORE_MAX} are not in any band")
    return tuple(ordered)


def band_for(score: int, bands: Iterable | None = None) -> Band:
    for band in validate_bands(DEFAULT_BANDS if bands is None else bands):
        if band.contains(score):
            return band
    raise ValueError(f"Score {score} must be between 1 and 25")  # unreachable for valid scores


def band_rank(score: int, bands: Iterable | None = None) -> int:
    """The position of the score's band, 0 for the lowest, for comparing seriousness."""
    ordered = validate_bands(DEFAULT_BANDS if bands is None else bands)
    for index, band in enumerate(ordered):
        if band.contains(score):
            return index
    raise ValueError(f"Score {score} must be between 1 and 25")


def _check_level(value, what: str, *, allow_none: bool) -> int | None:
    if value is None:
        if allow_none:
            return None
        raise ValueError(f"{what} is missing: choose a level from 1 to 5")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number from 1 to 5")
    if value not in LEVELS:
        raise ValueError(f"{what} must be from 1 to 5, not {value}")
    return value


def assess(consequences: Mapping[str, int | None], likelihood: int | None, bands: Iterable | None = None) -> Assessment:
    """Score a risk. `consequences` maps domain keys (see DOMAINS) to a level 1–5, or None
    when the domain is not relevant; at least one domain must have a level. Domains left
    out count as not relevant. Raises ValueError, naming the field, on bad input."""
    if not isinstance(consequences, Mapping):
        raise ValueError("Consequences must map each domain to a level from 1 to 5, or None if not relevant")
    unknown = sorted(str(key) for key in consequences if key not in DOMAINS)
    if unknown:
        raise ValueError(f"Unknown consequence domain '{unknown[0]}': use one of {', '.join(DOMAINS)}")
    levels = {
        domain: _check_level(consequences.get(domain), f"Consequence for {DOMAIN_LABELS[domain].lower()}", allow_none=True)
        for domain in DOMAINS
    }
    scored = [level for level in levels.values() if level is not None]
    if not scored:
        raise ValueError("Every consequence domain is marked not relevant: give at least one domain a level")
    likelihood = _check_level(likelihood, "Likelihood of recurrence", allow_none=False)
    consequence = max(scored)
    score = consequence * likelihood
    ordered = validate_bands(DEFAULT_BANDS if bands is None else bands)
    for index, band in enumerate(ordered):
        if band.contains(score):
            result = Assessment(
                consequence=consequence,
                likelihood=likelihood,
                score=score,
                band=band.name,
                colour=band.colour,
                domains=tuple(levels.items()),
                band_rank=index,
            )
            return result
    raise AssertionError("validated bands cover every score")  # pragma: no cover


@dataclass(frozen=True)
class GridCell:
    consequence: int
    likelihood: int
    score: int
    band: str
    colour: str
    is_current: bool


def grid(bands: Iterable | None = None, *, current: tuple[int, int] | None = None) -> list[list[GridCell]]:
    """The 5×5 grid as rows from likelihood 5 (top) to 1, columns consequence 1 to 5.

    `current` is (consequence, likelihood) of the case being shown, if any.
    """
    ordered = validate_bands(DEFAULT_BANDS if bands is None else bands)

    def cell(c: int, lik: int) -> GridCell:
        score = c * lik
        band = next(b for b in ordered if b.contains(score))
        return GridCell(c, lik, score, band.name, band.colour, current == (c, lik))

    return [[cell(c, lik) for c in LEVELS] for lik in reversed(LEVELS)]
