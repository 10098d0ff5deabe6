"""Panel decisions and quorum. Pure: no Django import.

The controlled list of what a PAG or PSG may decide, how each reads in a letter, which
status each implies for the case (lotus/cases/workflow.py), and whether a meeting is
quorate for an item.
"""

from enum import StrEnum

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
