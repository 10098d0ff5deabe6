"""Property tests for pure modules: registration numbers, upload file types, the case workflow.

None of these touch the database; each module is Django-free by design.
"""

import io
import random
import re
import string
import unicodedata
import zipfile
from collections import deque

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from lotus.accounts.roles import Role
from lotus.cases.filetypes import KINDS, UploadRefused, check_file_name, classify_upload, sniff
from lotus.cases.workflow import (
    FINAL_STATUSES,
    NEXT_STEPS,
    OPEN_STATUSES,
    STATUS_LABELS,
    TRANSITIONS,
    Status,
    find_transition,
    transitions_from,
)
from lotus.practitioners.registration import (
    FORMATS,
    normalise_registration_number,
    registration_error,
)

# ===========================================================================
# Registration numbers (lotus/practitioners/registration.py)
# ===========================================================================

#: The shape each regulator issues, written in ASCII on purpose (independent of the module).
VALID_SHAPES = {
    "GMC": r"[0-9]{7}",
    "GDC": r"[0-9]{1,6}",
    "GOC": r"[0-9]{2}-[0-9]{5}",
    "NMC": r"[0-9]{2}[A-Z][0-9]{4}[A-Z]",
    "OTHER": r"[A-Z0-9][A-Z0-9/-]{1,19}",
}
REGULATORS = sorted(FORMATS)


def valid_number(regulator: str):
    return st.from_regex(VALID_SHAPES[regulator], fullmatch=True)


def fits(regulator: str, number: str) -> bool:
    return re.fullmatch(VALID_SHAPES[regulator], number) is not None


def test_every_regulator_has_a_shape_here():
    assert set(VALID_SHAPES) == set(FORMATS)


@pytest.mark.parametrize("regulator", REGULATORS)
def test_each_format_example_is_itself_valid(regulator):
    assert registration_error(regulator, FORMATS[regulator].example) is None


@settings(deadline=None)
@given(st.sampled_from(REGULATORS), st.data())
def test_valid_numbers_are_accepted(regulator, data):
    number = data.draw(valid_number(regulator), label="number")
    assert registration_error(regulator, number) is None


@settings(deadline=None)
@given(st.sampled_from(REGULATORS), st.data())
def test_valid_numbers_typed_with_spaces_and_small_letters_are_accepted_after_normalising(regulator, data):
    number = data.draw(valid_number(regulator), label="number")
    typed = "".join(
        data.draw(st.sampled_from(["", " ", "  "])) + (ch.lower() if data.draw(st.booleans()) else ch)
        for ch in number
    ) + data.draw(st.sampled_from(["", " ", "\t"]))
    normalised = normalise_registration_number(typed)
    assert normalised == number
    assert registration_error(regulator, normalised) is None


# Non-ASCII decimal digits are left out here: they are covered by the xfail test below.
_no_foreign_digits = st.characters(
    codec="utf-8", exclude_categories=["Nd"]
) | st.sampled_from(string.digits)


@settings(deadline=None)
@given(st.sampled_from(REGULATORS), st.text(alphabet=_no_foreign_digits, min_size=1, max_size=25))
@example("GMC", "123456")
@example("GMC", "12345678")
@example("GMC", "123 4567")
@example("GDC", "1234567")
@example("GOC", "0112345")
@example("NMC", "12a3456e")
@example("NMC", "12A3456")
@example("OTHER", "A")
@example("OTHER", "-AB")
def test_everything_else_is_refused_with_the_format_named(regulator, number):
    assume(not fits(regulator, number))
    message = registration_error(regulator, number)
    assert message is not None
    assert FORMATS[regulator].described in message
    assert "for example" in message


@pytest.mark.parametrize("regulator", REGULATORS)
def test_a_missing_number_asks_for_one(regulator):
    assert registration_error(regulator, "") == "Enter the registration number"


@settings(deadline=None)
@given(st.text(max_size=10).filter(lambda value: value not in FORMATS), st.text(max_size=10))
def test_an_unknown_regulator_is_refused(regulator, number):
    assert registration_error(regulator, number) == "Select the practitioner's regulator"


@pytest.mark.parametrize(
    ("regulator", "number"),
    [("GMC", "١٢٣٤٥٦٧"), ("GMC", "１２３４５６７"), ("GDC", "১২৩"), ("GOC", "٠١-١٢٣٤٥"), ("NMC", "١٢A٣٤٥٦E")],
)
def test_digits_from_other_scripts_are_refused(regulator, number):
    assert registration_error(regulator, normalise_registration_number(number)) is not None


# ===========================================================================
# Upload file types (lotus/cases/filetypes.py)
# ===========================================================================

MAGIC = [b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"PK\x03\x04", b"PK\x05\x06", b""]
BIG = 50 * 1024 * 1024


