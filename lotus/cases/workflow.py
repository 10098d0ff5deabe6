"""The case status workflow: statuses, allowed moves and who may make them.

Pure: no Django import. Every change of status is one of these transitions, made by a
service that records who, when and why.
"""

from dataclasses import dataclass
from enum import StrEnum

from lotus.accounts.roles import Role


class Status(StrEnum):
    RECEIVED = "received"
    TRIAGE = "triage"
    AWAITING_PANEL = "awaiting_panel"
    INVESTIGATION = "investigation"
    REMEDIATION = "remediation"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {
    Status.RECEIVED: "Received",
    Status.TRIAGE: "Triage",
    Status.AWAITING_PANEL: "Awaiting panel",
    Status.INVESTIGATION: "Investigation",
    Status.REMEDIATION: "Remediation and monitoring",
    Status.CLOSED: "Closed",
    Status.WITHDRAWN: "Withdrawn",
}

#: What happens next, in plain words, for the case page.
NEXT_STEPS = {
    Status.RECEIVED: (
        "The concern has been logged. A case manager checks it and starts triage, "
        "which should be finished within 10 working days of the date it was received."
    ),
    Status.TRIAGE: (
        "A professional advisor reviews the concern and scores the risk. The completed "
        "triage is shared with the practitioner, then the case goes to the panel."
    ),
    Status.AWAITING_PANEL: (
        "The case is waiting for the next panel meeting. The panel decides what happens "
        "next, and the practitioner is written to soon after."
    ),
    Status.INVESTIGATION: (
        "An investigation is under way. Keep the practitioner informed of progress and "
        "any delay, and make sure they have support."
    ),
    Status.REMEDIATION: (
        "The practitioner is working to an agreed plan. Progress is reviewed at the "
        "dates set in the plan until the case can close."
    ),
    Status.CLOSED: "The case is closed. It stays on record and can be read but not changed.",
    Status.WITHDRAWN: (
        "The concern was withdrawn. The case stays on record and can be read but not changed."
    ),
}

OPEN_STATUSES = frozenset(
    {Status.RECEIVED, Status.TRIAGE, Status.AWAITING_PANEL, Status.INVESTIGATION, Status.REMEDIATION}
)
FINAL_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN})

_MANAGERS = frozenset({Role.CASE_MANAGER, Role.ADMINISTRATOR})
_MANAGERS_AND_ADVISORS = _MANAGERS | {Role.PROFESSIONAL_ADVISOR}
_MANAGERS_AND_PANEL = _MANAGERS | {Role.PANEL_MEMBER}


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    label: str
    roles: frozenset[Role]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.RECEIVED, Status.TRIAGE, "Start triage", _MANAGERS),
    Transition(Status.TRIAGE, Status.AWAITING_PANEL, "Send to the panel", _MANAGERS_AND_ADVISORS),
    Transition(Status.AWAITING_PANEL, Status.INVESTIGATION, "Start an investigation", _MANAGERS_AND_PANEL),
    Transition(
        Status.AWAITING_PANEL, Status.REMEDIATION, "Start remediation and monitoring", _MANAGERS_AND_PANEL
    ),
    Transition(Status.AWAITING_PANEL, Status.CLOSED, "Close with no further action", _MANAGERS_AND_PANEL),
    Transition(Status.INVESTIGATION, Status.AWAITING_PANEL, "Return to the panel", _MANAGERS),
    Transition(Status.INVESTIGATION, Status.REMEDIATION, "Start remediation and monitoring", _MANAGERS),
    Transition(Status.INVESTIGATION, Status.CLOSED, "Close the case", _MANAGERS),
    Transition(Status.REMEDIATION, Status.AWAITING_PANEL, "Return to the panel", _MANAGERS),
    Transition(Status.REMEDIATION, Status.CLOSED, "Close the case", _MANAGERS),
) + tuple(
    Transition(source, Status.WITHDRAWN, "Withdraw the concern", _MANAGERS)
    for source in (
        Status.RECEIVED,
        Status.TRIAGE,
        Status.AWAITING_PANEL,
        Status.INVESTIGATION,
        Status.REMEDIATION,
    )
)

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def find_transition(source: str, target: str) -> Transition | None:
    try:
        return _BY_PAIR.get((Status(source), Status(target)))
    except ValueError:
        return None


def transitions_from(source: str, roles: frozenset[Role] | set[Role]) -> list[Transition]:
    """The moves from `source` that someone holding `roles` may make, in table order."""
    return [t for t in TRANSITIONS if t.source == source and t.roles & set(roles)]
