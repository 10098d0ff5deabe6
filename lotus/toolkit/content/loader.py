"""Reads the toolkit's content from the YAML files in data/ and builds the objects the rest
of the toolkit uses. Pure: no Django import.

Everything is checked as it is read. A missing or unknown key, a value of the wrong type, a
key given twice, or a reference to something that does not exist (a dimension, scale, step,
section, quadrant, exercise or routine) stops the import with a ContentError that names the
file and the place in it, for example:

    lotus/toolkit/content/data/instruments.yaml: instruments[flywheel].items.courag:
    unknown dimension 'courag' (this instrument has: presence, courage, candour, transparency)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from lotus.toolkit.content.records import Exercise, InstrumentGuide, Practice, Prompt, Step
from lotus.toolkit.scoring import Dimension, Instrument, Item, Kind

DATA_DIR = Path(__file__).parent / "data"
#: Every file the loader reads, in the order it reads them. Nothing else belongs in data/.
FILES = (
    "instruments.yaml",
    "steps.yaml",
    "exercises.yaml",
    "practices.yaml",
    "results.yaml",
    "team.yaml",
)
#: The scales the code names (FREQUENCY, AGREEMENT, RECENT_FREQUENCY); others may be added.
NAMED_SCALES = {"FREQUENCY": "frequency", "AGREEMENT": "agreement", "RECENT_FREQUENCY": "recent_frequency"}
#: The self-assessments the code names.
NAMED_INSTRUMENTS = {
    "FOUR_ELEMENTS": "four-elements",
    "WISE_COMPASSION": "wise-compassion",
    "FLYWHEEL": "flywheel",
    "RADICAL_CANDOUR": "radical-candour",
    "INCLUSION": "inclusion",
    "WELLBEING_SIGNS": "wellbeing-signs",
    "PSYCHOLOGICAL_SAFETY": "psychological-safety",
}
SCALE_LENGTH = 5


class ContentError(ValueError):
    """A data file is missing, cannot be read, or says something the toolkit cannot use."""


def _shown(file: Path) -> str:
    """The file's path from the repository root when it is in the package, else as given."""
    root = Path(__file__).resolve().parents[3]
    try:
        return str(file.resolve().relative_to(root))
    except ValueError:
        return str(file)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice (PyYAML would keep the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class _Node:
    """A value read from a data file, with where it came from, for error messages."""

    file: Path
    where: str
    value: Any

    def fail(self, problem: str) -> NoReturn:
        place = f"{self.where}: " if self.where else ""
        raise ContentError(f"{_shown(self.file)}: {place}{problem}")

    def child(self, key: str | int, value: Any) -> _Node:
        if isinstance(key, int):
            where = f"{self.where}[{key}]"
        else:
            where = f"{self.where}.{key}" if self.where else key
        return _Node(self.file, where, value)

    def named(self, name: str) -> _Node:
        """The same node, called by its slug or key rather than its position in a list."""
        return _Node(self.file, self.where.rsplit("[", 1)[0] + f"[{name}]", self.value)

    def fields(self, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, _Node]:
        """A mapping with these keys: each required one present, no others."""
        required, optional = tuple(required), tuple(optional)
        entries = self.entries()
        for key in required:
            if key not in entries:
                self.fail(f"missing key '{key}'")
        for key in entries:
            if key not in required + optional:
                self.fail(f"unknown key '{key}' (expected: {', '.join(required + optional)})")
        return entries

    def entries(self) -> dict[str, _Node]:
        """A mapping of any keys, all text, in the order written."""
        if not isinstance(self.value, dict):
            self.fail("expected keys and values here")
        for key in self.value:
            if not isinstance(key, str) or (key != key.strip()):
                self.fail(f"the key {key!r} must be text (put it in quotes)")
        return {key: self.child(key, value) for key, value in self.value.items()}

    def list(self) -> list[_Node]:
        if not isinstance(self.value, list) or not self.value:
            self.fail("expected a list of one or more entries here")
        return [self.child(n, value) for n, value in enumerate(self.value)]

    def text(self) -> str:
        if not isinstance(self.value, str) or not self.value.strip():
            self.fail(f"expected text here, not {self.value!r} (put numbers like 2.5 in quotes)")
        return self.value

    def texts(self) -> tuple[str, ...]:
        return tuple(node.text() for node in self.list())

    def integer(self) -> int:
        if not isinstance(self.value, int) or isinstance(self.value, bool) or self.value < 0:
            self.fail(f"expected a whole number of 0 or more here, not {self.value!r}")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            self.fail(f"expected true or false here, not {self.value!r}")
        return self.value

    def one_of(self, known: Iterable[str], what: str, of: str = "") -> str:
        """This text, which must be one of `known` (`of` says where those come from)."""
        value, known = self.text(), tuple(known)
        if value not in known:
            self.fail(f"unknown {what} '{value}'{of} (known: {', '.join(known)})")
        return value


def _read(file: Path) -> _Node:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(f"{_shown(file)}: cannot be read ({error.strerror or error})") from error
    try:
        # _UniqueKeyLoader is a SafeLoader subclass (it only refuses a key given twice).
        value = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506  # nosec B506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}: " if mark else ""
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise ContentError(f"{_shown(file)}: {line}{problem}") from error
    except yaml.YAMLError as error:
        raise ContentError(f"{_shown(file)}: is not valid YAML ({error})") from error
    return _Node(file, "", value)


def _unique(nodes: list[_Node], key: str) -> list[tuple[str, _Node]]:
    """(identifier, entry) for list entries identified by `key`, refusing a repeat."""
    seen: dict[str, _Node] = {}
    for node in nodes:
        entries = node.entries()
        if key not in entries:
            node.fail(f"missing key '{key}'")
        ident = entries[key].text()
        if ident in seen:
            entries[key].fail(f"'{ident}' is used twice")
        seen[ident] = node.named(ident)
    return list(seen.items())


# ----------------------------------------------------------------- instruments


def _dimensions(node: _Node) -> tuple[Dimension, ...]:
    return tuple(Dimension(key, value.text()) for key, value in node.entries().items())


def _items(node: _Node, kind: Kind, dimensions: Iterable[str]) -> tuple[Item, ...]:
    known = tuple(dimensions)
    items = []
    for dimension, texts in node.entries().items():
        if dimension not in known:
            texts.fail(f"unknown dimension '{dimension}' (this instrument has: {', '.join(known)})")
        for n, entry in enumerate(texts.list(), 1):
            if isinstance(entry.value, dict):
                fields = entry.fields(("text", "urgent"))
                if kind != Kind.SIGNS:
                    fields["urgent"].fail("only signs have urgent statements")
                items.append(Item(f"{dimension}_{n}", fields["text"].text(), dimension, urgent=fields["urgent"].boolean()))
            else:
                items.append(Item(f"{dimension}_{n}", entry.text(), dimension))
    return tuple(items)


def _instrument(
    node: _Node, fields: dict[str, _Node], scales: dict[str, tuple[str, ...]], dimensions: tuple[Dimension, ...]
) -> Instrument:
    """The parts every instrument has: slug, title, kind, scale and items."""
    slug = fields["slug"].text()
    kind = Kind(fields["kind"].one_of(tuple(Kind), "kind"))
    items = _items(fields["items"], kind, (d.key for d in dimensions))
    used = tuple(d.key for d in dimensions)
    for dimension in used:
        if not any(item.dimension == dimension for item in items):
            node.fail(f"the dimension '{dimension}' has no statements under items")
    extra: dict[str, Any] = {}
    if "axes" in fields or "quadrants" in fields or kind == Kind.MATRIX:
        if kind != Kind.MATRIX:
            node.fail("only a matrix has axes and quadrants")
        for key in ("axes", "quadrants"):
            if key not in fields:
                node.fail(f"missing key '{key}' (a matrix needs it)")
        axes = tuple(n.one_of(used, "dimension") for n in fields["axes"].list())
        quadrants = fields["quadrants"].texts()
        if len(axes) != 2 or len(quadrants) != 4:
            node.fail("a matrix has two axes and four quadrants")
        extra.update(axes=axes, quadrants=quadrants)
    if "points" in fields:
        if kind != Kind.SCALE:
            fields["points"].fail("only a scale has points")
        extra["points"] = fields["points"].texts()
        if len(extra["points"]) != SCALE_LENGTH:
            fields["points"].fail(f"a scale has {SCALE_LENGTH} points, one per answer")
    if "secondary" in fields:
        if kind != Kind.STAGES:
            fields["secondary"].fail("only stages have secondary dimensions")
        extra["secondary"] = tuple(n.one_of(used, "dimension") for n in fields["secondary"].list())
    return Instrument(
        slug=slug,
        title=fields["title"].text(),
        kind=kind,
        dimensions=dimensions,
        items=items,
        scale_labels=scales[fields["scale"].one_of(scales, "scale")],
        **extra,
    )


SHAPE = ("axes", "quadrants", "points", "secondary")
GUIDE = ("subject_label", "subject_hint", "time_frame")


def _load_instruments(root: _Node) -> dict[str, Any]:
    top = root.fields(("scales", "how_scored", "instruments"))
    scales = {}
    for name, node in top["scales"].entries().items():
        scales[name] = node.texts()
        if len(scales[name]) != SCALE_LENGTH:
            node.fail(f"a scale has {SCALE_LENGTH} options")
    for name in NAMED_SCALES.values():
        if name not in scales:
            top["scales"].fail(f"missing key '{name}'")
    instruments, guides, how_scored, places = {}, {}, {}, {}
    for slug, node in _unique(top["instruments"].list(), "slug"):
        fields = node.fields(
            ("slug", "title", "kind", "scale", "step", "section", "intro", "dimensions", "items"),
            (*GUIDE, "how_scored", *SHAPE),
        )
        instruments[slug] = _instrument(node, fields, scales, _dimensions(fields["dimensions"]))
        guides[slug] = InstrumentGuide(
            step=fields["step"].text(),
            intro=fields["intro"].text(),
            **{key: fields[key].text() for key in GUIDE if key in fields},
        )
        if "how_scored" in fields:
            how_scored[slug] = fields["how_scored"].text()
        places[slug] = (fields["step"], fields["section"])
    for slug in NAMED_INSTRUMENTS.values():
        if slug not in instruments:
            top["instruments"].fail(f"missing the instrument '{slug}' (the toolkit's code uses it)")
    return {
        "scales": scales,
        "HOW_SCORED": top["how_scored"].text(),
        "INSTRUMENTS": instruments,
        "GUIDES": guides,
        "HOW_SCORED_EXTRA": how_scored,
        "places": places,
    }


# ----------------------------------------------------------------- steps, exercises, routines


def _load_steps(root: _Node, instruments: dict[str, Any]) -> dict[str, Any]:
    top = root.fields(("steps", "default_promise"))
    steps = []
    for number, (slug, node) in enumerate(_unique(top["steps"].list(), "slug"), 1):
        fields = node.fields(("slug", "number", "name", "summary", "sections"), ("instruments",))
        if fields["number"].integer() != number:
            fields["number"].fail(f"the steps are numbered in order from 1: expected {number}")
        listed = tuple(n.one_of(instruments, "instrument") for n in fields["instruments"].list()) if "instruments" in fields else ()
        steps.append(
            Step(
                slug,
                number,
                fields["name"].text(),
                fields["summary"].text(),
                tuple((anchor, heading.text()) for anchor, heading in fields["sections"].entries().items()),
                listed,
            )
        )
    return {"STEPS": tuple(steps), "DEFAULT_PROMISE": top["default_promise"].text()}


def _load_exercises(root: _Node, steps: dict[str, Step], instruments: dict[str, Any]) -> tuple[Exercise, ...]:
    exercises = []
    for code, node in _unique(root.fields(("exercises",))["exercises"].list(), "code"):
        fields = node.fields(
            ("code", "step", "section", "title", "team", "prompts"),
            ("instrument", "actions", "actions_required"),
        )
        step = fields["step"].one_of(steps, "step")
        prompts = []
        for key, prompt in _unique(fields["prompts"].list(), "key"):
            parts = prompt.fields(("key", "label"), ("hint",))
            prompts.append(Prompt(key, parts["label"].text(), parts["hint"].text() if "hint" in parts else ""))
        actions = fields["actions"].integer() if "actions" in fields else 0
        required = fields["actions_required"].integer() if "actions_required" in fields else 0
        if required > actions:
            fields["actions_required"].fail(f"more actions required than offered ({actions})")
        exercises.append(
            Exercise(
                code,
                step,
                fields["title"].text(),
                fields["team"].boolean(),
                tuple(prompts),
                actions=actions,
                actions_required=required,
                instrument=fields["instrument"].one_of(instruments, "instrument") if "instrument" in fields else "",
                section=fields["section"].one_of(dict(steps[step].sections), "section", f" in the step '{step}'"),
            )
        )
    return tuple(exercises)


def _load_practices(root: _Node) -> tuple[Practice, ...]:
    practices = []
    for key, node in _unique(root.fields(("practices",))["practices"].list(), "key"):
        fields = node.fields(("key", "name", "how"), ("because",))
        because = fields["because"].texts() if "because" in fields else ()
        practices.append(Practice(key, fields["name"].text(), fields["how"].text(), because))
    return tuple(practices)


# ----------------------------------------------------------------- what results mean


def _pairs(node: _Node, first: str, second: str) -> dict[str, tuple[str, str]]:
    out = {}
    for key, entry in node.entries().items():
        fields = entry.fields((first, second))
        out[key] = (fields[first].text(), fields[second].text())
    return out


def _load_results(root: _Node, instruments: dict[str, Instrument], practices: dict[str, Practice]) -> dict[str, Any]:
    top = root.fields(
        (
            "dimension_notes", "quadrants", "quadrant_routines", "radical_candour_tips", "scale_points",
            "inclusion_practices", "stages", "needs", "signs_levels", "support", "self_care",
        )
    )
    notes: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}
    for slug, dimensions in top["dimension_notes"].entries().items():
        instrument = instruments.get(slug) or dimensions.fail(f"unknown instrument '{slug}' (known: {', '.join(instruments)})")
        known = [d.key for d in instrument.dimensions]
        notes[slug] = {}
        for key, entry in dimensions.entries().items():
            if key not in known:
                entry.fail(f"unknown dimension '{key}' (this instrument has: {', '.join(known)})")
            fields = entry.fields(("meaning", "practices"))
            notes[slug][key] = (fields["meaning"].text(), fields["practices"].texts())
    routines = {}
    for key, node in top["quadrant_routines"].entries().items():
        routines[key] = tuple(n.one_of(practices, "routine") for n in node.list())
    stages = {}
    for key, entry in top["stages"].entries().items():
        fields = entry.fields(("name", "meaning", "next"))
        stages[key] = (fields["name"].text(), fields["meaning"].text(), fields["next"].texts())
    support = []
    for node in top["support"].list():
        fields = node.fields(("heading", "text"))
        support.append((fields["heading"].text(), fields["text"].text()))
    results = {
        "DIMENSION_NOTES": notes,
        "QUADRANTS": _pairs(top["quadrants"], "name", "meaning"),
        "QUADRANT_ROUTINES": routines,
        "RADICAL_CANDOUR_TIPS": top["radical_candour_tips"].texts(),
        "SCALE_POINTS": _pairs(top["scale_points"], "name", "meaning"),
        "INCLUSION_PRACTICES": top["inclusion_practices"].texts(),
        "STAGES": stages,
        "NEEDS": _pairs(top["needs"], "name", "advice"),
        "SIGNS_LEVELS": _pairs(top["signs_levels"], "name", "meaning"),
        "SUPPORT": tuple(support),
        "SELF_CARE": top["self_care"].texts(),
    }
    # Every result an instrument can give must have words in this file.
    for instrument in instruments.values():
        wanted = [("quadrants", q) for q in instrument.quadrants or ()]
        wanted += [("scale_points", p) for p in instrument.points]
        wanted += [("needs", d) for d in instrument.secondary]
        if instrument.kind == Kind.STAGES:
            wanted += [("stages", d.key) for d in instrument.dimensions if d.key not in instrument.secondary]
        for section, key in wanted:
            if key not in top[section].value:
                top[section].fail(f"missing key '{key}' (a result of the instrument '{instrument.slug}')")
    return results