def zip_bytes(members: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ZIP_MEMBER_NAMES = ["mimetype", "[Content_Types].xml", "word/document.xml", "xl/workbook.xml", "other.txt"]

zip_archives = st.builds(
    zip_bytes,
    st.lists(
        st.tuples(
            st.sampled_from(ZIP_MEMBER_NAMES),
            st.sampled_from([ODT_MIMETYPE, ODT_MIMETYPE * 20, b"<xml/>"]) | st.binary(max_size=200),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda member: member[0],
    ),
    st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)


@st.composite
def damaged(draw, archives):
    """An archive with a few bytes changed or cut off."""
    data = bytearray(draw(archives))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data) - 1))
        data[position] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(4, len(data)))]
    return bytes(data)


def _odt_with_corrupt_compressed_mimetype() -> bytes:
    data = bytearray(zip_bytes([("mimetype", ODT_MIMETYPE * 3)]))
    data[30 + len("mimetype")] ^= 0xFF  # the first byte of the deflated member data
    return bytes(data)


def _damaged_archive_where_zipfile_raises(error_type: type[BaseException], *, on_open: bool = False) -> bytes:
    """A seeded search for a damaged ODT-like archive on which the zipfile module itself
    (not LOTUS) raises `error_type` reading its mimetype, or opening it if `on_open`."""
    rng = random.Random(2026)
    for _ in range(200_000):
        compression = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
        data = bytearray(zip_bytes([("mimetype", ODT_MIMETYPE * rng.choice([1, 20]))], compression))
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.5:
            data = data[: rng.randint(4, len(data))]
        try:
            archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
            if not on_open:
                archive.read("mimetype")
        except error_type:
            return bytes(data)
        except Exception:  # noqa: S112 - some other error: keep looking
            continue
    raise AssertionError(f"no archive found that raises {error_type.__name__}")


@settings(deadline=None)
@given(st.binary(max_size=4096))
def test_sniff_never_raises_on_arbitrary_bytes(data):
    kind = sniff(data)
    assert kind is None or kind in KINDS.values()


@settings(deadline=None)
@given(st.sampled_from(MAGIC), st.binary(max_size=2048))
def test_sniff_never_raises_on_bytes_that_start_like_a_known_type(magic, rest):
    kind = sniff(magic + rest)
    assert kind is None or kind in KINDS.values()


@settings(deadline=None)
@given(zip_archives)
def test_sniff_never_raises_on_zip_archives(data):
    kind = sniff(data)
    assert kind is None or kind.key in ("docx", "xlsx", "odt")


@settings(deadline=None)
@given(damaged(zip_archives))
@example(_odt_with_corrupt_compressed_mimetype())  # zlib.error
@example(_damaged_archive_where_zipfile_raises(EOFError))
@example(_damaged_archive_where_zipfile_raises(NotImplementedError, on_open=True))
@example(_damaged_archive_where_zipfile_raises(ValueError))
def test_sniff_never_raises_on_damaged_zip_archives(data):
    kind = sniff(data)
    assert kind is None or kind in KINDS.values()


@settings(deadline=None)
@given(st.binary(min_size=1, max_size=2048) | st.binary(max_size=2048).map(lambda rest: b"%PDF-" + rest))
def test_a_pdf_name_is_refused_unless_the_content_starts_like_a_pdf(data):
    if data.startswith(b"%PDF-"):
        assert classify_upload("evidence.pdf", data, max_bytes=BIG).key == "pdf"
    else:
        with pytest.raises(UploadRefused):
            classify_upload("evidence.pdf", data, max_bytes=BIG)


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00\x03" + bytes(200), b"\x7fELF\x02\x01\x01" + bytes(200), b"#!/bin/sh\nrm -rf /\n",
     b"\x89PNG\r\n\x1a\n" + bytes(20), b"Just some text"],
)
def test_other_content_renamed_pdf_is_refused(data):
    with pytest.raises(UploadRefused):
        classify_upload("report.pdf", data, max_bytes=BIG)


safe_stems = st.text(alphabet=string.ascii_letters + string.digits + " _-()", min_size=1, max_size=40).filter(
    lambda stem: stem.strip() != ""
)
unsafe_characters = st.characters(categories=["Cc", "Cf"], codec="utf-8")


@settings(deadline=None)
@given(safe_stems, unsafe_characters, safe_stems)
def test_names_with_control_or_hidden_characters_are_refused(before, bad, after):
    name = f"{before}{bad}{after}.pdf"
    with pytest.raises(UploadRefused, match="control characters"):
        check_file_name(name)
    with pytest.raises(UploadRefused):
        classify_upload(name, b"%PDF-1.7\n", max_bytes=BIG)


@settings(deadline=None)
@given(safe_stems, st.sampled_from(["/", "\\", "../", "..\\", "/etc/"]), safe_stems)
def test_names_with_slashes_are_refused(before, slash, after):
    name = f"{before}{slash}{after}.pdf"
    with pytest.raises(UploadRefused, match="slashes"):
        check_file_name(name)
    with pytest.raises(UploadRefused):
        classify_upload(name, b"%PDF-1.7\n", max_bytes=BIG)


