"""Triage pages. Each view parses the request, calls selectors or one service, and renders."""

from lotus.triage.views.reviews import (  # noqa: F401
    edit_review,
    edit_risk,
    show_review,
    start_review,
    submit_review,
    triage_queue,
)
from lotus.triage.views.second import (  # noqa: F401
    compare_reviews,
    override_second_review,
    request_second_review,
    second_review,
)
from lotus.triage.views.settings import edit_settings  # noqa: F401
from lotus.triage.views.sharing import (  # noqa: F401
    export_review,
    export_shared_review,
    my_reviews,
    not_share_review,
    share_review,
    shared_review,
)
