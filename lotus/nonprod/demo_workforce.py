"""Fictional workforce figures for the demo organisation: the equity dashboard's
denominators (issue 13).

A trust of about 1,500 doctors, 260 dentists and 180 optometrists, for each of the last
six years, growing a little each year. The shares are made up to look like a trust in
the north of England; they describe nobody. Each characteristic counts everyone in the
profession, with "not known" taking what rounding leaves, so the figures pass the same
checks as figures an administrator enters (lotus.insights.equity.workforce_csv).
"""

from __future__ import annotations

from django.utils import timezone

from lotus.insights.equity.workforce_csv import check_figures
from lotus.insights.models import WHOLE_YEAR, WorkforceFigures, WorkforceHeadcount

YEARS = 6
GROWTH = 0.012  # a year

#: Each profession's headcount in the latest year, by group of each characteristic.
BASE = {
    "medical": {
        "ethnicity": {"white": 780, "mixed": 45, "asian": 480, "black": 105, "other": 45, "not_known": 45},
        "qualification": {"uk": 960, "eea": 120, "international": 390, "not_known": 30},
        "sex": {"female": 690, "male": 795, "not_known": 15},
        "age": {"under_35": 360, "35_44": 450, "45_54": 375, "55_64": 255, "65_plus": 45, "not_known": 15},
        "disability": {"yes": 60, "no": 1290, "not_known": 150},
    },
    "dental": {
        "ethnicity": {"white": 170, "mixed": 8, "asian": 62, "black": 8, "other": 6, "not_known": 6},
        "qualification": {"uk": 200, "eea": 25, "international": 30, "not_known": 5},
        "sex": {"female": 140, "male": 118, "not_known": 2},
        "age": {"under_35": 70, "35_44": 75, "45_54": 60, "55_64": 45, "65_plus": 8, "not_known": 2},
        "disability": {"yes": 8, "no": 230, "not_known": 22},
    },
    "optometry": {
        "ethnicity": {"white": 120, "mixed": 6, "asian": 44, "black": 4, "other": 3, "not_known": 3},
        "qualification": {"uk": 150, "eea": 10, "international": 15, "not_known": 5},
        "sex": {"female": 110, "male": 68, "not_known": 2},
        "age": {"under_35": 60, "35_44": 50, "45_54": 35, "55_64": 28, "65_plus": 5, "not_known": 2},
        "disability": {"yes": 6, "no": 160, "not_known": 14},
    },
}


def figures_for(years_back: int) -> dict[tuple[str, str, str], int]:
    """One year's figures, `years_back` years before the latest."""
    found = {}
    for profession, characteristics in BASE.items():
        latest = sum(next(iter(characteristics.values())).values())
        total = round(latest * (1 - GROWTH) ** years_back)
        for characteristic, groups in characteristics.items():
            scaled = {group: int(count * total / latest) for group, count in groups.items() if group != "not_known"}
            scaled["not_known"] = total - sum(scaled.values())
            for group, count in scaled.items():
                found[(profession, characteristic, group)] = count
    return found


def load_demo_workforce(organisation, *, years: int = YEARS) -> list[WorkforceFigures]:
    """Whole-year figures for `organisation` for this year and the `years - 1` before it.
    Does nothing for a year that already has figures."""
    this_year = timezone.localdate().year
    made = []
    for back in range(years):
        year = this_year - back
        if WorkforceFigures.objects.filter(organisation=organisation, year=year, superseded_at__isnull=True).exists():
            continue
        figures = figures_for(back)
        problems = check_figures(figures, register={}, period=str(year))
        if problems:  # pragma: no cover - the table above is made to pass
            raise ValueError(problems[0].text)
        saved = WorkforceFigures.objects.create(
            organisation=organisation, year=year, quarter=WHOLE_YEAR, how="demo", entered_at=timezone.now(),
            source="Fictional demo figures: the performers lists and medical workforce return",
        )
        WorkforceHeadcount.objects.bulk_create([
            WorkforceHeadcount(figures=saved, profession=p, characteristic=c, group=g, headcount=n)
            for (p, c, g), n in sorted(figures.items())
        ])
        made.append(saved)
    return made
