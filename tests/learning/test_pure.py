"""Property tests for learning's pure modules: the review workflow (lotus/learning/workflow.py),
the blame check (lotus/letters/blame.py) and the factor vocabulary parser
(lotus/learning/vocabulary.py). None touches the database."""

import ast
import pathlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotus.learning import workflow
from lotus.learning.vocabulary import DATA, VocabularyError, parse
from lotus.letters.blame import BlamePhrase, blame_found, blame_phrases

ROOT = pathlib.Path(__file__).resolve().parents[2] / "lotus"


@pytest.mark.parametrize("path", ["learning/workflow.py", "learning/vocabulary.py", "letters/blame.py"])
def test_the_pure_modules_import_no_django(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.startswith("django")]


# --- The review workflow ---------------------------------------------------------------------


@given(st.text(max_size=20), st.text(max_size=20))
def test_transition_for_never_raises_and_only_answers_for_listed_moves(move, source):
    found = workflow.transition_for(move, source)
    assert found is None or (found.move == move and found.source == source)


@given(st.sampled_from(list(workflow.Move)), st.sampled_from(list(workflow.Status)))
def test_each_move_starts_from_exactly_one_status(move, status):
    sources = [t.source for t in workflow.TRANSITIONS if t.move == move]
    assert len(sources) == 1
    assert (workflow.transition_for(move, status) is not None) == (status == sources[0])


@given(st.lists(st.sampled_from(list(workflow.Move)), max_size=30))
def test_any_sequence_of_allowed_moves_keeps_approval_after_submission_and_revisions_rising(moves):
    """Walk any sequence of moves, making those allowed: a review is approved only straight
    after being submitted, and its revision rises by one on each amendment, never otherwise."""
    status, revision, previous = workflow.Status.DRAFT, 1, None
    for move in moves:
        found = workflow.transition_for(move, status)
        if found is None:
            continue
        new_revision = workflow.next_revision(revision, move)
        assert new_revision == revision + (1 if move is workflow.Move.AMEND else 0)
        if found.target is workflow.Status.APPROVED:
            assert status is workflow.Status.SUBMITTED
        previous, status, revision = status, found.target, new_revision
    assert previous is None or status in set(workflow.Status)


def test_every_move_back_to_a_draft_needs_a_reason():
    for transition in workflow.TRANSITIONS:
        assert transition.needs_reason == (transition.target is workflow.Status.DRAFT)
    assert set(workflow.REFUSALS) == set(workflow.Move)


# --- The blame check ---------------------------------------------------------------------------

#: Words that are none of the phrases and contain none of them.
SAFE = st.lists(st.sampled_from(["the", "results", "were", "seen", "late", "clinic", "rota", "nurse", "locum",
                                 "system", "induction", "busy", "handover", "we", "learnt"]), max_size=15)


@given(SAFE, st.sampled_from(list(blame_phrases())), SAFE, st.booleans())
def test_a_blaming_phrase_among_plain_words_is_always_named_with_its_kinder_words(before, entry, after, upper):
    phrase = entry.phrase.upper() if upper else entry.phrase
    text = " ".join([*before, phrase, *after]) + "."
    found = blame_found(text)
    assert [item.phrase for item in found] == [entry.phrase]
    assert found[0].kinder == entry.kinder and entry.phrase in found[0].excerpt.lower()


@given(SAFE)
def test_plain_words_raise_no_warning(words):
    assert blame_found(" ".join(words)) == []


@given(st.text(max_size=200))
def test_the_check_never_raises_and_names_each_phrase_once(text):
    found = blame_found(text)
    assert len({item.phrase for item in found}) == len(found)


def test_a_phrase_inside_a_longer_word_is_not_named():
    assert blame_found("The default setting was faulty; nobody was blameless.") == []


def test_no_kinder_suggestion_is_itself_on_the_list():
    phrases = blame_phrases()
    for entry in phrases:
        assert blame_found(entry.kinder) == [], entry.phrase


def test_the_issues_examples_are_on_the_list():
    names = {entry.phrase for entry in blame_phrases()}
    assert {"failed to", "fault", "negligent", "should have known"} <= names


def test_the_longer_phrase_wins_and_the_shorter_inside_it_is_not_named_again():
    phrases = (BlamePhrase("should have known", "a"), BlamePhrase("should have", "b"))
    assert [f.phrase for f in blame_found("She should have known.", phrases)] == ["should have known"]
    assert [f.phrase for f in blame_found("She should have known. He should have asked.", phrases)] == [
        "should have known", "should have"]


# --- The vocabulary parser ------------------------------------------------------------------------

CODE = st.from_regex(re.compile(r"[a-z]{1,8}\.[a-z]{1,8}"), fullmatch=True)


@given(st.lists(CODE, min_size=1, max_size=12))
def test_parse_refuses_a_repeated_factor_code_and_keeps_every_code_otherwise(codes):
    data = {"frameworks": [{"code": "f", "title": "F", "categories": [
        {"code": "c", "title": "C", "factors": [{"code": c, "title": "T"} for c in codes]}
    ]}]}
    if len(set(codes)) < len(codes):
        with pytest.raises(VocabularyError):
            parse(data, improvement_titles={})
    else:
        assert parse(data, improvement_titles={}).factor_codes() == codes


def test_the_shipped_file_parses_with_seven_london_protocol_categories():
    import yaml

    vocabulary = parse(yaml.safe_load(DATA.read_text(encoding="utf-8")),
                       improvement_titles={k: k for k in ("unclear_goals", "workload", "team", "obstacles",
                                                          "knowledge")})
    london = [c for c in vocabulary.categories if c.framework == "london_protocol"]
    assert len(london) == 7 and all(c.factors for c in london)
