"""A lessons-learnt review on paper (DOCX and PDF), laid out by lotus.core.documents as
letters, meeting packs and triage reviews are. Built from the same ReviewPage the review
page shows (lotus.learning.selectors.review_page), so what is printed is what the reader
may see on screen: the context from the case only where they may read it, the
practitioner's perspective exactly as they wrote it.
"""

from lotus.core.documents import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, Line, document_docx, document_pdf
from lotus.core.jinja2 import nhs_date, nhs_time
from lotus.learning.models import ActionStatus

FORMATS = {"docx": DOCX_MEDIA_TYPE, "pdf": PDF_MEDIA_TYPE}

__all__ = ["FORMATS", "file_name", "render", "review_lines"]


def file_name(review, fmt: str) -> str:
    return f"lessons-learnt-review-{review.case.reference}-{review.number}-revision-{review.revision}.{fmt}"


def _when(entry) -> str:
    text = nhs_date(entry.occurred_on)
    return f"{text}, {nhs_time(entry.occurred_at_time)}" if entry.occurred_at_time else text


def _context(page) -> list[Line]:
    context = page.context
    lines = [Line("Context from the case", "heading")]
    if context.can_see_triage and context.just_culture:
        lines += [Line("The just culture check at triage", "subheading"), Line(context.just_culture_summary)]
        lines += [Line(f"{a.question} {a.answer}", "field", label=a.title) for a in context.just_culture]
    elif context.can_see_triage:
        lines.append(Line("The triage did not record just culture answers."))
    if context.can_see_decisions:
        lines.append(Line("Panel decisions", "subheading"))
        lines += [
            Line(f"{'; '.join(d.outcomes)}. {d.rationale}".strip(), "field",
                 label=f"{d.panel_name}, {nhs_date(d.held_on)}")
            for d in context.decisions
        ] or [Line("No panel decision is recorded for this case.")]
    return lines if len(lines) > 1 else []


def _chronology(page) -> list[Line]:
    lines = [Line("Chronology", "heading")]
    if not page.chronology:
        return [*lines, Line("No events in the chronology.")]
    rows = [("When", "What happened", "Who was involved")]
    for entry in page.chronology:
        what = entry.what_happened + (" (from the case timeline)" if entry.timeline_event_id else "")
        rows.append((_when(entry), what, entry.who_was_involved or "Not recorded"))
    return [*lines, Line(style="table", rows=tuple(rows))]


def _finding(item, label: str) -> list[Line]:
    lines = [Line(f"{label}: {item.description}", "subheading")]
    if item.chronology_entry_id:
        entry = item.chronology_entry
        lines.append(Line(f"In the chronology at {nhs_date(entry.occurred_on)}: {entry.what_happened}"))
    coded = list(item.factors.all())
    for c in coded:
        lines.append(Line(f"{c.evidence} ({c.get_scope_display().lower()})", "field",
                          label=f"{c.factor.category.title}: {c.factor.title}"))
    if not coded:
        lines.append(Line("No contributory factors coded."))
    return lines


def _perspective(page) -> list[Line]:
    lines = [Line("The practitioner's perspective", "heading")]
    perspective = page.perspective
    if perspective is None:
        return [*lines, Line("The practitioner was not invited to say what would have helped.")]
    if perspective.responded_at:
        return [*lines, Line(f"In their own words, as they wrote it on {nhs_date(perspective.responded_at)}. "
                             "Nobody else can change it."), Line(perspective.text)]
    if perspective.declined_at:
        return [*lines, Line("They chose not to give their perspective.")]
    reply = f", to reply by {nhs_date(perspective.reply_by)}" if perspective.reply_by else ""
    return [*lines, Line(f"Invited on {nhs_date(perspective.invited_at)}{reply}. No answer yet.")]


def _action(action, overdue: bool) -> list[Line]:
    owner = action.owner_label + (" (outside the organisation)" if action.owner_outside else "")
    status = ActionStatus(action.status).label
    if overdue:
        status += ", overdue"
    if action.assured_at:
        status += f"; assured by {action.assured_by.full_name} on {nhs_date(action.assured_at)}"
    lines = [
        Line(action.description, "subheading"),
        Line(f"{owner}; {action.get_priority_display().lower()} priority; due {nhs_date(action.due_on)}",
             "field", label="Owner, priority and due date"),
        Line(status, "field", label="Status"),
        Line("; ".join(coded.factor.title for coded in action.factors.all()) or "None", "field",
             label="Factors it answers"),
    ]
    if action.evidence:
        lines.append(Line(action.evidence, "field", label="Evidence"))
    if action.not_done_reason:
        lines.append(Line(action.not_done_reason, "field", label="Why it will not be done"))
    return lines


def review_lines(page, action_rows, *, organisation: str) -> tuple[str, list[Line]]:
    """The review as a title and lines, the same for both formats. `page` is a
    ReviewPage; `action_rows` the review page's action rows (action, is_overdue)."""
    review = page.review
    case = review.case
    title = f"Lessons-learnt review {review.number} – case {case.reference}"
    status = review.get_status_display()
    if review.revision > 1:
        status += f", revision {review.revision}"
    lines = [
        Line(title, "title"),
        Line(f"{organisation}. A review of the system around the concern: what contributed, what went well "
             "and what will change. It does not look for someone to blame."),
        Line(f"{case.reference} – {case.practitioner.full_name}", "field", label="Case"),
        Line(status, "field", label="Status"),
        Line(f"Started on {nhs_date(review.started_at)}; due by {nhs_date(review.due_on)}", "field",
             label="Dates"),
    ]
    if review.approved_at:
        lines.append(Line(f"{review.approved_by.full_name} on {nhs_date(review.approved_at)}", "field",
                          label="Approved by"))
    team = "; ".join(f"{place.user.full_name} ({place.get_role_display().lower()})" for place in page.team)
    lines.append(Line(team or "Nobody", "field", label="Review team"))
    if review.another_reason:
        lines.append(Line(review.another_reason, "field", label="Why another review"))
    lines += _context(page)
    lines += _chronology(page)
    lines.append(Line("Problems in care or its management", "heading"))
    for problem in page.problems:
        lines += _finding(problem, "Problem")
    if not page.problems:
        lines.append(Line("No problems recorded."))
    lines.append(Line("What went well", "heading"))
    for positive in page.went_well:
        lines += _finding(positive, "Went well")
    if not page.went_well:
        lines.append(Line("Nothing recorded as going well."))
    lines += _perspective(page)
    lines += [
        Line("Summary and recommendations", "heading"),
        Line(review.summary or "Not written yet.", "field", label="Summary"),
        Line(review.recommendations or "None written yet.", "field", label="Recommendations"),
        Line("Improvement actions", "heading"),
    ]
    for row in action_rows:
        lines += _action(row.action, row.is_overdue)
    if not action_rows:
        lines.append(Line("No improvement actions."))
    return title, lines


def render(page, action_rows, fmt: str, *, organisation: str) -> bytes:
    title, lines = review_lines(page, action_rows, organisation=organisation)
    return document_docx(title, lines) if fmt == "docx" else document_pdf(title, lines)
