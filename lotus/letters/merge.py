"""Merge fields in letter templates. Pure: no Django import.

A template names a field as {{ field_name }}. Merging is plain text substitution: no
template language runs, so a template cannot reach anything but the values given, and a
value is never interpreted (script or HTML in a value stays text; pages escape it).
"""

import re

FIELD = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
BROKEN_FIELD = re.compile(r"\{\{(?![^{}]*\}\})|\{\{\s*[^a-z_\s][^}]*\}\}")

#: Every merge field a template may use, with what it holds.
FIELDS: dict[str, str] = {
    "practitioner_name": "The practitioner's full name, for example Dr Asha Rao",
    "case_reference": "The case reference, for example LOT-2026-00042",
    "letter_date": "Today's date, for example 26 November 2026",
    "organisation_name": "Your organisation's name",
    "panel_name": "The panel's name: PAG or PSG",
    "panel_full_name": "The panel's name in full",
    "meeting_date": "The date of the panel meeting",
    "decisions": "What the panel decided, as a sentence",
    "rationale": "Why the panel decided it, as the panel recorded it",
    "next_review_date": "When the panel will look at the case again",
    "review_sentence": "A sentence saying when the panel will look again, only when a review date is recorded",
    "next_steps": "What happens next for each thing the panel decided, for a letter about several decisions",
    "consent_request": "The request for consent to share an occupational health report, only when an assessment was decided",
    "case_manager_name": "The case manager's name",
    "case_manager_email": "The case manager's email address",
    "case_manager_job_title": "The case manager's job title",
    "sender_block": "Your organisation's sender address and contact details",
    "reply_by_date": "A date 10 working days from today, for replies",
}


class MergeError(ValueError):
    def __init__(self, field: str):
        self.field = field
        super().__init__(f"The merge field “{{{{ {field} }}}}” is not one LOTUS knows")


def fields_in(text: str) -> list[str]:
    return list(dict.fromkeys(FIELD.findall(text or "")))


def unknown_fields(text: str) -> list[str]:
    return [name for name in fields_in(text) if name not in FIELDS]


def merge(text: str, values: dict[str, str], *, strict: bool = True) -> str:
    """Replace each {{ field }} with its value. With `strict`, an unknown field raises
    MergeError naming it; otherwise unknown or missing fields are left as they are."""
    for name in fields_in(text):
        if name not in FIELDS and strict:
            raise MergeError(name)

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            return str(values[name])
        if strict and name in FIELDS:
            return ""
        return match.group(0)

    return FIELD.sub(replace, text or "")
