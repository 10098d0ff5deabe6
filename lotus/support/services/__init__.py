"""Every change to the support side of a case: checked, saved in one transaction, put on
the case timeline (in general words: the details stay on the support plan) and appended
to the audit trail.

One module per part of the plan; everything is imported from here, the app's one door.
"""

from lotus.cases.services import StaleEdit
from lotus.support.services._common import (
    CLEARABLE_FIELDS,
    plan_refresh_attention,
    plans_refresh_attention,
)
from lotus.support.services.contact import (
    adjustment_add,
    adjustment_review,
    contact_log,
    prompt_clear,
)
from lotus.support.services.directory import (
    default_signposts,
    settings_save,
    signpost_save,
    signposts_seed,
)
from lotus.support.services.health import (
    ASK_IN_PORTAL,
    REFERRAL_CONSENT_REASON,
    oh_referral_record,
    referral_consent_follow,
    wellbeing_record,
)
from lotus.support.services.plan import (
    TRIGGER_FOR_FLAG,
    circumstances_record,
    health_concern_noted,
    matter_record,
    pastoral_contact_assign,
    pastoral_contact_refusal,
    plan_open,
    preferences_record,
)
from lotus.support.services.reminders import (
    reminder_add,
)

__all__ = [
    "StaleEdit",
    "CLEARABLE_FIELDS",
    "plan_refresh_attention",
    "plans_refresh_attention",
    "TRIGGER_FOR_FLAG",
    "circumstances_record",
    "health_concern_noted",
    "matter_record",
    "pastoral_contact_assign",
    "pastoral_contact_refusal",
    "plan_open",
    "preferences_record",
    "adjustment_add",
    "adjustment_review",
    "contact_log",
    "prompt_clear",
    "ASK_IN_PORTAL",
    "REFERRAL_CONSENT_REASON",
    "oh_referral_record",
    "referral_consent_follow",
    "wellbeing_record",
    "default_signposts",
    "settings_save",
    "signpost_save",
    "signposts_seed",
    "reminder_add",
]
