"""The toolkit's words live in lotus/toolkit/content/data/*.yaml: every file is read and
checked, and a file with a mistake is refused with a message naming the file and the key.
No database, no Django."""

import re
import shutil

import pytest

from lotus.toolkit import content
from lotus.toolkit.content.loader import DATA_DIR, FILES, ContentError, load


def test_every_data_file_is_read_and_nothing_else_is_there():
    assert sorted(p.name for p in DATA_DIR.iterdir()) == sorted(FILES)


def test_every_data_file_is_valid_and_gives_what_the_module_exports():
    loaded = load(DATA_DIR)
    for name, value in loaded.items():
        assert getattr(content, name) == value, name
    assert set(loaded) <= set(content.__all__)


def test_the_section_of_each_self_assessment_follows_the_order_of_the_step_pages():
    anchors = [anchor for step in content.STEPS for anchor, _ in step.sections]
    placed = [anchors.index(section) for section in content.INSTRUMENT_SECTIONS.values()]
    assert placed == sorted(placed)
    assert set(content.INSTRUMENT_SECTIONS) == set(content.INSTRUMENTS)


@pytest.fixture
def copy(tmp_path):
    """A copy of the data files, to break."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def change(copy, name, old, new):
    path = copy / name
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not in {name} exactly once"
    path.write_text(text.replace(old, new))
    return copy


BROKEN = [
    pytest.param(
        "instruments.yaml",
        "      courage:\n        - I start",
        "      courag:\n        - I start",
        "instruments.yaml: instruments[flywheel].items.courag: unknown dimension 'courag' "
        "(this instrument has: presence, courage, candour, transparency)",
        id="an item under an unknown dimension",
    ),
    pytest.param(
        "instruments.yaml",
        "    intro: Think about how you lead day to day. For each statement, choose how often it is true of you.\n",
        "",
        "instruments.yaml: instruments[wise-compassion]: missing key 'intro'",
        id="a missing key",
    ),
    pytest.param(
        "instruments.yaml",
        "    subject_label: Which group are you reflecting on?",
        "    subject_lable: Which group are you reflecting on?",
        "instruments.yaml: instruments[inclusion]: unknown key 'subject_lable'",
        id="a misspelt key",
    ),
    pytest.param(
        "instruments.yaml",
        "    scale: recent_frequency",
        "    scale: recent",
        "instruments.yaml: instruments[wellbeing-signs].scale: unknown scale 'recent' "
        "(known: frequency, agreement, recent_frequency)",
        id="an unknown scale",
    ),
    pytest.param(
        "instruments.yaml",
        "    section: safety",
        "    section: safety\n    section: candour",
        "instruments.yaml: line {line}: the key 'section' is given twice",
        id="a key given twice",
    ),
    pytest.param(
        "results.yaml",
        "  flywheel:\n    presence:",
        "  flywheel:\n    presense:",
        "results.yaml: dimension_notes.flywheel.presense: unknown dimension 'presense'",
        id="a note for an unknown dimension",
    ),
    pytest.param(
        "results.yaml",
        "  ruinous_empathy:\n",
        "  ruinous_empathies:\n",
        "results.yaml: quadrants: missing key 'ruinous_empathy' (a result of the instrument 'radical-candour')",
        id="a quadrant with no words",
    ),
    pytest.param(
        "exercises.yaml",
        '  - code: "2.5"',
        "  - code: 2.5",
        "exercises.yaml: exercises[7].code: expected text here, not 2.5",
        id="an unquoted exercise code",
    ),
    pytest.param(
        "exercises.yaml",
        "    step: transform\n    section: lessons",
        "    step: transform\n    section: lesson",
        "exercises.yaml: exercises[3.4].section: unknown section 'lesson' in the step 'transform' "
        "(known: process, support, transparency, lessons)",
        id="an exercise ending an unknown section",
    ),
    pytest.param(
        "team.yaml",
        '    exercise: "2.1.2"',
        '    exercise: "2.1.1"',
        "team.yaml: instruments[team-equity].exercise: unknown team exercise '2.1.1'",
        id="a team session for an exercise that is not a team one",
    ),
    pytest.param(
        "steps.yaml",
        "    instruments: [wise-compassion, flywheel]",
        "    instruments: [wise-compassion]",
        "instruments.yaml: instruments[flywheel].step: steps.yaml does not list 'flywheel' "
        "among the instruments of 'utilise'",
        id="a self-assessment its step does not offer",
    ),
    pytest.param(
        "practices.yaml",
        "  - key: connect\n",
        "  - key: self_care\n",
        "practices.yaml: practices[4].key: 'self_care' is used twice",
        id="a routine key used twice",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), BROKEN)
def test_a_file_with_a_mistake_is_refused_naming_the_file_and_the_key(copy, name, old, new, message):
    pattern = re.escape(f"{copy}/{message}").replace(re.escape("{line}"), r"\d+")
    with pytest.raises(ContentError, match=f"^{pattern}"):
        load(change(copy, name, old, new))


def test_the_message_names_a_file_in_the_package_from_the_repository_root(monkeypatch):
    monkeypatch.setattr("lotus.toolkit.content.loader.NAMED_INSTRUMENTS", {"X": "no-such-instrument"})
    with pytest.raises(ContentError, match=r"^lotus/toolkit/content/data/instruments\.yaml: instruments: "):
        load(DATA_DIR)


def test_a_file_the_toolkit_does_not_read_is_refused(copy):
    (copy / "notes.yaml").write_text("a: b\n")
    with pytest.raises(ContentError, match=r"notes\.yaml: not a file the toolkit reads"):
        load(copy)


def test_a_missing_file_is_refused(copy):
    (copy / "team.yaml").unlink()
    with pytest.raises(ContentError, match=r"team\.yaml: cannot be read"):
        load(copy)