@pytest.mark.parametrize("name", ["", "   ", ".pdf", ".hidden.pdf", "a..pdf", "x" * 197 + ".pdf"])
def test_empty_hidden_doubled_dot_and_long_names_are_refused(name):
    with pytest.raises(UploadRefused):
        check_file_name(name)


@settings(deadline=None)
@given(safe_stems)
def test_ordinary_names_are_accepted(stem):
    name = f"{stem}.pdf"
    assert check_file_name(name) == name
    assert classify_upload(name, b"%PDF-1.7\n", max_bytes=BIG).key == "pdf"


@settings(deadline=None)
@given(st.text(max_size=60), st.binary(max_size=512))
def test_classify_upload_either_returns_an_allowed_kind_or_refuses(name, data):
    try:
        kind = classify_upload(name, data, max_bytes=BIG)
    except UploadRefused as refusal:
        assert str(refusal)
    else:
        assert kind in KINDS.values()
        assert name.lower().endswith(kind.extensions)
        assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)
        assert "/" not in name and "\\" not in name


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        ("A note – with “quotes” and £.\r\n".encode(), "txt"),
        (zip_bytes([("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<w/>")]), "docx"),
        (zip_bytes([("[Content_Types].xml", b"<x/>"), ("xl/workbook.xml", b"<w/>")]), "xlsx"),
        (zip_bytes([("mimetype", ODT_MIMETYPE)], zipfile.ZIP_STORED), "odt"),
    ],
)
def test_accepted_types_are_recognised_by_content(data, key):
    assert sniff(data).key == key


def test_a_zip_that_is_not_an_office_document_is_refused():
    assert sniff(zip_bytes([("payload.exe", b"MZ")])) is None


# ===========================================================================
# The case workflow (lotus/cases/workflow.py)
# ===========================================================================

ALL_ROLES = frozenset(Role)


def reachable_from(start: Status) -> set[Status]:
    seen, queue = {start}, deque([start])
    while queue:
        status = queue.popleft()
        for transition in transitions_from(status, ALL_ROLES):
            if transition.target not in seen:
                seen.add(transition.target)
                queue.append(transition.target)
    return seen


def test_every_status_is_reachable_from_received():
    assert reachable_from(Status.RECEIVED) == set(Status)


def test_every_open_status_can_still_end():
    for status in OPEN_STATUSES:
        assert reachable_from(status) & FINAL_STATUSES, status


def test_closed_and_withdrawn_have_no_way_out():
    assert {Status.CLOSED, Status.WITHDRAWN} == set(FINAL_STATUSES)
    for status in FINAL_STATUSES:
        assert transitions_from(status, ALL_ROLES) == []
        assert not [t for t in TRANSITIONS if t.source == status]
        for target in Status:
            assert find_transition(status, target) is None


def test_every_transition_has_at_least_one_role_a_reason_label_and_real_move():
    for transition in TRANSITIONS:
        assert transition.roles, transition
        assert transition.roles <= ALL_ROLES
        assert transition.label.strip()
        assert transition.source != transition.target


def test_no_move_is_listed_twice():
    pairs = [(t.source, t.target) for t in TRANSITIONS]
    assert len(pairs) == len(set(pairs))


def test_practitioners_and_analysts_never_move_a_case():
    for transition in TRANSITIONS:
        assert Role.PRACTITIONER not in transition.roles
        assert Role.ANALYST not in transition.roles


def test_every_status_has_a_label_and_next_steps():
    assert set(STATUS_LABELS) == set(Status) == set(NEXT_STEPS)
    assert set(Status) == OPEN_STATUSES | FINAL_STATUSES
    assert not OPEN_STATUSES & FINAL_STATUSES


@settings(deadline=None)
@given(st.text(max_size=20), st.text(max_size=20))
def test_find_transition_never_raises_on_unknown_statuses(source, target):
    transition = find_transition(source, target)
    assert transition is None or (transition.source, transition.target) == (source, target)


@settings(deadline=None)
@given(st.sampled_from(list(Status)), st.frozensets(st.sampled_from(list(Role))))
def test_transitions_offered_match_the_roles_held(status, roles):
    offered = transitions_from(status, roles)
    for transition in offered:
        assert transition.source == status
        assert transition.roles & roles
        assert find_transition(status, transition.target) is transition
    expected = [t for t in TRANSITIONS if t.source == status and t.roles & roles]
    assert offered == expected


@settings(deadline=None)
@given(st.lists(st.integers(0, 10), max_size=15), st.frozensets(st.sampled_from(list(Role)), min_size=1))
def test_a_random_walk_from_received_stays_in_the_table(choices, roles):
    status = Status.RECEIVED
    for choice in choices:
        moves = transitions_from(status, roles)
        if not moves:
            break
        transition = moves[choice % len(moves)]
        assert find_transition(status, transition.target) is transition
        status = transition.target
    assert status in set(Status)
    if status in FINAL_STATUSES:
        assert transitions_from(status, roles) == []
