"""Workforce figures: the template, reading an uploaded CSV, and the checks every set of
figures passes, however it was entered. Pure: no Django import.

A set of figures is a headcount for each (profession, characteristic, group). A
characteristic may be left out of a profession altogether; one that is given must have
every group ("not known" included), and every characteristic given for a profession must
add up to the same number of people. No group may have fewer people than LOTUS already
knows are in it (the practitioners with a concern received in the period).

Problems are reported with the row and column a spreadsheet shows (the header is row 1),
every one of them, so the person can fix the file in one go; nothing is saved unless
there are none.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from lotus.insights.equity.groups import WORKFORCE_CHARACTERISTICS, Characteristic, characteristic

COLUMNS = ("profession", "characteristic", "group", "headcount")
#: Largest file and number of rows accepted: the template has under 100 rows.
MAX_BYTES = 512 * 1024
MAX_ROWS = 2000
MAX_HEADCOUNT = 1_000_000
#: Problems listed at most (the count of the rest is given).
MAX_PROBLEMS = 100

Key = tuple[str, str, str]  # (profession, characteristic, group)

_NUMBER = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (row and column of the file, or the key of a figure on the
    page) and what to do about it."""

    message: str
    row: int | None = None
    column: str | None = None
    key: Key | None = None
    #: What a row is called: a row of a file, or an entry of a list sent to the API.
    row_word: str = "Row"

    @property
    def text(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"{self.row_word} {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Reading:
    figures: dict[Key, int]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").split())


def workforce_characteristics() -> tuple[Characteristic, ...]:
    return tuple(characteristic(code) for code in WORKFORCE_CHARACTERISTICS)


def professions() -> tuple[tuple[str, str], ...]:
    return characteristic("profession").groups


def template_rows(figures: Mapping[Key, int] | None = None) -> list[list[str | int]]:
    """The template's rows (after the header): every profession, characteristic and
    group by its name, with the headcount from `figures` or empty."""
    rows = []
    for profession, profession_label in professions():
        for one in workforce_characteristics():
            for group, group_label in one.groups:
                value = (figures or {}).get((profession, one.code, group))
                rows.append([profession_label, one.label, group_label, "" if value is None else value])
    return rows


def template_header() -> list[str]:
    return list(COLUMNS)


# --------------------------------------------------------------------------- reading a file


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """The file's text, or the problem with it (too big, empty, not text)."""
    if len(data) > MAX_BYTES:
        return None, Problem(f"The file is larger than {MAX_BYTES // 1024} KB. Use the template, which is much smaller")
    if not data.strip():
        return None, Problem("The file is empty. Download the template, fill in the headcounts and upload it")
    if b"\x00" in data:
        return None, Problem("The file is not a CSV file. Save it as CSV (comma separated) and upload it again")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, Problem("The file is not saved as UTF-8 text. Save it as ‘CSV UTF-8’ and upload it again")


def _lookup(choices, text: str) -> str | None:
    wanted = _key(text)
    for code, label in choices:
        if wanted in (_key(code), _key(label)):
            return code
    return None


def _names(choices) -> str:
    return ", ".join(label for _, label in choices)


def _headcount(text: str) -> tuple[int | None, str | None]:
    value = (text or "").strip()
    if not value:
        return None, None
    if value.startswith("-") and _NUMBER.match(value[1:]):
        return None, f"Enter a headcount of 0 or more, not {value}"
    if not _NUMBER.match(value):
        return None, f"Enter the headcount as a whole number, like 120, not ‘{value[:20]}’"
    number = int(value.replace(",", ""))
    if number > MAX_HEADCOUNT:
        return None, f"Enter a headcount of {MAX_HEADCOUNT:,} or fewer"
    return number, None


def read_csv(text: str, *, register: Mapping[Key, int], period: str) -> Reading:
    """The figures in an uploaded file and every problem with it, by row and column."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return Reading({}, [Problem("The file is empty. Download the template, fill in the headcounts and upload it")])
    names = [_key(name) for name in header]
    positions = {}
    for column in COLUMNS:
        found = [index for index, name in enumerate(names) if name == column]
        if not found:
            problems.append(Problem(f"The file has no ‘{column}’ column. The first row must name the columns "
                                    f"{', '.join(COLUMNS)}, as the template does", row=1, column=column))
        elif len(found) > 1:
            problems.append(Problem(f"The file has more than one ‘{column}’ column. Keep one", row=1, column=column))
        else:
            positions[column] = found[0]
    if problems:
        return Reading({}, problems)

    def numbered():
        number = 1
        try:
            for cells in reader:
                number += 1
                if not any(cell.strip() for cell in cells):
                    continue
                if number > MAX_ROWS + 1:
                    problems.append(Problem(f"The file has more than {MAX_ROWS} rows. Use the template", row=number))
                    return
                yield number, cells + [""] * (len(header) - len(cells))
        except csv.Error as error:
            problems.append(Problem(f"The file cannot be read as CSV here ({error}). Save it as CSV and try again",
                                    row=number + 1))

    return _read_rows(numbered(), positions, problems, register=register, period=period)


def read_entries(entries: list, *, register: Mapping[Key, int], period: str) -> Reading:
    """The figures sent as a list of {profession, characteristic, group, headcount} (the
    API), checked as a file is; a problem's row is the entry's place in the list, from 1."""
    problems: list[Problem] = []
    positions = {column: index for index, column in enumerate(COLUMNS)}
    if len(entries) > MAX_ROWS:
        return Reading({}, [Problem(f"Send {MAX_ROWS} figures or fewer")])

    def numbered():
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict):
                problems.append(Problem("Send each figure as an object with profession, characteristic, group and "
                                        "headcount", row=number))
                continue
            yield number, ["" if entry.get(column) is None else str(entry.get(column)) for column in COLUMNS]

    reading = _read_rows(numbered(), positions, problems, register=register, period=period)
    return Reading(reading.figures, [replace(problem, row_word="Entry") for problem in reading.problems])


def _read_rows(rows, positions, problems: list[Problem], *, register: Mapping[Key, int], period: str) -> Reading:
    figures: dict[Key, int] = {}
    blank: dict[Key, int] = {}
    first_row: dict[Key, int] = {}
    rows_of: dict[tuple[str, str], int] = {}
    troubled: set[tuple[str, str]] = set()
    for number, cells in rows:
        before = len(problems)
        pair = _read_row(cells, number, positions, figures, blank, first_row, rows_of, problems)
        if len(problems) > before and pair is not None:
            troubled.add(pair)
    if not figures and not blank and not problems:
        problems.append(Problem("There are no figures in it. Fill in the template's headcount column"))
    # A characteristic whose rows are all blank is left out; one with only some blank is not.
    for (profession, code), _ in rows_of.items():
        group_keys = [key for key in blank if key[:2] == (profession, code)]
        if group_keys and any(key[:2] == (profession, code) for key in figures):
            troubled.add((profession, code))
            for key in group_keys:
                problems.append(Problem("Enter the headcount (0 if there is nobody in this group), or leave every "
                                        "row of this characteristic blank", row=blank[key], column="headcount"))
    # The checks across rows, for the characteristics whose rows could all be read (a row
    # already in error would only be reported again in other words).
    located = {key: (row, "group") for key, row in first_row.items()}
    sound = {key: value for key, value in figures.items() if key[:2] not in troubled}
    problems.extend(check_figures(sound, register=register, period=period, rows=located))
    return Reading(figures if not problems else {}, _in_order(problems))


def _read_row(cells, number, positions, figures, blank, first_row, rows_of, problems) -> tuple[str, str] | None:
    """Read one row into `figures` (or `blank`), adding its problems; returns its
    (profession, characteristic) when both could be read."""
    profession_text = cells[positions["profession"]].strip()
    profession = _lookup(professions(), profession_text)
    if profession is None:
        problems.append(Problem(_unknown("profession", profession_text, _names(professions())), row=number,
                                column="profession"))
    characteristic_text = cells[positions["characteristic"]].strip()
    choices = [(one.code, one.label) for one in workforce_characteristics()]
    code = _lookup(choices, characteristic_text)
    if code is None:
        problems.append(Problem(_unknown("characteristic", characteristic_text, _names(choices)), row=number,
                                column="characteristic"))
    group = None
    group_text = cells[positions["group"]].strip()
    if code is not None:
        one = characteristic(code)
        group = _lookup(one.groups, group_text)
        if group is None:
            combined = _lookup([(key, label) for key, label, _ in one.combined], group_text)
            if combined is not None:
                parts = _names([(leaf, one.label_of(leaf)) for leaf in one.members(combined)])
                problems.append(Problem(f"‘{group_text}’ adds up several groups: give each of them on its own row "
                                        f"({parts})", row=number, column="group"))
            else:
                problems.append(Problem(f"‘{group_text[:40]}’ is not a group of {one.label.lower()}. Use one of: "
                                        f"{_names(one.groups)}", row=number, column="group"))
    value, message = _headcount(cells[positions["headcount"]])
    if message:
        problems.append(Problem(message, row=number, column="headcount"))
    if profession is None or group is None:
        return (profession, code) if profession and code else None
    key = (profession, code, group)
    if key in first_row:
        labels = f"{characteristic('profession').label_of(profession)}, {characteristic(code).label}, " \
                 f"{characteristic(code).label_of(group)}"
        problems.append(Problem(f"This row repeats row {first_row[key]} ({labels}). Keep one of them",
                                row=number, column="group"))
        return profession, code
    first_row[key] = number
    rows_of.setdefault((profession, code), number)
    if message:
        return profession, code
    if value is None:
        blank[key] = number
    else:
        figures[key] = value
    return profession, code


def _unknown(what: str, text: str, names: str) -> str:
    if not text:
        return f"Enter the {what}. Use one of: {names}"
    return f"‘{text[:40]}’ is not a {what} LOTUS knows. Use one of: {names}"


# --------------------------------------------------------------------------- the checks


def check_figures(figures: Mapping[Key, int], *, register: Mapping[Key, int], period: str,
                  rows: Mapping[Key, tuple[int, str]] | None = None) -> list[Problem]:
    """The problems with a set of figures however they were entered. `rows` places a key
    in the file (row, column) for the messages; without it each problem names its key."""
    rows = rows or {}
    problems: list[Problem] = []

    def problem(key: Key, message: str, column: str = "headcount") -> Problem:
        row = rows.get(key)
        return Problem(message, row=row[0] if row else None, column=column if row else None, key=key)

    given: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for (profession, code, group), value in figures.items():
        given[(profession, code)][group] = value
    profession_label = characteristic("profession").label_of
    totals: dict[str, list[tuple[str, int, Key]]] = defaultdict(list)
    for (profession, code), values in given.items():
        one = characteristic(code)
        missing = [group for group in one.leaf_codes if group not in values]
        first = min((key for key in figures if key[:2] == (profession, code)), key=lambda key: rows.get(key, (0,))[0])
        if missing:
            names = _names([(group, one.label_of(group)) for group in missing])
            problems.append(problem(first, f"{profession_label(profession)}, {one.label.lower()}: add a row for "
                                           f"{names} (0 if there is nobody), or leave this characteristic out",
                                    column="group"))
            continue
        totals[profession].append((one.label, sum(values.values()), first))
    for profession, sums in totals.items():
        label, expected, _ = sums[0]
        for other, total, first in sums[1:]:
            if total != expected:
                problems.append(problem(first, f"{profession_label(profession)}: {other.lower()} adds up to "
                                               f"{total:,} but {label.lower()} adds up to {expected:,}. Every "
                                               "characteristic must count everyone in the profession"))
    for key, value in figures.items():
        known = register.get(key, 0)
        if value < known:
            profession, code, group = key
            one = characteristic(code)
            problems.append(problem(key, f"{value:,} is fewer than the {known:,} {profession_label(profession).lower()} "
                                         f"practitioners LOTUS already has in this group ({one.label.lower()}: "
                                         f"{one.label_of(group)}) with a concern received in {period}. Check the "
                                         "headcount"))
    return _in_order(problems)


def _in_order(problems: list[Problem]) -> list[Problem]:
    """By row, then column as the template orders them (stable for the rest)."""
    return sorted(problems, key=lambda p: (p.row or 0, COLUMNS.index(p.column) if p.column in COLUMNS else 9))


def headcount_of(figures: Mapping[Key, int], profession: str) -> int | None:
    """A profession's headcount: the total of any characteristic given for it."""
    for (key_profession, code, _group), _ in figures.items():
        if key_profession == profession:
            return sum(value for key, value in figures.items() if key[:2] == (profession, code))
    return None
