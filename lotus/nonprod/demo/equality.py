"""The demo practitioners' equality monitoring, and the one gap planted in the demo's cases.

Pure: no Django import. Everything here is fictional.

The gap (issue 13's demo): of the cases the panel decides, those about international
graduates (primary qualification outside the UK) go to a formal investigation more
often than those about UK graduates: PLANTED_GAP gives the shares the plan aims at. Every
other step is the same for every group: who is referred (demo workforce figures should
hold each group in the share it has of the practitioners with concerns, so referral rates
match), the triage colour, withdrawal, what happens after an investigation, score changes
after blind scoring.
Those are assigned by quota within each group (`quota`), so no other gap appears by
chance either. Ethnicity is not planted: it follows from where people qualified, so a
smaller gap for ethnic minority practitioners shows at the same stage, as it would.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

UK = "uk"
INTERNATIONAL = "international"
NOT_KNOWN = "not_known"
ROUTES = (UK, INTERNATIONAL, NOT_KNOWN)


@dataclass(frozen=True)
class PlantedGap:
    stage: str
    group: str
    reference: str
    #: The share of each group's cases taken to a formal investigation at their first panel
    #: decision (the plan's aim; the loaded figures are a case or two either side).
    rate: dict[str, float]


PLANTED_GAP = PlantedGap(
    stage="formal investigation, of the cases the panel decided",
    group="international graduates (primary qualification outside the UK)",
    reference="UK graduates",
    rate={INTERNATIONAL: 0.40, UK: 0.14, NOT_KNOWN: 0.18},
)

#: Where a new practitioner qualified, by profession: (UK, international, not known).
ROUTE_SHARES = {
    "medical": (0.55, 0.39, 0.06),
    "dental": (0.66, 0.28, 0.06),
    "optometry": (0.80, 0.14, 0.06),
}

#: Countries of primary qualification, with the ethnic categories (NHS Data Dictionary
#: codes) most often recorded for people who qualified there, as weights.
UK_ETHNICITY = {"A": 60, "B": 2, "C": 3, "D": 1, "E": 1, "F": 2, "G": 1, "H": 9, "J": 6, "K": 2, "L": 3,
                "M": 2, "N": 3, "R": 2, "S": 1, "Z": 2}
ABROAD = {
    "Ireland": {"B": 85, "C": 10, "Z": 5},
    "Poland": {"C": 95, "Z": 5},
    "Romania": {"C": 95, "Z": 5},
    "Greece": {"C": 95, "Z": 5},
    "India": {"H": 88, "L": 7, "Z": 5},
    "Pakistan": {"J": 92, "L": 3, "Z": 5},
    "Sri Lanka": {"L": 93, "Z": 7},
    "Nigeria": {"N": 94, "Z": 6},
    "Sudan": {"N": 80, "S": 14, "Z": 6},
    "Egypt": {"S": 92, "Z": 8},
    "Iraq": {"S": 93, "Z": 7},
}
#: How often each country is where an international graduate qualified.
ABROAD_WEIGHTS = {"Ireland": 4, "Poland": 2, "Romania": 3, "Greece": 2, "India": 24, "Pakistan": 16,
                  "Sri Lanka": 6, "Nigeria": 18, "Sudan": 8, "Egypt": 11, "Iraq": 6}
SEX = {"female": 50, "male": 47, "not_stated": 3}
DISABILITY = {"no": 86, "yes": 6, "not_stated": 8}


@dataclass(frozen=True)
class Equality:
    route: str
    qualification_country: str
    ethnic_category: str
    sex: str
    disability: str


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def route_for(rng: random.Random, profession: str) -> str:
    return rng.choices(ROUTES, weights=ROUTE_SHARES.get(profession, ROUTE_SHARES["medical"]))[0]


def equality_for(rng: random.Random, route: str) -> Equality:
    """A plausible, fictional equality record for someone who qualified by `route`."""
    if route == UK:
        country, ethnicity = "United Kingdom", _weighted(rng, UK_ETHNICITY)
    elif route == INTERNATIONAL:
        country = _weighted(rng, ABROAD_WEIGHTS)
        ethnicity = _weighted(rng, ABROAD[country])
    else:  # not recorded: often the rest is missing too
        country = ""
        ethnicity = "Z" if rng.random() < 0.5 else _weighted(rng, UK_ETHNICITY)
    return Equality(route, country, ethnicity, _weighted(rng, SEX), _weighted(rng, DISABILITY))


def quota(rng: random.Random, items: Sequence, shares: dict[str, float]) -> dict[int, str]:
    """Give each item (by position) one of the keys of `shares`, in those proportions as
    nearly as whole numbers allow, in a shuffled order: the same proportions in every
    group it is applied to, whatever the group's size."""
    order = list(range(len(items)))
    rng.shuffle(order)
    keys = list(shares)
    total = sum(shares.values())
    given: dict[int, str] = {}
    cumulative, start = 0.0, 0
    for key in keys:
        cumulative += shares[key] / total
        end = round(cumulative * len(order))
        for position in order[start:end]:
            given[position] = key
        start = end
    for position in order[start:]:
        given[position] = keys[-1]
    return given


def weighted_pick(rng: random.Random, weights: Sequence[float], count: int) -> set[int]:
    """`count` positions chosen without replacement, each in proportion to its weight."""
    chosen: set[int] = set()
    remaining = [(i, w) for i, w in enumerate(weights) if w > 0]
    while remaining and len(chosen) < count:
        total = sum(w for _, w in remaining)
        point = rng.random() * total
        for index, (position, weight) in enumerate(remaining):
            point -= weight
            if point <= 0:
                chosen.add(position)
                remaining.pop(index)
                break
        else:
            chosen.add(remaining.pop()[0])
    return chosen
