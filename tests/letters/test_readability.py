"""The communication check (lotus/letters/readability.py), with property tests."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.letters.defaults import DEFAULT_TEMPLATES, SAMPLE_VALUES
from lotus.letters.merge import MergeError, fields_in, merge, unknown_fields
from lotus.letters.readability import (
    LONGEST_SENTENCE_WORDS,
    check_letter,
    paragraphs,
    sentences,
    unexplained_jargon,
    word_count,
)

GOOD = """Dear Dr Rao,

The panel decided to take no further action. We know this has been a worrying time.

We will write again within 10 working days. Your defence organisation can give you support.

Please contact Sam Patel at sam.patel@example.nhs.uk with any question.

Yours sincerely,
Sam Patel"""


def test_a_clear_letter_passes_every_check():
    result = check_letter(GOOD, contact_names=["Sam Patel"])
    assert result.passed, result.failed()
    assert result.reading_ease >= 60


def test_every_default_template_passes_the_check():
    for template in DEFAULT_TEMPLATES:
        text = merge(template.body, SAMPLE_VALUES)
        result = check_letter(text, contact_names=[SAMPLE_VALUES["case_manager_name"]])
        assert result.passed, (template.key, result.failed())
        assert not unknown_fields(template.body) and not unknown_fields(template.subject)


def test_a_long_sentence_is_flagged():
    long = "Dear Dr Rao,\n\nThe panel decided " + " ".join(["that"] * 30) + ".\n\nSupport within 5 days. Sam Patel."
    result = check_letter(long, contact_names=["Sam Patel"])
    assert "sentence_length" in result.failed()


def test_bottom_line_first_looks_only_at_the_first_paragraph_after_the_greeting():
    text = GOOD.replace("The panel decided to take no further action. ", "")
    text = text.replace("Please contact Sam Patel", "The panel decided to take no further action. Please contact Sam Patel")
    assert "bottom_line_first" in check_letter(text, contact_names=["Sam Patel"]).failed()


def test_missing_support_contact_and_timescale_are_each_flagged():
    text = "Dear Dr Rao,\n\nThe panel decided to take no further action.\n\nYours sincerely"
    failed = check_letter(text, contact_names=["Sam Patel"]).failed()
    assert {"support", "named_contact", "next_steps"} <= set(failed)


def test_jargon_passes_only_when_explained():
    assert unexplained_jargon("This is an allegation pursuant to the rules.", ["allegation pursuant to"]) == [
        "allegation pursuant to"
    ]
    assert unexplained_jargon("This is an allegation pursuant to the rules (this means under them).",
                              ["allegation pursuant to"]) == []
    text = GOOD.replace("We know", "Hereinafter we know")
    assert "jargon" in check_letter(text, contact_names=["Sam Patel"]).failed()


def test_merge_names_an_unknown_field_and_leaves_values_as_text():
    try:
        merge("Hello {{ favourite_colour }}", {})
    except MergeError as error:
        assert error.field == "favourite_colour"
    else:
        raise AssertionError("an unknown field must raise")
    assert merge("{{ practitioner_name }}", {"practitioner_name": "<script>alert(1)</script>"}) == (
        "<script>alert(1)</script>"
    )
    assert merge("{{ practitioner_name }}", {"practitioner_name": "{{ case_reference }}"}) == "{{ case_reference }}"


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=40), min_size=1, max_size=8))
def test_sentence_length_finding_matches_the_longest_sentence(sentence_words):
    text = " ".join(" ".join(ws).capitalize() + "." for ws in sentence_words)
    result = check_letter(text)
    longest = max(len(ws) for ws in sentence_words)
    finding = next(f for f in result.findings if f.key == "sentence_length")
    assert finding.passed == (longest <= LONGEST_SENTENCE_WORDS)
    assert [word_count(s) for s in sentences(text)] == [len(ws) for ws in sentence_words]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_the_check_never_fails_on_any_text(text):
    result = check_letter(text, contact_names=["Sam Patel"])
    assert len(result.findings) == 8
    assert isinstance(paragraphs(text), list)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(SAMPLE_VALUES)), st.text(max_size=30)))
def test_merge_replaces_every_known_field_and_never_reinterprets_values(values):
    template = " ".join("{{ " + name + " }}" for name in SAMPLE_VALUES)
    merged = merge(template, values)
    for name in SAMPLE_VALUES:
        if name in values:
            assert values[name] in merged
    assert fields_in(template) == list(SAMPLE_VALUES)


def test_the_pure_modules_import_no_django():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "lotus"
    for name in ("letters/readability.py", "letters/merge.py", "letters/defaults.py", "panels/outcomes.py",
                 "portal/wording.py"):
        source = (root / name).read_text()
        assert "import django" not in source and "from django" not in source, name
