"""Every outcome's default letter (lotus/letters/data/templates): it fits the decision."""

import pytest

from lotus.letters import defaults
from lotus.letters.defaults import DEFAULT_TEMPLATES, SAMPLE_VALUES, outcome_words, template_key_for
from lotus.letters.merge import merge, unknown_fields
from lotus.letters.readability import check_letter
from lotus.panels.outcomes import Outcome, decisions_sentence

CONSENT = ("your consent", "consent to share")
LOOK_AGAIN = ("look at your case again", "look again")


def merged_for(outcomes, *, review: bool) -> str:
    template = next(t for t in DEFAULT_TEMPLATES if t.key == template_key_for(outcomes))
    review_text = "12 January 2027" if review else ""
    values = dict(SAMPLE_VALUES, decisions=decisions_sentence(outcomes), next_review_date=review_text,
                  review_sentence=defaults.review_sentence(review_text), next_steps=defaults.next_steps(outcomes),
                  consent_request=defaults.consent_request(outcomes))
    return merge(template.body, values)


CASES = [[o.value] for o in Outcome] + [["records_review", "interview"], ["investigation", "occupational_health"]]


@pytest.mark.parametrize("outcomes", CASES, ids=lambda o: "+".join(o))
@pytest.mark.parametrize("review", [True, False], ids=["review date", "no review date"])
def test_each_outcome_letter_passes_says_the_decision_and_asks_only_what_fits(outcomes, review):
    text = merged_for(outcomes, review=review)
    result = check_letter(text, contact_names=["Sam Patel"], decided=outcomes, review_date_recorded=review)
    assert result.passed, (outcomes, [(f.key, f.advice) for f in result.findings if not f.passed])
    lowered = text.lower()
    for group in outcome_words().groups_of(outcomes):
        assert any(phrase in lowered for phrase in group.says)
    asks_consent = any(phrase in lowered for phrase in CONSENT)
    assert asks_consent == ("occupational_health" in outcomes)
    if not review:
        assert not any(phrase in lowered for phrase in LOOK_AGAIN)


def test_a_closing_letter_asks_for_nothing_and_never_looks_again():
    for outcomes in (["no_further_action"], ["close"], ["no_further_action", "close"]):
        assert template_key_for(outcomes) == "outcome_closed"
        text = merged_for(outcomes, review=True).lower()
        assert "consent" not in text and not any(phrase in text for phrase in LOOK_AGAIN)
        assert "please" not in text.split("what happens next")[1].split("we know this")[0]
        assert "nothing more is needed from you" in text


def test_every_outcome_has_a_letter_and_every_template_uses_known_fields():
    keys = {t.key for t in DEFAULT_TEMPLATES}
    for outcome in Outcome:
        assert template_key_for([outcome.value]) in keys, outcome
    for template in DEFAULT_TEMPLATES:
        assert not unknown_fields(template.body) and not unknown_fields(template.subject), template.key
        assert "[[" not in template.body


def test_the_words_are_in_data_files_not_python():
    import pathlib

    source = (pathlib.Path(defaults.__file__)).read_text()
    assert "PRIVATE AND CONFIDENTIAL" not in source and "Yours sincerely" not in source
