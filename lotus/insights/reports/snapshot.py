"""A report's figures and words computed once, as JSON, and read back (docs/adr/0023).

`build` runs every part of the report's kind for its year and organisation. A draft is
shown from a snapshot built afresh each time it is opened; approving the report keeps one
(`AnnualReport.snapshot`, with its SHA-256), and an issued report is shown, downloaded and
sent only from the one kept. `present` and `lines` read a snapshot and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace

from django.utils import timezone

from lotus.core.documents import Line
from lotus.insights.reports.figures import hidden_words
from lotus.insights.reports.parts import ReportContext, part, parts_for
from lotus.insights.reports.words import words
from lotus.insights.selectors import threshold_for

#: The shape of the kept JSON. Raise it when the shape changes, and keep reading the old.
SCHEMA = 1


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in local time: from the first moment of 1 January to the next."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def build(report, *, as_at: dt.datetime) -> dict:
    """Every part of the report, for its year, as at `as_at`, with its words."""
    organisation = report.organisation
    start, end = year_bounds(report.year)
    local = timezone.localtime(as_at)
    threshold = threshold_for(organisation.pk)
    context = ReportContext(organisation_id=organisation.pk, year=report.year, start=start, end=end,
                            as_at=local, threshold=threshold)
    replaces = report.replaces
    return {
        "schema": SCHEMA,
        "kind": report.kind,
        "title": report.title,
        "year": report.year,
        "number": report.number,
        "organisation": {"name": organisation.name, "code": organisation.code},
        "as_at": local.isoformat(),
        "threshold": threshold,
        "hidden": hidden_words(threshold),
        "introduction": report.introduction,
        "sign_off": report.sign_off,
        "replaces": {"number": replaces.number, "reason": report.new_version_reason} if replaces else None,
        "parts": [{"slug": p.slug, "title": p.title, "data": p.build(context)} for p in parts_for(report.kind)],
    }


def digest(snapshot: dict) -> str:
    """The SHA-256 of the snapshot written canonically, kept beside it so any later change
    to the stored JSON shows."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _day(iso: str) -> str:
    moment = dt.datetime.fromisoformat(iso)
    return f"{moment.day} {moment:%B %Y}"


@dataclass(frozen=True)
class PartView:
    slug: str
    title: str
    template: str
    view: object


@dataclass(frozen=True)
class ReportView:
    """A snapshot as a page shows it."""

    title: str
    organisation: str
    year: int
    number: int
    as_at: str
    lede: str
    about: str
    introduction: str
    sign_off: str
    replaces: dict | None
    parts: tuple[PartView, ...]


def _paragraphs(text: str) -> list[str]:
    return [paragraph.strip() for paragraph in text.replace("\r\n", "\n").split("\n\n") if paragraph.strip()]


def _header(snapshot: dict) -> dict:
    kind = snapshot["kind"]
    organisation = snapshot["organisation"]["name"]
    return {
        "title": snapshot["title"], "organisation": organisation, "year": snapshot["year"],
        "number": snapshot["number"], "as_at": _day(snapshot["as_at"]),
        "lede": words("kinds", kind, "lede", organisation=organisation, year=snapshot["year"]),
        "about": words("kinds", kind, "about", threshold=snapshot["threshold"], hidden=snapshot["hidden"]),
        "introduction": snapshot["introduction"], "sign_off": snapshot["sign_off"],
        "replaces": snapshot["replaces"],
    }


def _part(slug: str):
    registered = part(slug)
    if registered is None:  # never removed while a report holds it (parts.py)
        raise LookupError(f"The report part {slug!r} is no longer registered")
    return registered


def present(snapshot: dict) -> ReportView:
    parts = tuple(
        PartView(kept["slug"], kept["title"], _part(kept["slug"]).template, _part(kept["slug"]).present(kept["data"]))
        for kept in snapshot["parts"]
    )
    return ReportView(**_header(snapshot), parts=parts)


EVERY_CHARACTERISTIC = "all"


def one_characteristic(view: ReportView, code: str | None) -> ReportView:
    """The report as a page shows it with each part that compares by characteristic
    narrowed to one (the first, unless `code` names another, or every one for
    EVERY_CHARACTERISTIC): six characteristics of about fifteen tables each make a page
    too long to read or load. Each narrowed part's view gains `choices` ((code, label)
    pairs) and `shown`. Paper keeps every characteristic (`lines`). Raises LookupError for
    a code the report does not hold."""
    parts, known = [], {EVERY_CHARACTERISTIC}
    for one in view.parts:
        held = one.view.get("characteristics") if isinstance(one.view, dict) else None
        if not held:
            parts.append(one)
            continue
        codes = [kept["code"] for kept in held]
        known.update(codes)
        shown = code if code in (*codes, EVERY_CHARACTERISTIC) else codes[0]
        narrowed = held if shown == EVERY_CHARACTERISTIC else [kept for kept in held if kept["code"] == shown]
        choices = [(kept["code"], kept["label"]) for kept in held]
        parts.append(replace(one, view={**one.view, "characteristics": narrowed, "choices": choices, "shown": shown}))
    if code is not None and code not in known:
        raise LookupError(f"This report compares by no characteristic {code!r}")
    return replace(view, parts=tuple(parts))


def lines(snapshot: dict, *, issued_at: dt.datetime | None) -> list[Line]:
    """The whole report laid out for paper (and the API), from the snapshot alone."""
    view = _header(snapshot)
    status = (f"Version {view['number']}, issued {_day(timezone.localtime(issued_at).isoformat())}."
              if issued_at else f"Version {view['number']}, not issued yet.")
    found = [
        Line(view["title"], "title"),
        Line(view["organisation"], "subheading"),
        Line(f"{status} Figures as at {view['as_at']}."),
    ]
    if view["replaces"]:
        found.append(Line(view["replaces"]["reason"], "field",
                          label=f"This version replaces version {view['replaces']['number']} because"))
    found.append(Line(view["lede"]))
    found.append(Line(view["about"]))
    found.append(Line(words("report", "introduction"), "heading"))
    found.extend(Line(paragraph) for paragraph in _paragraphs(view["introduction"]))
    for kept in snapshot["parts"]:
        found.append(Line(kept["title"], "heading"))
        found.extend(_part(kept["slug"]).lines(kept["data"]))
    found.append(Line(words("report", "sign_off"), "heading"))
    found.extend(Line(paragraph) for paragraph in _paragraphs(view["sign_off"]))
    return found
