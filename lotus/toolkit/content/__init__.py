"""What the toolkit says: instruments, exercises, routines and the five steps. Pure: no
Django import.

The words are in data/*.yaml (each file says what it holds); loader.py reads and checks them
once, when this module is first imported, and a mistake in them stops LOTUS starting with a
message naming the file and the key. Keys, slugs and codes in those files are stored with
people's answers and entries, and titles and names are model choices: change those only
with a migration.

Every word was written for LOTUS. Names of models and their authors are cited; no item is
taken from a published questionnaire.
"""

from __future__ import annotations

from lotus.toolkit.content.loader import ContentError
from lotus.toolkit.content.loader import load as _load
from lotus.toolkit.content.records import Exercise, InstrumentGuide, Practice, Prompt, Step
from lotus.toolkit.scoring import Dimension, Instrument, Item, Kind

__all__ = [
    "AGREEMENT",
    "DEFAULT_PROMISE",
    "DIMENSION_NOTES",
    "EXERCISES",
    "EXERCISES_BY_SLUG",
    "FLYWHEEL",
    "FOUR_ELEMENTS",
    "FREQUENCY",
    "GUIDES",
    "HOW_SCORED",
    "HOW_SCORED_EXTRA",
    "INCLUSION",
    "INCLUSION_PRACTICES",
    "INSTRUMENTS",
    "INSTRUMENT_SECTIONS",
    "NEEDS",
    "PLEDGE_REVISIT_DAYS",
    "PRACTICES",
    "PRACTICES_BY_KEY",
    "PSYCHOLOGICAL_SAFETY",
    "QUADRANTS",
    "QUADRANT_ROUTINES",
    "RADICAL_CANDOUR",
    "RADICAL_CANDOUR_TIPS",
    "RECENT_FREQUENCY",
    "SCALE_POINTS",
    "SELF_CARE",
    "SIGNS_LEVELS",
    "STAGES",
    "STEPS",
    "STEPS_BY_SLUG",
    "SUPPORT",
    "TEAM_EXERCISES",
    "TEAM_FREE_TEXT",
    "TEAM_INSTRUMENTS",
    "WELLBEING_SIGNS",
    "WISE_COMPASSION",
    "ContentError",
    "Dimension",
    "Exercise",
    "Instrument",
    "InstrumentGuide",
    "Item",
    "Kind",
    "Practice",
    "Prompt",
    "Step",
    "exercises_for",
]

_content = _load()

# ----------------------------------------------------------------- the self-assessments

#: The answer options, from 1 to 5.
FREQUENCY: tuple[str, ...] = _content["FREQUENCY"]
AGREEMENT: tuple[str, ...] = _content["AGREEMENT"]
RECENT_FREQUENCY: tuple[str, ...] = _content["RECENT_FREQUENCY"]

FOUR_ELEMENTS: Instrument = _content["FOUR_ELEMENTS"]
WISE_COMPASSION: Instrument = _content["WISE_COMPASSION"]
FLYWHEEL: Instrument = _content["FLYWHEEL"]
RADICAL_CANDOUR: Instrument = _content["RADICAL_CANDOUR"]
INCLUSION: Instrument = _content["INCLUSION"]
WELLBEING_SIGNS: Instrument = _content["WELLBEING_SIGNS"]
PSYCHOLOGICAL_SAFETY: Instrument = _content["PSYCHOLOGICAL_SAFETY"]
INSTRUMENTS: dict[str, Instrument] = _content["INSTRUMENTS"]

GUIDES: dict[str, InstrumentGuide] = _content["GUIDES"]
HOW_SCORED: str = _content["HOW_SCORED"]
HOW_SCORED_EXTRA: dict[str, str] = _content["HOW_SCORED_EXTRA"]
#: The section of the step pages each self-assessment belongs to.
INSTRUMENT_SECTIONS: dict[str, str] = _content["INSTRUMENT_SECTIONS"]

# ----------------------------------------------------------------- what results mean

#: instrument -> dimension -> (what it means, practices to try)
DIMENSION_NOTES: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = _content["DIMENSION_NOTES"]
#: key -> (name, what it means)
QUADRANTS: dict[str, tuple[str, str]] = _content["QUADRANTS"]
#: Routines (keys of PRACTICES) that fit each wise-compassion result.
QUADRANT_ROUTINES: dict[str, tuple[str, ...]] = _content["QUADRANT_ROUTINES"]
RADICAL_CANDOUR_TIPS: tuple[str, ...] = _content["RADICAL_CANDOUR_TIPS"]
#: key -> (name, what it means)
SCALE_POINTS: dict[str, tuple[str, str]] = _content["SCALE_POINTS"]
INCLUSION_PRACTICES: tuple[str, ...] = _content["INCLUSION_PRACTICES"]
#: key -> (name, what it means, what to do next)
STAGES: dict[str, tuple[str, str, tuple[str, ...]]] = _content["STAGES"]
#: key -> (name, what to do)
NEEDS: dict[str, tuple[str, str]] = _content["NEEDS"]
#: key -> (name, what it means)
SIGNS_LEVELS: dict[str, tuple[str, str]] = _content["SIGNS_LEVELS"]
#: (heading, text)
SUPPORT: tuple[tuple[str, str], ...] = _content["SUPPORT"]
SELF_CARE: tuple[str, ...] = _content["SELF_CARE"]

# ----------------------------------------------------------------- the promise

#: Shown until an administrator writes their organisation's own promise.
DEFAULT_PROMISE: str = _content["DEFAULT_PROMISE"]
#: How often a leader is asked to look at their pledge again, in days.
PLEDGE_REVISIT_DAYS = 91

# ----------------------------------------------------------------- the five steps and exercises

STEPS: tuple[Step, ...] = _content["STEPS"]
STEPS_BY_SLUG: dict[str, Step] = _content["STEPS_BY_SLUG"]
EXERCISES: tuple[Exercise, ...] = _content["EXERCISES"]
EXERCISES_BY_SLUG: dict[str, Exercise] = _content["EXERCISES_BY_SLUG"]


def exercises_for(step: str) -> tuple[Exercise, ...]:
    return tuple(exercise for exercise in EXERCISES if exercise.step == step)


# ----------------------------------------------------------------- routines

PRACTICES: tuple[Practice, ...] = _content["PRACTICES"]
PRACTICES_BY_KEY: dict[str, Practice] = _content["PRACTICES_BY_KEY"]

# ----------------------------------------------------------------- team sessions

TEAM_INSTRUMENTS: dict[str, Instrument] = _content["TEAM_INSTRUMENTS"]
#: team instrument -> the exercise it belongs to
TEAM_EXERCISES: dict[str, str] = _content["TEAM_EXERCISES"]
TEAM_FREE_TEXT: str = _content["TEAM_FREE_TEXT"]
