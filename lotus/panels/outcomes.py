"""Panel decisions and quorum. Pure: no Django import.

The controlled list of what a PAG or PSG may decide, how each reads in a letter, which
status each implies for the case (lotus/cases/workflow.py), which outcomes cannot be
decided together, what a reason must hold, and whether a meeting is quorate for an item.
"""

import re
from enum import StrEnum
from itertools import combinations

from lotus.cases.workflow import Status, find_transition


class Outcome(StrEnum):
    NO_FURTHER_ACTION = "no_further_action"
    ADVICE_OR_LOCAL_ACTION = "advice_or_local_action"
    SUPPORT_OR_REMEDIATION = "support_or_remediation"
    REQUEST_REFLECTIONS = "request_reflections"
    INTERVIEW = "interview"
    RECORDS_REVIEW = "records_review"
    OCCUPATIONAL_HEALTH = "occupational_health"
    INVESTIGATION = "investigation"
    PRACTITIONER_PERFORMANCE_ADVICE = "practitioner_performance_advice"
    REFER_TO_REGULATOR = "refer_to_regulator"
    DECISION_PANEL = "decision_panel"
    CLOSE = "close"


OUTCOME_LABELS = {
    Outcome.NO_FURTHER_ACTION: "No further action",
    Outcome.ADVICE_OR_LOCAL_ACTION: "Advice or local action",
    Outcome.SUPPORT_OR_REMEDIATION: "Support or remediation plan",
    Outcome.REQUEST_REFLECTIONS: "Ask the practitioner for their reflections",
    Outcome.INTERVIEW: "Interview the practitioner",
    Outcome.RECORDS_REVIEW: "Review records",
    Outcome.OCCUPATIONAL_HEALTH: "Occupational health assessment",
    Outcome.INVESTIGATION: "Commission an investigation",
    Outcome.PRACTITIONER_PERFORMANCE_ADVICE: "Seek advice from NHS Resolution's Practitioner Performance Advice",
    Outcome.REFER_TO_REGULATOR: "Refer to the regulator",
    Outcome.DECISION_PANEL: "Refer to the decision panel for conditions, suspension or removal",
    Outcome.CLOSE: "Close the case",
}

#: How each outcome reads after "The panel decided to …" in a letter.
OUTCOME_PHRASES = {
    Outcome.NO_FURTHER_ACTION: "take no further action",
    Outcome.ADVICE_OR_LOCAL_ACTION: "give advice or agree some local action",
    Outcome.SUPPORT_OR_REMEDIATION: "agree a plan with you for support and remediation",
    Outcome.REQUEST_REFLECTIONS: "ask you for your reflections",
    Outcome.INTERVIEW: "invite you to talk with us",
    Outcome.RECORDS_REVIEW: "review some of your records",
    Outcome.OCCUPATIONAL_HEALTH: "ask for an occupational health assessment",
    Outcome.INVESTIGATION: "ask for an investigation",
    Outcome.PRACTITIONER_PERFORMANCE_ADVICE: "ask NHS Resolution's Practitioner Performance Advice service for advice",
    Outcome.REFER_TO_REGULATOR: "refer the concern to your regulator",
    Outcome.DECISION_PANEL: "ask the decision panel to consider conditions, suspension or removal",
    Outcome.CLOSE: "close the case",
}

