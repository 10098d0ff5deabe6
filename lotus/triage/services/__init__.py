"""Every change to a triage review goes through here: validated, saved in one transaction,
put on the case timeline and appended to the audit trail.

The score, band and colour are always computed here from the levels (lotus.triage.risk),
never taken from a form or an API client. Long forms carry the review's version, so a
stale save is refused (StaleEdit) rather than overwriting someone else's work.

One module per step of triage; everything is imported from here, the app's one door.
"""

from lotus.cases.services import StaleEdit
from lotus.triage.services._common import (
    NOTE,
    WITHHOLDABLE,
    settings_for,
    snapshot,
)
from lotus.triage.services.details import (
    missing_for_submit,
    review_save_details,
    review_submit,
    to_panel_if_ready,
)
from lotus.triage.services.organisation_settings import (
    settings_update,
)
from lotus.triage.services.scoring import (
    review_save_risk,
)
from lotus.triage.services.second import (
    agreed_score_record,
    second_review_override,
    second_review_request,
)
from lotus.triage.services.sharing import (
    review_not_share,
    review_share,
)
from lotus.triage.services.starting import (
    review_start,
    second_review_declare,
)

__all__ = [
    "StaleEdit",
    "NOTE",
    "WITHHOLDABLE",
    "agreed_score_record",
    "missing_for_submit",
    "review_not_share",
    "review_save_details",
    "review_save_risk",
    "review_share",
    "review_start",
    "review_submit",
    "second_review_declare",
    "second_review_override",
    "second_review_request",
    "settings_for",
    "settings_update",
    "snapshot",
    "to_panel_if_ready",
]
