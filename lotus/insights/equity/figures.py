"""The equity dashboard's figures, from facts about cases and the workforce figures.
Pure: no Django import.

Stages run in the order a case meets them. Each is measured against the stage it
follows (`base`), so a gap shows where it opens: a case counts at a stage only if it
also counts at its base. The first stage counts practitioners with a concern in the year
against the workforce headcount; the others count cases, grouped by the year the concern
was received (a cohort), so every stage of a year is about the same cases.

Every count comes from a protected table (lotus.insights.equity.network): one per stage,
characteristic and period, with the groups, the combined groups and the total. Tables of
the same stage and period share their total, and are protected together. A rate, a
relative likelihood or an interval built on a hidden count is hidden too: with the counts
beside it, any of them would give the count away. The three-year pooled table hides, as
well, any figure whose years not shown would otherwise add up to fewer than the threshold
of people (`network.pooled_remainders`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from lotus.core.suppression import SUPPRESSION_THRESHOLD
from lotus.insights.equity import groups as groups_module
from lotus.insights.equity.groups import NOT_KNOWN, Characteristic, characteristics
from lotus.insights.equity.network import (
    EMPTY,
    TOTAL,
    People,
    grid_figures,
    pooled_remainders,
    protect_grids,
    protect_tables,
    table_figures,
)
from lotus.insights.stats import RelativeLikelihood, relative_likelihood
from lotus.insights.suppression import Shown

NOT_SHOWN = "Not shown"
COLOURS = ("red", "amber", "green")
NOT_COMPUTABLE = "Not computable"
TREND_YEARS = 5
POOLED_YEARS = 3


@dataclass(frozen=True)
class Stage:
    code: str
    title: str
    measured: str
    unit: str
    #: The stage this one is measured against (None: the workforce).
    base: str | None
    #: False while LOTUS has nowhere to record this step.
    recorded: bool = True
    not_recorded: str = ""


#: (code, base, recorded). The words are in lotus/insights/content/equity.yaml.
_STAGES = (
    ("received", None, True),
    ("red", "triaged", True),
    ("panel", "cases", True),
    ("investigation", "panel", True),
    ("exclusion", "investigation", True),
    ("conditions", "investigation", False),
    ("regulator", "panel", True),
    ("removal", "investigation", False),
)
#: What a base is called when it is not itself a stage.
BASE_TITLES = {"cases": "Cases received", "triaged": "Cases triaged"}


def stages() -> tuple[Stage, ...]:
    words = groups_module.content()["stages"]
    return tuple(
        Stage(code, " ".join(words[code]["title"].split()), " ".join(words[code]["measured"].split()),
              words[code]["unit"], base, recorded, " ".join(words[code].get("not_recorded", "").split()))
        for code, base, recorded in _STAGES
    )


def base_title(code: str) -> str:
    if code in BASE_TITLES:
        return BASE_TITLES[code]
    return next(stage.title for stage in stages() if stage.code == code)


@dataclass(frozen=True)
class CaseFacts:
    """One case: who it is about, the year its concern was received, the practitioner's
    group in each characteristic that year, and the steps it reached ("triaged", "red",
    "panel", "investigation", "exclusion", "regulator", ...)."""

    case_id: int
    person: Hashable
    year: int
    groups: Mapping[str, str]
    reached: frozenset[str]
    #: The triage colour (the agreed score's, else the first review's), for triaged cases.
    colour: str = ""
    #: The triage risk score that goes with the colour.
    score: int | None = None
    #: For a first review scored blind and submitted: how its score moved once the
    #: practitioner's details were revealed ("up", "same" or "down"); otherwise "".
    blind_change: str = ""
    #: With a first and an independent second review submitted: whether their colours differ.
    second_differs: bool | None = None
    days_to_triage: int | None = None
    days_to_letter: int | None = None


def members(facts: CaseFacts, set_code: str) -> bool:
    """Whether a case counts in a set: reached the step and every base below it."""
    if set_code == "cases":
        return True
    if set_code == "triaged":
        return "triaged" in facts.reached and facts.colour in COLOURS
    stage = next(s for s in _STAGES if s[0] == set_code)
    return set_code in facts.reached and members(facts, stage[1])


# --------------------------------------------------------------------------- the figures shown


@dataclass(frozen=True)
class Comparison:
    """A group against the reference group, as shown."""

    value: RelativeLikelihood | None
    text: str
    interval: str = ""
    verdict: str = ""

    @property
    def hidden(self) -> bool:
        return self.text == NOT_SHOWN


@dataclass(frozen=True)
class GroupRow:
    code: str
    label: str
    kind: str  # "leaf", "combined" or "total"
    is_reference: bool
    events: Shown
    population: Shown | None
    rate: str
    comparison: Comparison | None


@dataclass(frozen=True)
class StageTable:
    stage: Stage
    characteristic: str
    period: str
    rows: tuple[GroupRow, ...]
    recorded: str
    note: str = ""

    def row(self, code: str) -> GroupRow:
        return next(row for row in self.rows if row.code == code)


@dataclass(frozen=True)
class TrendRow:
    stage: Stage
    group: str
    label: str
    cells: tuple[Comparison, ...]


@dataclass(frozen=True)
class CharacteristicFigures:
    characteristic: Characteristic
    year: tuple[StageTable, ...]
    pooled: tuple[StageTable, ...]
    trend: tuple[TrendRow, ...]
    workforce_note: str = ""


@dataclass(frozen=True)
class Dashboard:
    year: int
    years: tuple[int, ...]
    pooled_label: str
    threshold: int
    has_workforce: bool
    characteristics: tuple[CharacteristicFigures, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: The year's protected table of triage colours, per characteristic (for the fairness
    #: tables, lotus.insights.equity.fairness, which publish the same figures).
    colour_shown: Mapping = field(default_factory=dict, repr=False)

    def figures_for(self, code: str) -> CharacteristicFigures:
        return next(one for one in self.characteristics if one.characteristic.code == code)


def count_text(shown: Shown | None) -> str:
    if shown is None:
        return ""
    return NOT_SHOWN if shown.suppressed else f"{shown.value:,}"


def _rate(events: Shown, population: Shown | None) -> str:
    if population is None or events.suppressed or population.suppressed:
        return NOT_SHOWN if population is not None else ""
    if not population.value:
        return NOT_COMPUTABLE
    return f"{100 * events.value / population.value:.1f}%"


def _comparison(events: Shown, population: Shown | None, ref_events: Shown, ref_population: Shown | None) -> Comparison:
    if population is None or ref_population is None:
        return Comparison(None, NOT_COMPUTABLE, verdict="No workforce figures")
    if any(figure.suppressed for figure in (events, population, ref_events, ref_population)):
        return Comparison(None, NOT_SHOWN)
    if not population.value or not ref_population.value:
        return Comparison(None, NOT_COMPUTABLE, verdict="Nobody in the group")
    try:
        found = relative_likelihood(events.value, population.value, ref_events.value, ref_population.value)
    except ValueError:
        # More people with a concern than the workforce figures count: the page says to check them.
        return Comparison(None, NOT_COMPUTABLE, verdict="Check the workforce figures")
    if found.ratio is None:
        return Comparison(found, NOT_COMPUTABLE, verdict="Nothing at this stage in the group compared with")
    interval = "" if found.low is None else f"{found.low:.2f} to {found.high:.2f}"
    verdict = "Within 0.80 to 1.25" if found.non_adverse else "Outside 0.80 to 1.25"
    return Comparison(found, f"{found.ratio:.2f}", interval, verdict)


def _recorded_share(figures: Mapping[str, People], shown: Mapping[str, Shown], has_not_known: bool) -> str:
    """The share of the things counted whose practitioner has the characteristic
    recorded, from published figures only (the total and "not known")."""
    if not has_not_known:
        return "100%"
    total, unknown = shown[TOTAL], shown[NOT_KNOWN]
    if total.suppressed or unknown.suppressed:
        return NOT_SHOWN
    if not total.value:
        return "No cases"
    return f"{round(100 * (total.value - unknown.value) / total.value)}%"


# --------------------------------------------------------------------------- building


def index_cases(cases: Sequence[CaseFacts]) -> dict[tuple, People]:
    """One pass over the cases: for each (year, set, characteristic, group), the things
    counted and who they are about. Periods add years up from this."""
    things: dict[tuple, int] = defaultdict(int)
    people: dict[tuple, set] = defaultdict(set)
    for facts in cases:
        sets = ["people", *(code for code in SETS[1:] if members(facts, code))]
        for set_code in sets:
            for code, group in facts.groups.items():
                key = (facts.year, set_code, code, group)
                things[key] += 1
                people[key].add(facts.person)
        if "triaged" in sets:
            for code, group in facts.groups.items():
                key = (facts.year, "colour", code, group, facts.colour)
                things[key] += 1
                people[key].add(facts.person)
    # A practitioner counts once a year at the first stage, however many concerns they had.
    return {key: People(len(people[key]) if key[1] == "people" else value, frozenset(people[key]))
            for key, value in things.items()}


def _by_leaf(index: Mapping[tuple, People], set_code: str, one: Characteristic, years: Sequence[int]
             ) -> dict[str, People]:
    found = {}
    for leaf in one.leaf_codes:
        total = EMPTY
        for year in years:
            total = total + index.get((year, set_code, one.code, leaf), EMPTY)
        found[leaf] = total
    return found


SETS = ("people", "cases", "triaged", "red", "panel", "investigation", "exclusion", "conditions", "regulator",
        "removal")


@dataclass
class _Period:
    label: str
    years: tuple[int, ...]
    figures: dict  # set -> characteristic -> key -> People
    shown: dict  # set -> characteristic -> key -> Shown
    #: characteristic -> the triage colour table's figures and what is shown of them.
    colour_figures: dict = field(default_factory=dict)
    colour_shown: dict = field(default_factory=dict)


def _colour_tables(index: Mapping[tuple, People], years: Sequence[int]) -> dict:
    tables = {}
    for one in characteristics():
        combined = {code: leaves for code, _, leaves in one.combined}
        by_cell = {}
        for leaf in one.leaf_codes:
            for colour in COLOURS:
                held = EMPTY
                for year in years:
                    held = held + index.get((year, "colour", one.code, leaf, colour), EMPTY)
                by_cell[(leaf, colour)] = held
        tables[one.code] = (one.leaf_codes, combined, COLOURS, grid_figures(one.leaf_codes, combined, COLOURS,
                                                                              by_cell))
    return tables


def _protect_period(cases: Mapping[tuple, People], years: Sequence[int], label: str, *, threshold: int,
                    forced: Mapping[str, Mapping[str, set[str]]] | None = None) -> _Period:
    figures, shown = {}, {}
    # Cases triaged, and those triaged red, are the row totals and one column of the
    # table of triage colours by group, so they are protected as that table.
    colour_tables = _colour_tables(cases, years)
    grid_forced: dict[str, set[tuple]] = defaultdict(set)
    for set_code, key_of, total_key in (("triaged", lambda g: ("row", g), ("grand",)),
                                        ("red", lambda g: ("cell", g, "red"), ("column", "red"))):
        for code, keys in ((forced or {}).get(set_code) or {}).items():
            grid_forced[code] |= {total_key if key == TOTAL else key_of(key) for key in keys}
    colour_shown = protect_grids(colour_tables, threshold=threshold, forced=grid_forced)
    for one in characteristics():
        groups = [*one.leaf_codes, *(code for code, _, _ in one.combined)]
        table, grid = colour_tables[one.code][3], colour_shown[one.code]
        for set_code, key_of, total_key in (("triaged", lambda g: ("row", g), ("grand",)),
                                            ("red", lambda g: ("cell", g, "red"), ("column", "red"))):
            figures.setdefault(set_code, {})[one.code] = {g: table[key_of(g)] for g in groups} | {TOTAL: table[total_key]}
            shown.setdefault(set_code, {})[one.code] = {g: grid[key_of(g)] for g in groups} | {TOTAL: grid[total_key]}
    for set_code in SETS:
        if set_code in ("triaged", "red"):
            continue
        tables = {}
        for one in characteristics():
            combined = {code: leaves for code, _, leaves in one.combined}
            tables[one.code] = (one.leaf_codes, combined,
                                table_figures(one.leaf_codes, combined, _by_leaf(cases, set_code, one, years)))
        figures[set_code] = {code: table[2] for code, table in tables.items()}
        shown[set_code] = protect_tables(tables, threshold=threshold, forced=(forced or {}).get(set_code))
    return _Period(label, tuple(years), figures, shown, {k: v[3] for k, v in colour_tables.items()}, colour_shown)


def _pooled(cases: Mapping[tuple, People], years: Sequence[int], singles: Sequence[_Period], *, threshold: int) -> _Period:
    label = f"{years[0]} to {years[-1]}"
    forced: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    while True:
        period = _protect_period(cases, years, label, threshold=threshold, forced=forced)
        grew = False
        for set_code in SETS:
            for one in characteristics():
                hide = pooled_remainders(
                    period.figures[set_code][one.code],
                    [single.figures[set_code][one.code] for single in singles],
                    [single.shown[set_code][one.code] for single in singles], threshold=threshold,
                )
                hide -= {key for key, shown in period.shown[set_code][one.code].items() if shown.suppressed}
                if hide:
                    forced[set_code][one.code] |= hide
                    grew = True
        if not grew:
            return period


Workforce = Mapping[tuple[str, str, str], int]


def _workforce_population(one: Characteristic, workforce: Sequence[Workforce | None], professions_with_cases: set[str]
                          ) -> tuple[dict[str, Shown] | None, str]:
    """The headcount of each group (and combined group, and total) over the years, or
    None with why not."""
    if any(figures is None for figures in workforce):
        return None, "missing"
    headcounts: dict[str, int] = defaultdict(int)
    for figures in workforce:
        if one.code == "profession":
            for profession, _ in one.groups:
                total = _profession_total(figures, profession)
                if total is None and profession in professions_with_cases:
                    return None, profession
                headcounts[profession] += total or 0
            continue
        given = {profession for profession, code, _ in figures if code == one.code}
        lacking = professions_with_cases - given
        if lacking:
            return None, ", ".join(sorted(lacking))
        for (_profession, code, group), value in figures.items():
            if code == one.code:
                headcounts[group] += value
    found = {leaf: Shown(headcounts.get(leaf, 0)) for leaf in one.leaf_codes}
    for code, _, leaves in one.combined:
        found[code] = Shown(sum(headcounts.get(leaf, 0) for leaf in leaves))
    found[TOTAL] = Shown(sum(headcounts.get(leaf, 0) for leaf in one.leaf_codes))
    return found, ""


def _profession_total(figures: Workforce, profession: str) -> int | None:
    for (key_profession, code, _), _value in figures.items():
        if key_profession == profession:
            return sum(value for key, value in figures.items() if key[:2] == (profession, code))
    return None


def _table(stage: Stage, one: Characteristic, period: _Period, population: dict[str, Shown] | None) -> StageTable:
    set_code = "people" if stage.base is None else stage.code
    events = period.shown[set_code][one.code]
    base = population if stage.base is None else period.shown[stage.base][one.code]
    rows = []
    ref = one.reference
    order = [(code, label, "combined") for code, label, _ in one.combined]
    order += [(code, label, "leaf") for code, label in one.groups]
    for code, label, kind in order:
        pop = None if base is None else base[code]
        comparison = None
        if code != ref and code != NOT_KNOWN:
            comparison = _comparison(events[code], pop, events[ref], None if base is None else base[ref])
        rows.append(GroupRow(code, label, kind, code == ref, events[code], pop, _rate(events[code], pop), comparison))
    rows.append(GroupRow(TOTAL, "All practitioners", "total", False, events[TOTAL],
                         None if base is None else base[TOTAL],
                         _rate(events[TOTAL], None if base is None else base[TOTAL]), None))
    recorded = _recorded_share(period.figures[set_code][one.code], events, one.has_not_known)
    note = stage.not_recorded if not stage.recorded else ""
    return StageTable(stage, one.code, period.label, tuple(rows), recorded, note)


def build_dashboard(cases: Sequence[CaseFacts], workforce: Mapping[int, Workforce], *, year: int,
                    threshold: int = SUPPRESSION_THRESHOLD, trend_years: int = TREND_YEARS) -> Dashboard:
    """Every figure of the dashboard for `year`: the year itself, the three years to it
    pooled, and the relative likelihoods of the years to it (`trend_years`)."""
    years = tuple(range(year - trend_years + 1, year + 1))
    index = index_cases(cases)
    singles = {y: _protect_period(index, [y], str(y), threshold=threshold) for y in years}
    pooled_years = tuple(range(year - POOLED_YEARS + 1, year + 1))
    missing = [y for y in pooled_years if y not in singles]
    for y in missing:
        singles[y] = _protect_period(index, [y], str(y), threshold=threshold)
    pooled = _pooled(index, pooled_years, [singles[y] for y in pooled_years], threshold=threshold)
    professions_by_year: dict[int, set[str]] = defaultdict(set)
    for key, held in index.items():
        if key[1] == "people" and key[2] == "profession" and held.value:
            professions_by_year[key[0]].add(key[3])
    out = []
    for one in characteristics():
        population, why = _workforce_population(one, [workforce.get(year)], professions_by_year[year])
        pooled_population, _ = _workforce_population(
            one, [workforce.get(y) for y in pooled_years], set().union(*(professions_by_year[y] for y in pooled_years))
        )
        note = ""
        if population is None and why and why != "missing":
            note = f"The workforce figures for {year} have no {one.label.lower()} for: {why}"
        year_tables = tuple(_table(stage, one, singles[year], population) for stage in stages())
        pooled_tables = tuple(_table(stage, one, pooled, pooled_population) for stage in stages())
        trend = []
        for stage in stages():
            if not stage.recorded:
                continue
            for code in one.compared:
                cells = []
                for y in years:
                    y_population = None
                    if stage.base is None:
                        y_population, _ = _workforce_population(one, [workforce.get(y)], professions_by_year[y])
                    row = _table(stage, one, singles[y], y_population).row(code)
                    cells.append(row.comparison)
                trend.append(TrendRow(stage, code, one.label_of(code), tuple(cells)))
        out.append(CharacteristicFigures(one, year_tables, pooled_tables, tuple(trend), note))
    return Dashboard(year, years, pooled.label, threshold, workforce.get(year) is not None, tuple(out),
                     colour_shown=singles[year].colour_shown)

