"""The shapes of the toolkit's content that are not scoring's (scoring has Instrument, Item
and Dimension). Pure: no Django import. The words themselves are in data/*.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InstrumentGuide:
    """How an instrument is introduced, what its subject is, and how it is scored."""

    step: str
    intro: str
    subject_label: str = ""
    subject_hint: str = ""
    time_frame: str = ""


@dataclass(frozen=True)
class Step:
    slug: str
    number: int
    name: str
    summary: str
    sections: tuple[tuple[str, str], ...]  # (anchor, heading)
    instruments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prompt:
    key: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class Exercise:
    code: str
    step: str
    title: str
    team: bool
    prompts: tuple[Prompt, ...]
    #: How many action rows the entry offers; `actions_required` of them must be filled.
    actions: int = 0
    actions_required: int = 0
    instrument: str = ""
    #: The section of its step (an anchor in Step.sections) that the exercise ends.
    section: str = ""

    @property
    def slug(self) -> str:
        return self.code.replace(".", "-")


@dataclass(frozen=True)
class Practice:
    key: str
    name: str
    how: str
    because: tuple[str, ...] = field(default_factory=tuple)
