"""The monitored characteristics, their groups, and which group each is compared with.
Pure: no Django import.

Each characteristic has leaf groups (every practitioner is in exactly one, "not known"
included) and may have combined groups (the sum of some leaves, like "ethnic minority",
the WRES grouping). Comparisons are made against a named reference group. The words are
in lotus/insights/content/equity.yaml; the codes here are what the database, the CSV
template and the API use.
"""

from __future__ import annotations

import functools
import pathlib
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

CONTENT = pathlib.Path(__file__).resolve().parents[1] / "content" / "equity.yaml"
NOT_KNOWN = "not_known"


@dataclass(frozen=True)
class Characteristic:
    code: str
    label: str
    #: Leaf groups in order, as (code, label); every person is in exactly one.
    groups: tuple[tuple[str, str], ...]
    #: Combined groups, as (code, label, the leaf codes they add up).
    combined: tuple[tuple[str, str, tuple[str, ...]], ...]
    reference: str
    #: The groups compared with the reference, in order (combined and leaves).
    compared: tuple[str, ...]
    reference_note: str

    @property
    def leaf_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.groups)

    def label_of(self, code: str) -> str:
        for key, label in self.groups:
            if key == code:
                return label
        for key, label, _ in self.combined:
            if key == code:
                return label
        raise KeyError(code)

    def members(self, code: str) -> tuple[str, ...]:
        """The leaf groups a group is made of (itself, for a leaf)."""
        for key, _, leaves in self.combined:
            if key == code:
                return leaves
        if code in self.leaf_codes:
            return (code,)
        raise KeyError(code)

    @property
    def has_not_known(self) -> bool:
        return NOT_KNOWN in self.leaf_codes


#: (code, combined groups with their leaves, reference group, groups compared with it).
_SHAPE = (
    ("ethnicity", {"ethnic_minority": ("mixed", "asian", "black", "other")}, "white",
     ("ethnic_minority", "mixed", "asian", "black", "other")),
    ("qualification", {"outside_uk": ("eea", "international")}, "uk", ("outside_uk", "eea", "international")),
    ("sex", {}, "male", ("female",)),
    ("age", {}, "35_44", ("under_35", "45_54", "55_64", "65_plus")),
    ("disability", {}, "no", ("yes",)),
    ("profession", {}, "medical", ("dental", "optometry", "other")),
)


@functools.cache
def content() -> dict:
    with CONTENT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _text(value: str) -> str:
    return " ".join(str(value).split())


@functools.cache
def characteristics() -> tuple[Characteristic, ...]:
    words = content()["characteristics"]
    found = []
    for code, combined, reference, compared in _SHAPE:
        text = words[code]
        groups = tuple((str(key), _text(label)) for key, label in text["groups"].items())
        joined = tuple((key, _text(text["combined"][key]), leaves) for key, leaves in combined.items())
        found.append(Characteristic(code, _text(text["label"]), groups, joined, reference, compared,
                                    _text(text["reference_note"])))
    return tuple(found)


def characteristic(code: str) -> Characteristic:
    for one in characteristics():
        if one.code == code:
            return one
    raise KeyError(code)


#: Characteristics the workforce figures give per profession (profession itself is the
#: total of each profession).
WORKFORCE_CHARACTERISTICS = ("ethnicity", "qualification", "sex", "age", "disability")

# --------------------------------------------------------------------------- a person's groups

_ETHNIC_GROUPS = {
    **dict.fromkeys("ABC", "white"),
    **dict.fromkeys("DEFG", "mixed"),
    **dict.fromkeys("HJKL", "asian"),
    **dict.fromkeys("MNP", "black"),
    **dict.fromkeys("RS", "other"),
}
_AGE_BANDS = ((35, "under_35"), (45, "35_44"), (55, "45_54"), (65, "55_64"))


def age_band(year_of_birth: int | None, year: int) -> str:
    """The age band someone born in `year_of_birth` is in during `year` (their age at
    their birthday that year)."""
    if not year_of_birth:
        return NOT_KNOWN
    age = year - year_of_birth
    for below, band in _AGE_BANDS:
        if age < below:
            return band
    return "65_plus"


@dataclass(frozen=True)
class EqualityFacts:
    """What the equality record says (None for no record), as stored."""

    profession: str
    ethnic_category: str | None = None
    graduate_route: str | None = None
    sex: str | None = None
    disability: str | None = None
    year_of_birth: int | None = None


def groups_of(facts: EqualityFacts, year: int) -> dict[str, str]:
    """The leaf group of each characteristic a person is in, during `year`."""
    return {
        "ethnicity": _ETHNIC_GROUPS.get(facts.ethnic_category or "", NOT_KNOWN),
        "qualification": facts.graduate_route if facts.graduate_route in ("uk", "eea", "international") else NOT_KNOWN,
        "sex": facts.sex if facts.sex in ("female", "male") else NOT_KNOWN,
        "age": age_band(facts.year_of_birth, year),
        "disability": facts.disability if facts.disability in ("yes", "no") else NOT_KNOWN,
        "profession": facts.profession,
    }


def recorded(groups: Mapping[str, str], code: str) -> bool:
    return groups.get(code, NOT_KNOWN) != NOT_KNOWN
