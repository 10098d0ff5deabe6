"""Merging a letter's fields from the case record, and checking the merged letter: against
the record (lotus/letters/facts.py) and for plain, kind words (lotus/letters/readability.py)."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from lotus.cases.models import Case
from lotus.core.jinja2 import nhs_date
from lotus.core.workdays import add_working_days
from lotus.letters import defaults
from lotus.letters import facts as letter_facts
from lotus.letters import merge as merging
from lotus.letters.models import Letter
from lotus.letters.readability import CheckResult, check_letter
from lotus.letters.services._common import settings_for


def merge_values(case: Case, decision=None, *, today: dt.date | None = None) -> dict[str, str]:
    """The merge values for a letter about `case` (and a panel decision, if any)."""
    from lotus.panels.outcomes import decisions_sentence
    from lotus.panels.settings import settings_for as panel_settings_for

    today = today or timezone.localdate()
    letter_settings = settings_for(case.organisation_id)
    panel = panel_settings_for(case.organisation_id)
    manager = case.owner
    values = {
        "practitioner_name": case.practitioner.full_name,
        "case_reference": case.reference,
        "letter_date": nhs_date(today),
        "organisation_name": case.organisation.name,
        "panel_name": panel.panel_name,
        "panel_full_name": panel.full_name,
        "meeting_date": "",
        "decisions": "",
        "rationale": "",
        "next_review_date": "",
        "review_sentence": "",
        "next_steps": "",
        "consent_request": "",
        "case_manager_name": manager.full_name,
        "case_manager_email": manager.email,
        "case_manager_job_title": manager.job_title or "Case manager",
        "sender_block": letter_settings.sender_block,
        "reply_by_date": nhs_date(add_working_days(today, 10)),
    }
    if decision is not None:
        meeting = decision.item.meeting
        review = nhs_date(decision.next_review_on) if decision.next_review_on else ""
        rationale = (decision.rationale or "").strip()
        if rationale and rationale[-1] not in ".!?":
            rationale += "."
        values.update(
            {
                "panel_name": meeting.panel_name,
                "panel_full_name": meeting.panel_full_name,
                "meeting_date": nhs_date(meeting.held_on),
                "decisions": decisions_sentence(decision.outcomes),
                "rationale": rationale,
                "next_review_date": review,
                "review_sentence": defaults.review_sentence(review),
                "next_steps": defaults.next_steps(decision.outcomes),
                "consent_request": defaults.consent_request(decision.outcomes),
            }
        )
    return values


def tidy(text: str) -> str:
    """Merged text without the gaps an empty field leaves: spaces at line ends, and more
    than one blank line in a row."""
    text = re.sub(r"[ \t]+$", "", text or "", flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def merged_text(letter: Letter) -> str:
    """The letter's text with every merge field filled. Raises MergeError naming a field
    LOTUS does not know. A sent letter is already merged and frozen."""
    if letter.is_sent:
        return letter.body
    return tidy(merging.merge(letter.body, merge_values(letter.case, letter.decision)))


def merged_subject(letter: Letter) -> str:
    if letter.is_sent:
        return letter.subject
    return merging.merge(letter.subject, merge_values(letter.case, letter.decision))


def _record(letter: Letter) -> letter_facts.Record:
    decision = letter.decision
    if decision is None:
        return letter_facts.Record(case_reference=letter.case.reference)
    return letter_facts.Record(
        case_reference=letter.case.reference,
        meeting_date=decision.item.meeting.held_on,
        next_review_on=decision.next_review_on,
        outcomes=tuple(str(outcome) for outcome in decision.outcomes),
    )


def record_problems(letter: Letter) -> list[str]:
    """Facts in the merged letter that contradict the record (lotus/letters/facts.py)."""
    try:
        text = merged_text(letter)
    except merging.MergeError:
        return []
    return letter_facts.record_problems(text, _record(letter))


def _refuse_if_contradicts_record(letter: Letter, *, field: str, doing: str) -> None:
    problems = record_problems(letter)
    if problems:
        raise ValidationError({field: (
            f"The letter does not match the case record, so it cannot be {doing}. "
            + ". ".join(problems) + ". Change the letter, then try again"
        )})


def letter_check(letter: Letter) -> tuple[CheckResult | None, str]:
    """The communication check on the merged letter, or the merge error to show instead.
    A letter about a panel decision is read against that decision."""
    try:
        text = merged_text(letter)
    except merging.MergeError as error:
        return None, str(error)
    jargon = settings_for(letter.case.organisation_id).jargon
    decision = letter.decision
    return check_letter(
        text, contact_names=[letter.case.owner.full_name], jargon=jargon,
        decided=[str(o) for o in decision.outcomes] if decision is not None else None,
        review_date_recorded=(decision.next_review_on is not None) if decision is not None else None,
    ), ""
