"""Agreement between first and independent second triage reviews. Pure: no Django import.

Figures are only given for at least MINIMUM_PAIRS pairs; below that, a kappa swings too
much from one case to the next to tell anyone anything.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from lotus.insights.stats import MINIMUM_PAIRS, exact_agreement, landis_koch_label, weighted_kappa

SCORE_SCALE = range(1, 26)
LEVEL_SCALE = range(1, 6)


@dataclass
class Figure:
    name: str
    value: float
    label: str

    @property
    def text(self) -> str:
        if self.value != self.value:  # NaN
            return "Cannot be calculated"
        return f"{self.value:.2f} ({self.label})"


@dataclass
class AgreementFigures:
    title: str
    pairs: int
    enough: bool
    colour_agreement: float | None = None
    kappas: list[Figure] = field(default_factory=list)

    @property
    def colour_agreement_text(self) -> str:
        return "" if self.colour_agreement is None else f"{self.colour_agreement * 100:.0f}%"


def figures(title: str, pairs: list) -> AgreementFigures:
    result = AgreementFigures(title=title, pairs=len(pairs), enough=len(pairs) >= MINIMUM_PAIRS)
    if not result.enough:
        return result
    first = [p.first for p in pairs]
    second = [p.second for p in pairs]
    result.colour_agreement = exact_agreement([f[3] for f in first], [s[3] for s in second])
    for name, index, scale in (("Risk score", 2, SCORE_SCALE), ("Consequence", 0, LEVEL_SCALE), ("Likelihood", 1, LEVEL_SCALE)):
        kappa = weighted_kappa([f[index] for f in first], [s[index] for s in second], categories=scale)
        result.kappas.append(Figure(name, kappa, landis_koch_label(kappa)))
    return result


@dataclass
class AgreementReport:
    overall: AgreementFigures
    by_pair: list[AgreementFigures]
    disagreements: list


def needs_calibration(first, second, gap: int = 0) -> bool:
    """Whether a pair of (consequence, likelihood, score, colour) ratings should be
    discussed: a different colour when `gap` is 0, otherwise scores `gap` or more apart."""
    if gap <= 0:
        return first[3] != second[3]
    return abs(first[2] - second[2]) >= gap


def agreement_report(pair_set, *, gap: int = 0) -> AgreementReport:
    """Overall and per reviewer pair figures, and the cases to discuss for calibration."""
    grouped = defaultdict(list)
    for pair in pair_set.pairs:
        grouped[tuple(sorted((pair.first_reviewer, pair.second_reviewer)))].append(pair)
    names = pair_set.reviewer_names
    by_pair = [
        figures(f"{names.get(a, 'Unknown')} and {names.get(b, 'Unknown')}", pairs)
        for (a, b), pairs in sorted(grouped.items(), key=lambda item: -len(item[1]))
    ]
    disagreements = [pair for pair in pair_set.pairs if needs_calibration(pair.first, pair.second, gap)]
    return AgreementReport(figures("All reviewers", pair_set.pairs), by_pair, disagreements)