# ----------------------------------------------------------------- team sessions


def _load_team(
    root: _Node, scales: dict[str, tuple[str, ...]], instruments: dict[str, Instrument], exercises: tuple[Exercise, ...]
) -> dict[str, Any]:
    top = root.fields(("free_text", "instruments"))
    team_exercises = {e.code for e in exercises if e.team}
    sessions, belongs = {}, {}
    for slug, node in _unique(top["instruments"].list(), "slug"):
        fields = node.fields(("slug", "title", "kind", "scale", "exercise", "items"), ("dimensions", "dimensions_from"))
        if slug in instruments:
            fields["slug"].fail(f"'{slug}' is already the slug of a self-assessment")
        if ("dimensions" in fields) == ("dimensions_from" in fields):
            node.fail("give either 'dimensions' or 'dimensions_from', not both or neither")
        if "dimensions" in fields:
            dimensions = _dimensions(fields["dimensions"])
        else:
            source = instruments[fields["dimensions_from"].one_of(instruments, "instrument")]
            by_key = {d.key: d for d in source.dimensions}
            for key, texts in fields["items"].entries().items():
                if key not in by_key:
                    texts.fail(f"unknown dimension '{key}' (the instrument '{source.slug}' has: {', '.join(by_key)})")
            dimensions = tuple(by_key[key] for key in fields["items"].entries())
        sessions[slug] = _instrument(node, fields, scales, dimensions)
        belongs[slug] = fields["exercise"].one_of(sorted(team_exercises), "team exercise")
    return {"TEAM_FREE_TEXT": top["free_text"].text(), "TEAM_INSTRUMENTS": sessions, "TEAM_EXERCISES": belongs}


