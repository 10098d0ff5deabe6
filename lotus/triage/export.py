"""A triage review on paper (DOCX and PDF): the same content as the review page, from the
same presenter, so what is printed is what was on screen. For the practitioner it is the
version that was shared, without what was withheld and without the staff-only just
culture answers."""

from lotus.core.documents import Line, document_docx, document_pdf
from lotus.core.jinja2 import nhs_date
from lotus.triage.presenters import ReviewPresenter

FORMATS = {"docx", "pdf"}


def _rows(rows: list[dict]) -> list[Line]:
    return [Line(row["value"]["text"], "field", label=row["key"]["text"]) for row in rows]


def review_lines(r: ReviewPresenter, *, for_practitioner: bool) -> tuple[str, list[Line]]:
    review, case = r.review, r.case
    title = f"Triage review – case {case.reference}"
    lines = [Line(title, "title")]
    if for_practitioner:
        lines.append(Line("This is the review of the concern about you, as it was shared with you."))
    lines.append(Line("Risk", "heading"))
    if r.tag:
        lines.append(Line(
            f"Overall consequence {review.consequence} (the highest level across the domains) multiplied by "
            f"likelihood {review.likelihood} gives a risk score of {review.score}, which is {review.band} "
            f"({review.colour})."
        ))
        header = ("Likelihood \\ consequence", *r.grid.column_headers)
        grid_rows = [header]
        for row in r.grid.rows:
            cells = [f"{c['score']} {c['band']}" + (" – this case" if c["is_current"] else "") for c in row["cells"]]
            grid_rows.append((row["header"], *cells))
        lines.append(Line("Where this case sits on the risk grid", "subheading"))
        lines.append(Line(style="table", rows=tuple(tuple(row) for row in grid_rows)))
    else:
        lines.append(Line("The risk has not been scored yet."))
    lines.append(Line("Consequence, by domain", "subheading"))
    lines += _rows(r.domain_rows)
    lines.append(Line("Likelihood of recurrence", "subheading"))
    lines.append(Line(r.likelihood_text))
    lines += _rows(r.factor_rows)

    lines.append(Line("The review", "heading"))
    practitioner = case.practitioner
    lines.append(Line(
        f"{practitioner.full_name} – {practitioner.get_profession_display()}, {practitioner.regulator} "
        f"{practitioner.registration_number}", "field", label="Practitioner",
    ))
    lines.append(Line(review.reviewer.full_name, "field", label="Reviewer"))
    submitted = nhs_date(review.submitted_at) if review.submitted_at else "Not submitted yet"
    lines.append(Line(submitted, "field", label="Date submitted"))
    lines.append(Line(review.summary_of_concerns or "Not answered", "field", label="Summary of the concerns"))
    if r.shows_third_party:
        lines.append(Line(review.other_documents or "None", "field", label="Other information reviewed"))
        safeguarding = r.yes_no(review.safeguarding_concern)
        if review.safeguarding_details:
            safeguarding += ". " + review.safeguarding_details
        lines.append(Line(safeguarding, "field", label="Safeguarding concern"))
    if r.shows_health:
        health = r.yes_no(review.health_concern)
        if r.health_details:
            health += ". " + r.health_details
        elif r.health_details is None and review.health_concern == "yes":
            health += ". The details are kept separately and are not in this copy."
        lines.append(Line(health, "field", label="Health concern"))
    lines.append(Line(review.rationale or "Not answered", "field", label="Rationale"))
    lines.append(Line(r.recommendation_text, "field", label="Case recommendation"))
    lines.append(Line(review.additional_recommendations or "None", "field", label="Additional recommendations"))
    if r.withheld_labels:
        lines.append(Line("Not included: " + ", ".join(r.withheld_labels).lower() + "."))
    if not for_practitioner:
        lines.append(Line("Just culture check", "heading"))
        lines.append(Line(r.just_culture_summary))
        lines += _rows(r.just_culture_rows)
    return title, lines


def render(r: ReviewPresenter, fmt: str, *, for_practitioner: bool) -> bytes:
    title, lines = review_lines(r, for_practitioner=for_practitioner)
    return document_docx(title, lines) if fmt == "docx" else document_pdf(title, lines)
