"""Every change to letters goes through here: validated, saved in one transaction, put on
the case timeline and audited. A sent letter is frozen: nothing here changes it again.

The package's parts: `merging` (fields and checks), `drafting` (a letter's life),
`library` (templates and settings) and `reminders` (the daily email)."""

from lotus.letters.services._common import NOTE, StaleEdit, settings_for
from lotus.letters.services.drafting import (
    NEW_IN_LOTUS_MESSAGE,
    NEW_IN_LOTUS_SUBJECT,
    channel_refusal,
    draft_for_decision,
    letter_approve,
    letter_draft,
    letter_edit,
    letter_rendered,
    letter_send,
    portal_account,
    template_for_decision,
)
from lotus.letters.services.library import letter_settings_update, template_save, templates_ensure
from lotus.letters.services.merging import (
    letter_check,
    merge_values,
    merged_subject,
    merged_text,
    record_problems,
    tidy,
)
from lotus.letters.services.reminders import letter_reminders_send

__all__ = [
    "NEW_IN_LOTUS_MESSAGE", "NEW_IN_LOTUS_SUBJECT", "NOTE", "StaleEdit", "channel_refusal", "draft_for_decision",
    "letter_approve", "letter_check", "letter_draft", "letter_edit", "letter_reminders_send", "letter_rendered",
    "letter_send", "letter_settings_update", "merge_values", "merged_subject", "merged_text", "portal_account",
    "record_problems", "settings_for", "template_for_decision", "template_save", "templates_ensure", "tidy",
]
