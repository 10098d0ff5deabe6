"""How an improvement action's status may move, and what each move needs. Pure: no
Django import (the values are those of lotus.learning.models.ActionStatus).

An action starts open. Its owner, or the case's managers, move it on. Done needs
evidence of what was done; not done needs a reason. Once a second person has assured
a done action it moves no further: the assurance is the end of its story. Until then a
done action can be reopened (for example when the person asked to assure it finds the
evidence wanting), and so can one marked not done.
"""

from __future__ import annotations

OPEN = "open"
IN_PROGRESS = "in_progress"
DONE = "done"
NOT_DONE = "not_done"

STATUSES = (OPEN, IN_PROGRESS, DONE, NOT_DONE)

#: Statuses an action still needs work in: counted as open on the actions page and in
#: the reminders.
STILL_OPEN = frozenset({OPEN, IN_PROGRESS})

#: (from, to) -> what the move needs: "evidence", "reason" or "" (a note is optional).
TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, IN_PROGRESS): "",
    (OPEN, DONE): "evidence",
    (OPEN, NOT_DONE): "reason",
    (IN_PROGRESS, OPEN): "",
    (IN_PROGRESS, DONE): "evidence",
    (IN_PROGRESS, NOT_DONE): "reason",
    (DONE, IN_PROGRESS): "reason",
    (NOT_DONE, IN_PROGRESS): "reason",
}


def moves_from(status: str, *, assured: bool) -> list[str]:
    """The statuses an action in `status` may move to, in the order of STATUSES."""
    if assured:
        return []
    return [target for target in STATUSES if (status, target) in TRANSITIONS]


def needs(status: str, target: str, *, assured: bool) -> str | None:
    """What the move needs ("evidence", "reason" or ""), or None if it is not allowed."""
    if assured or (status, target) not in TRANSITIONS:
        return None
    return TRANSITIONS[(status, target)]


def is_overdue(status: str, due_on, today) -> bool:
    """An action is overdue while it still needs work and its due date has passed."""
    return status in STILL_OPEN and due_on < today
