"""Property tests for the pure decision rules (lotus/panels/outcomes.py)."""

from hypothesis import given
from hypothesis import strategies as st

from lotus.cases.workflow import Status, find_transition
from lotus.panels.outcomes import (
    OUTCOME_LABELS,
    OUTCOME_PHRASES,
    Outcome,
    decisions_sentence,
    is_quorate,
    workflow_move,
)

outcome_sets = st.sets(st.sampled_from(list(Outcome)), min_size=1)


@given(st.sampled_from(list(Status)), outcome_sets)
def test_a_move_is_always_one_the_workflow_allows(status, outcomes):
    target = workflow_move(status, outcomes)
    if target is not None:
        assert find_transition(status, target) is not None
        assert target != status


@given(outcome_sets)
def test_investigation_outranks_remediation_and_closing(outcomes):
    target = workflow_move(Status.AWAITING_PANEL, outcomes)
    if Outcome.INVESTIGATION in outcomes or Outcome.DECISION_PANEL in outcomes:
        assert target == Status.INVESTIGATION
    elif Outcome.SUPPORT_OR_REMEDIATION in outcomes:
        assert target == Status.REMEDIATION
    elif outcomes & {Outcome.NO_FURTHER_ACTION, Outcome.CLOSE}:
        assert target == Status.CLOSED
    else:
        assert target is None


@given(outcome_sets)
def test_the_sentence_names_every_outcome(outcomes):
    ordered = [o for o in Outcome if o in outcomes]
    sentence = decisions_sentence(ordered)
    assert all(OUTCOME_PHRASES[o] in sentence for o in ordered)


@given(st.integers(0, 30), st.integers(1, 20))
def test_quorum(taking_part, quorum):
    assert is_quorate(taking_part, quorum) == (taking_part >= quorum)


def test_every_outcome_has_a_label_and_a_phrase():
    assert set(OUTCOME_LABELS) == set(OUTCOME_PHRASES) == set(Outcome)


# --- issue 19 point 4: outcomes that exclude each other, and reasons that say something ---

from lotus.panels.outcomes import EXCLUDED_PAIRS, excluded_pairs, outcomes_problem, reason_problem  # noqa: E402
from lotus.panels.outcomes import OUTCOME_LABELS as LABELS  # noqa: E402


@given(outcome_sets)
def test_an_accepted_set_has_no_excluded_pair_and_a_refused_one_names_its_pair(outcomes):
    problem = outcomes_problem(outcomes)
    pairs = [frozenset(pair) for pair in __import__("itertools").combinations(outcomes, 2)]
    has_pair = any(pair in EXCLUDED_PAIRS for pair in pairs)
    if problem is None:
        assert not has_pair
    else:
        assert has_pair
        first, second = excluded_pairs(outcomes)[0]
        assert frozenset({first, second}) in EXCLUDED_PAIRS
        assert LABELS[first] in problem and LABELS[second] in problem


def test_the_set_from_issue_19_is_refused_naming_the_pair():
    problem = outcomes_problem(["no_further_action", "investigation", "close"])
    assert "No further action" in problem and "Commission an investigation" in problem


@given(st.sampled_from(["x", "n/a", "N/A", "see above", "See above.", "...", "!!!", "tbc", "x x x x x x", "ok"]))
def test_a_reason_that_says_nothing_is_refused(text):
    assert reason_problem(text) is not None


def test_a_sentence_is_a_reason():
    assert reason_problem("The panel wants to hear your side of events first.") is None
    assert reason_problem("   ") == "Enter the reasons for the decision"
