"""The counts behind the consistency prompt at the panel's decision form: how decisions
on similar cases turned out. Pure: no Django import.

Each outcome is counted once per decision that chose it, so the counts add up to the
total shown beneath them; the table is protected as any other (lotus.insights.equity.
network), counting the distinct practitioners behind each figure.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from lotus.core.suppression import SUPPRESSION_THRESHOLD
from lotus.insights.equity.network import TOTAL, People, protect_groups, table_figures

NOT_SHOWN = "Not shown"


@dataclass(frozen=True)
class SimilarDecision:
    decision_id: int
    person: Hashable
    outcomes: tuple[str, ...]


def outcome_counts(decisions: Sequence[SimilarDecision], outcomes: Sequence[tuple[str, str]], *,
                   threshold: int = SUPPRESSION_THRESHOLD) -> tuple[list[tuple[str, str]], str]:
    """(label, count text) for each outcome chosen at least once (or hidden), in the
    controlled list's order, and the total's text."""
    codes = [code for code, _ in outcomes]
    pairs: dict[str, list] = {code: [] for code in codes}
    for decision in decisions:
        for outcome in dict.fromkeys(decision.outcomes):
            if outcome in pairs:
                pairs[outcome].append(((decision.decision_id, outcome), decision.person))
    figures = table_figures(codes, {}, {code: People.of(found) for code, found in pairs.items()})
    shown = protect_groups(codes, {}, {key: held.count() for key, held in figures.items()}, threshold=threshold)
    rows = []
    for code, label in outcomes:
        figure = shown[code]
        if figure.suppressed:
            rows.append((label, NOT_SHOWN))
        elif figure.value:
            rows.append((label, f"{figure.value:,}"))
    total = shown[TOTAL]
    return rows, NOT_SHOWN if total.suppressed else f"{total.value:,}"