OUTCOME_CHOICES = [(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome]

# Which status a decision implies, strongest first. Outcomes not listed keep the case
# where it is (the panel will look again at the next review date).
_IMPLIED = (
    ({Outcome.INVESTIGATION, Outcome.DECISION_PANEL}, Status.INVESTIGATION),
    ({Outcome.SUPPORT_OR_REMEDIATION}, Status.REMEDIATION),
    ({Outcome.NO_FURTHER_ACTION, Outcome.CLOSE}, Status.CLOSED),
)


def implied_status(outcomes) -> Status | None:
    chosen = {Outcome(o) for o in outcomes}
    for trigger, status in _IMPLIED:
        if chosen & trigger:
            return status
    return None


def workflow_move(current_status: str, outcomes) -> Status | None:
    """The status to move to, if the decision implies one the workflow allows from here."""
    target = implied_status(outcomes)
    if target is None or target == current_status or find_transition(current_status, target) is None:
        return None
    return target


def decisions_sentence(outcomes) -> str:
    """"take no further action" or "review some of your records and invite you to talk with us"."""
    phrases = [OUTCOME_PHRASES[Outcome(o)] for o in outcomes]
    if not phrases:
        return ""
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def is_quorate(members_taking_part: int, quorum: int) -> bool:
    return members_taking_part >= quorum


# --- Outcomes that exclude each other ---------------------------------------------------
# Ending the case ("No further action", "Close the case") cannot stand beside anything that
# keeps it going: a letter cannot tell a practitioner both. "Advice or local action" can
# go with either, since advice can be given as a case closes.

#: Outcomes that end the case.
ENDING = frozenset({Outcome.NO_FURTHER_ACTION, Outcome.CLOSE})

#: Outcomes that keep the case going after the meeting.
CONTINUING = frozenset({
    Outcome.SUPPORT_OR_REMEDIATION,
    Outcome.REQUEST_REFLECTIONS,
    Outcome.INTERVIEW,
    Outcome.RECORDS_REVIEW,
    Outcome.OCCUPATIONAL_HEALTH,
    Outcome.INVESTIGATION,
    Outcome.PRACTITIONER_PERFORMANCE_ADVICE,
    Outcome.REFER_TO_REGULATOR,
    Outcome.DECISION_PANEL,
})

#: Every pair that cannot be decided together, each as a frozenset of two outcomes.
EXCLUDED_PAIRS = frozenset(frozenset({ending, continuing}) for ending in ENDING for continuing in CONTINUING)


def excluded_pairs(outcomes) -> list[tuple[Outcome, Outcome]]:
    """The pairs in `outcomes` that exclude each other, in the controlled list's order."""
    chosen = [o for o in Outcome if o in {Outcome(value) for value in outcomes}]
    return [(a, b) for a, b in combinations(chosen, 2) if frozenset({a, b}) in EXCLUDED_PAIRS]


def exclusion_message(first: Outcome, second: Outcome) -> str:
    return (
        f"“{OUTCOME_LABELS[first]}” and “{OUTCOME_LABELS[second]}” cannot be decided together: "
        "one ends the case and the other keeps it going. Choose the one the panel agreed"
    )


def outcomes_problem(outcomes) -> str | None:
    """Why this set of outcomes cannot be recorded, naming the first excluded pair, or None."""
    pairs = excluded_pairs(outcomes)
    return exclusion_message(*pairs[0]) if pairs else None


# --- A reason that says something ------------------------------------------------------

#: A reason is at least a short sentence: this many words, this many letters in all, and
#: more than one different word.
REASON_MIN_WORDS = 5
REASON_MIN_LETTERS = 20
REASON_MIN_DIFFERENT_WORDS = 3

#: Stand-ins that say nothing, whatever their length.
PLACEHOLDERS = frozenset({
    "as above", "as discussed", "as per discussion", "as per meeting", "discussed at panel", "n a", "na",
    "nil", "none", "not applicable", "see above", "see attached", "see minutes", "see notes", "tbc", "tbd",
    "to follow", "x",
})

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

REASON_MISSING = "Enter the reasons for the decision"
REASON_TOO_THIN = (
    f"Write the reasons for the decision as at least one full sentence ({REASON_MIN_WORDS} words or more) "
    "saying why the panel decided this. The practitioner reads these reasons in their letter"
)


def reason_problem(text: str | None) -> str | None:
    """Why a decision's reasons cannot stand ("x", "n/a", "see above", punctuation), or None."""
    text = (text or "").strip()
    if not text:
        return REASON_MISSING
    words = [word.lower() for word in _WORD.findall(text)]
    if " ".join(words) in PLACEHOLDERS:
        return REASON_TOO_THIN
    if (
        len(words) < REASON_MIN_WORDS
        or sum(len(word) for word in words) < REASON_MIN_LETTERS
        or len(set(words)) < REASON_MIN_DIFFERENT_WORDS
    ):
        return REASON_TOO_THIN
    return None
