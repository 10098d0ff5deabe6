"""Toolkit pages. Each view parses the request, calls one selector or service, and renders.

Every record here is private to the leader who made it: the selectors answer 404 (and
audit the attempt) for anyone else, administrators included.
"""

from lotus.toolkit.views.assessments import (  # noqa: F401
    continue_assessment,
    list_assessments,
    show_assessment,
    start_assessment,
)
from lotus.toolkit.views.data import delete_everything, download_everything, your_data  # noqa: F401
from lotus.toolkit.views.reflections import (  # noqa: F401
    download_entry,
    edit_entry,
    list_actions,
    list_entries,
    review_action,
    show_entry,
    start_entry,
)
from lotus.toolkit.views.routines import (  # noqa: F401
    check_routine,
    choose_reminders,
    choose_routines,
    list_routines,
)
from lotus.toolkit.views.steps import edit_promise, home, mark_step_read, show_step, show_usage  # noqa: F401
from lotus.toolkit.views.teams import (  # noqa: F401
    answer_team_session,
    list_team_sessions,
    show_team_session,
    start_team_session,
)
