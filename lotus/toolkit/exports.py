"""The leader's toolkit records as Markdown: one entry, or everything they hold; and the
same text laid out as a PDF."""

from lotus.core.documents import Line, document_pdf
from lotus.toolkit.content import EXERCISES, INSTRUMENTS, PRACTICES_BY_KEY, TEAM_INSTRUMENTS
from lotus.toolkit.presenters import format_score, headline_name

EXERCISES_BY_CODE = {exercise.code: exercise for exercise in EXERCISES}


def _quote(text: str) -> str:
    """What the leader wrote, as a Markdown block quote, so nothing in it becomes a heading
    or a link target in the export's structure."""
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines()) or ">"


def entry_markdown(entry, actions) -> str:
    exercise = EXERCISES_BY_CODE[entry.exercise]
    lines = [
        f"## Exercise {exercise.code}: {exercise.title}",
        "",
        f"Status: {entry.get_status_display()}. Last saved {entry.updated_at:%d %B %Y}.",
        "",
    ]
    for prompt in exercise.prompts:
        text = entry.responses.get(prompt.key, "")
        if text:
            lines += [f"### {prompt.label}", "", _quote(text), ""]
    if actions:
        lines += ["### Actions", ""]
        for action in actions:
            due = f", by {action.due_on:%d %B %Y}" if action.due_on else ""
            helper = f", with help from {action.helper}" if action.helper else ""
            lines.append(f"- {action.what}{due}{helper} ({action.get_status_display().lower()})")
        lines.append("")
    return "\n".join(lines)


def everything_markdown(user, everything) -> str:
    lines = [
        "# Your LOTUS leadership toolkit",
        "",
        f"Everything {user.full_name} has saved in the toolkit. This file is private to you.",
        "",
        "## Self-assessments",
        "",
    ]
    if not everything.attempts:
        lines += ["None yet.", ""]
    for attempt in everything.attempts:
        instrument = INSTRUMENTS[attempt.instrument]
        about = f" ({attempt.subject})" if attempt.subject else ""
        lines.append(f"### {instrument.title}{about}, {attempt.created_at:%d %B %Y}")
        lines.append("")
        if attempt.is_complete:
            lines.append(f"Result: {headline_name(attempt.instrument, attempt.result.get('headline', ''))}")
            for dimension in instrument.dimensions:
                value = attempt.result.get("scores", {}).get(dimension.key)
                if value is not None:
                    lines.append(f"- {dimension.label}: {format_score(value)} out of 5")
        else:
            lines.append(f"Draft: {len(attempt.answers)} of {len(instrument.items)} statements answered.")
        lines.append("")
    lines += ["## Reflections", ""]
    if not everything.entries:
        lines += ["None yet.", ""]
    actions_by_entry: dict[int, list] = {}
    for action in everything.actions:
        actions_by_entry.setdefault(action.entry_id, []).append(action)
    for entry in everything.entries:
        lines.append(entry_markdown(entry, actions_by_entry.get(entry.pk, [])).replace("## ", "### ", 1))
    lines += ["## Routines", ""]
    if not everything.routines:
        lines += ["None yet.", ""]
    for routine in everything.routines:
        days = everything.checks.get(routine.pk, [])
        state = "active" if routine.active else "stopped"
        lines.append(f"- {PRACTICES_BY_KEY[routine.practice].name} ({state}), ticked on {len(days)} days")
        if days:
            lines.append("  - " + ", ".join(f"{day:%d %b %Y}" for day in days[-60:]))
    lines += ["", "## Team sessions you ran", ""]
    if not everything.sessions:
        lines += ["None yet.", ""]
    for session in everything.sessions:
        lines.append(f"### {session.title} ({TEAM_INSTRUMENTS[session.instrument].title})")
        lines.append("")
        if session.consensus:
            lines += ["What the team agreed:", "", _quote(session.consensus), ""]
        if session.team_actions:
            lines += ["The team's actions:", "", _quote(session.team_actions), ""]
    return "\n".join(lines).rstrip() + "\n"


_STYLES = {"# ": "title", "## ": "heading", "### ": "subheading"}


def markdown_lines(text: str) -> list[Line]:
    """The Markdown these functions write, as document lines. What the leader wrote is
    always a block quote here, so it can only ever become body text, never a heading."""
    lines = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if raw.startswith(">"):
            lines.append(Line(raw[2:] if raw.startswith("> ") else raw[1:]))
            continue
        style = next((name for prefix, name in _STYLES.items() if raw.startswith(prefix)), None)
        if style:
            lines.append(Line(raw.split(" ", 1)[1], style))
        else:
            lines.append(Line(raw))
    return lines


def markdown_pdf(title: str, text: str) -> bytes:
    return document_pdf(title, markdown_lines(text))
