"""Property tests for lotus/learning/anonymity.py (pure): whatever surrounds them, the
practitioner's name, the case reference and any date closer than the month are found,
where they are; ordinary words, months and years are not."""

import datetime as dt

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from lotus.learning.anonymity import Kind, describe, find_mentions, name_parts

#: The machine these run on is shared: no deadline, and no failing because drawing is slow.
RELAXED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Lower-case filler words with no digits, no month names and no capitals.
FILLER = st.lists(
    st.sampled_from(["the", "clinic", "ran", "late", "and", "results", "were", "missed", "a", "locum", "gp",
                     "team", "will", "hope", "rota", "changed", "after", "review", "in", "week"]),
    min_size=0, max_size=12,
).map(" ".join)

GIVEN = st.sampled_from(["Jo", "Amara", "Łukasz", "Siobhán", "Mary-Jane", "Will", "Chen"])
FAMILY = st.sampled_from(["Bloggs", "Okafor", "Nowak", "O'Neill", "Hope", "Smith-Jones", "Li"])
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]


def _day_formats(day: dt.date) -> list[str]:
    month = MONTH_NAMES[day.month - 1]
    return [
        f"{day.day} {month} {day.year}", f"{day.day} {month}", f"{day.day}th of {month}", f"{month} {day.day}",
        f"{day.day} {month[:3]}", f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day:%y}", f"{day:%Y-%m-%d}",
        f"{day.day}.{day.month}.{day.year}",
    ]


@RELAXED
@given(before=FILLER, after=FILLER, given_name=GIVEN, family=FAMILY, capitalised=st.booleans())
def test_the_whole_name_is_found_in_any_case_wherever_it_is(before, after, given_name, family, capitalised):
    full = f"{given_name} {family}"
    shown = full if capitalised else full.lower()
    text = f"{before} {shown}, {after}".strip()
    found = find_mentions(text, names=[f"Dr {full}"])
    assert [m for m in found if m.kind == Kind.NAME and m.text.lower() == full.lower()]
    for mention in found:
        assert text[mention.start:mention.end] == mention.text


@RELAXED
@given(before=FILLER, after=FILLER, given_name=GIVEN, family=FAMILY, which=st.integers(0, 1))
def test_each_part_of_the_name_written_as_a_name_is_found(before, after, given_name, family, which):
    part = name_parts(f"{given_name} {family}")[which]
    text = f"{before} {part} {after}"
    at = len(before) + 1
    found = find_mentions(text, names=[f"{given_name} {family}"])
    # Found on its own, or within a longer find (the whole name, when the filler beside
    # it happens to finish it: "Will" then "hope").
    assert any(m.kind == Kind.NAME and m.start <= at and at + len(part) <= m.end for m in found)


@RELAXED
@given(text=FILLER)
@example(text="will the rota hope changed")
def test_ordinary_lower_case_words_are_left_alone_even_when_they_are_part_of_the_name(text):
    assume("will hope" not in text)  # the whole name, which is found in any case
    assert find_mentions(text, names=["Will Hope"], references=["LOT-2026-00042"]) == []


@RELAXED
@given(before=FILLER, after=FILLER, number=st.integers(1, 99999), year=st.integers(2020, 2035),
       style=st.sampled_from(["{p}-{y}-{n:05d}", "{p} {y} {n:05d}", "{p}{y}{n:05d}", "{pl}-{y}-{n:05d}"]))
def test_the_case_reference_is_found_however_it_is_typed(before, after, number, year, style):
    reference = f"LOT-{year}-{number:05d}"
    typed = style.format(p="LOT", pl="lot", y=year, n=number)
    text = f"{before} {typed} {after}"
    found = find_mentions(text, references=[reference])
    assert [m.text for m in found if m.kind == Kind.REFERENCE] == [typed]


@RELAXED
@given(before=FILLER, after=FILLER, day=st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31)), index=st.integers(0, 8))
def test_a_date_closer_than_the_month_is_found_in_every_common_form(before, after, day, index):
    written = _day_formats(day)[index]
    text = f"{before} on {written} {after}"
    found = [m for m in find_mentions(text) if m.kind == Kind.DATE]
    assert found, text
    assert any(written.startswith(m.text.rstrip(".")) or m.text.startswith(written) for m in found)


@RELAXED
@given(before=FILLER, after=FILLER, month=st.integers(1, 12), year=st.integers(2015, 2035),
       short=st.booleans())
def test_a_month_and_year_and_a_year_alone_are_allowed(before, after, month, year, short):
    name = MONTH_NAMES[month - 1]
    text = f"{before} in {name[:3] if short else name} {year} and later in {year} {after}"
    assert find_mentions(text) == []


@RELAXED
@given(given_name=GIVEN, family=FAMILY, filler=FILLER)
def test_finds_never_overlap_and_are_in_order(given_name, family, filler):
    full = f"{given_name} {family}"
    text = f"{full} {filler} {family} on 3 March 2026 {given_name}"
    found = find_mentions(text, names=[full])
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


def test_name_parts_leave_out_honorifics_numbers_and_single_letters():
    assert name_parts("Dr Test Practitioner 12") == ["Test", "Practitioner"]
    assert name_parts("Prof. A. Mary-Jane O'Neill") == ["Mary-Jane", "Mary", "Jane", "O'Neill"]


def test_describe_names_each_kind_once_in_a_fixed_order():
    found = find_mentions("On 3 March Jo Bloggs saw LOT-2026-00042; Jo Bloggs agreed.",
                          names=["Jo Bloggs"], references=["LOT-2026-00042"])
    assert describe(found) == (
        'the practitioner\'s name ("Jo Bloggs"), the case reference or registration number ("LOT-2026-00042") '
        'and a date closer than the month ("3 March")'
    )