# ----------------------------------------------------------------- everything


def load(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Read and check every data file; return the toolkit's content by its public name."""
    present = sorted(p.name for p in data_dir.glob("*") if not p.name.startswith("."))
    for name in present:
        if name not in FILES:
            raise ContentError(f"{_shown(data_dir / name)}: not a file the toolkit reads (it reads: {', '.join(FILES)})")
    files = {name: _read(data_dir / name) for name in FILES}

    found = _load_instruments(files["instruments.yaml"])
    instruments = found["INSTRUMENTS"]
    steps = _load_steps(files["steps.yaml"], instruments)
    by_step = {step.slug: step for step in steps["STEPS"]}
    for slug, (step_node, section_node) in found["places"].items():
        step = by_step[step_node.one_of(by_step, "step")]
        section_node.one_of(dict(step.sections), "section", f" in the step '{step.slug}'")
        if slug not in step.instruments:
            step_node.fail(f"steps.yaml does not list '{slug}' among the instruments of '{step.slug}'")
    # The section each self-assessment belongs to, in the order the step pages show them.
    page_order = [anchor for step in steps["STEPS"] for anchor, _ in step.sections]
    places = sorted(found["places"].items(), key=lambda pair: page_order.index(pair[1][1].value))
    sections = {slug: section_node.value for slug, (_, section_node) in places}
    exercises = _load_exercises(files["exercises.yaml"], by_step, instruments)
    practices = _load_practices(files["practices.yaml"])
    results = _load_results(files["results.yaml"], instruments, {p.key: p for p in practices})
    team = _load_team(files["team.yaml"], found["scales"], instruments, exercises)

    return {
        **{name: found["scales"][scale] for name, scale in NAMED_SCALES.items()},
        **{name: instruments[slug] for name, slug in NAMED_INSTRUMENTS.items()},
        "INSTRUMENTS": instruments,
        "GUIDES": found["GUIDES"],
        "HOW_SCORED": found["HOW_SCORED"],
        "HOW_SCORED_EXTRA": found["HOW_SCORED_EXTRA"],
        "INSTRUMENT_SECTIONS": sections,
        **results,
        **steps,
        "STEPS_BY_SLUG": by_step,
        "EXERCISES": exercises,
        "EXERCISES_BY_SLUG": {exercise.slug: exercise for exercise in exercises},
        "PRACTICES": practices,
        "PRACTICES_BY_KEY": {practice.key: practice for practice in practices},
        **team,
    }
