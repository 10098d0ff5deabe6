"""The review's statuses and the moves between them. Pure: no Django import.

A review is drafted by its team, submitted, then approved by a second person, who may
instead send it back to the team with a reason. Amending an approved review opens a new
revision as a draft; the approved revision stays frozen (ReviewVersion)."""

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


class Move(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    AMEND = "amend"


@dataclass(frozen=True)
class Transition:
    move: Move
    source: Status
    target: Status
    needs_reason: bool


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Move.SUBMIT, Status.DRAFT, Status.SUBMITTED, needs_reason=False),
    Transition(Move.APPROVE, Status.SUBMITTED, Status.APPROVED, needs_reason=False),
    Transition(Move.RETURN, Status.SUBMITTED, Status.DRAFT, needs_reason=True),
    Transition(Move.AMEND, Status.APPROVED, Status.DRAFT, needs_reason=True),
)

_BY_MOVE = {t.move: t for t in TRANSITIONS}

#: What the page says a move needs, when the review is not where the move starts.
REFUSALS = {
    Move.SUBMIT: "Only a draft review can be submitted",
    Move.APPROVE: "Only a submitted review can be approved",
    Move.RETURN: "Only a submitted review can be sent back to its team",
    Move.AMEND: "Only an approved review can be amended",
}


def transition_for(move: str, source: str) -> Transition | None:
    """The transition `move` makes from `source`, or None when it cannot be made."""
    try:
        found = _BY_MOVE[Move(move)]
    except ValueError:
        return None
    return found if found.source == source else None


def next_revision(current: int, move: str) -> int:
    """Amending opens the next revision; every other move keeps the number."""
    return current + 1 if Move(move) is Move.AMEND else current


def moves_from(source: str) -> list[Move]:
    return [t.move for t in TRANSITIONS if t.source == source]
