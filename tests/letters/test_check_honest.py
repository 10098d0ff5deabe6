"""Letters the old communication check passed wrongly now fail, each for what it claims.
And the check read against the decision: stated, a reason, nothing contradictory; tone."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.letters.readability import check_letter

HEADER = "Professional Standards Team\n\nOur reference: LOT-1\nDate: 2 December 2026\n\nDear Dr Rao,\n\n"
GOOD_BODY = (
    "The panel decided to ask for an investigation into the concern.\n\n"
    "The panel gave this reason: two patients raised the same worry about your notes this year.\n\n"
    "We will write to you within 10 working days. Your defence organisation can help you.\n\n"
    "Please contact Sam Patel at sam.patel@example.nhs.uk with any question.\n\n"
    "Yours sincerely,\n\nSam Patel\nCase manager"
)


def failed(text, **kwargs):
    return check_letter(text, contact_names=["Sam Patel"], **kwargs).failed()


def test_the_good_letter_passes_against_its_decision():
    assert failed(HEADER + GOOD_BODY, decided=["investigation"], review_date_recorded=False) == []


def test_a_name_under_the_signature_is_not_a_named_contact():
    text = HEADER + GOOD_BODY.replace("Please contact Sam Patel at sam.patel@example.nhs.uk with any question.",
                                      "Please get in touch with any question.")
    assert "named_contact" in failed(text)


def test_a_team_name_is_not_a_person_to_contact():
    text = HEADER + GOOD_BODY.replace("Sam Patel at", "Professional Standards Team at")
    assert "named_contact" in check_letter(text, contact_names=["Professional Standards Team"]).failed()


def test_the_letters_own_date_is_not_a_timescale():
    text = HEADER + GOOD_BODY.replace("We will write to you within 10 working days. ", "We will be in touch. ")
    assert "next_steps" in failed(text)


def test_a_stock_opening_is_not_the_bottom_line():
    text = HEADER + "We are writing to tell you about your case.\n\n" + GOOD_BODY
    assert "bottom_line_first" in failed(text)
    assert "bottom_line_first" in failed(text, decided=["investigation"])


def test_the_word_support_is_not_an_offer_of_support():
    text = HEADER + GOOD_BODY.replace("Your defence organisation can help you.", "We do not support your view.")
    assert "support" in failed(text)


def test_a_link_to_help_is_an_offer_of_support():
    text = HEADER + GOOD_BODY.replace("Your defence organisation can help you.",
                                      "You can find help at www.example.nhs.uk/support.")
    assert "support" not in failed(text)


def test_blaming_words_are_named_with_kinder_wording():
    text = HEADER + GOOD_BODY.replace("Your defence", "You failed to reply, and you must do so. Your defence")
    result = check_letter(text, contact_names=["Sam Patel"])
    tone = next(f for f in result.findings if f.key == "tone")
    assert not tone.passed
    assert "“you failed to”: try “you did not”" in tone.advice and "“you must”: try “please”" in tone.advice


def test_a_decision_not_stated_fails():
    text = HEADER + GOOD_BODY.replace("The panel decided to ask for an investigation into the concern.",
                                      "The panel met and talked about your case.")
    assert {"decision_stated", "bottom_line_first"} <= set(failed(text, decided=["investigation"]))


def test_because_x_is_not_a_reason():
    text = HEADER + GOOD_BODY.replace(
        "The panel gave this reason: two patients raised the same worry about your notes this year.",
        "It decided this because: x")
    assert "reason_given" in failed(text, decided=["investigation"])


def test_a_contradictory_letter_fails():
    text = HEADER + GOOD_BODY.replace("into the concern.", "into the concern, and to take no further action.")
    assert "agrees_with_decision" in failed(text, decided=["investigation"])
    consent = HEADER + GOOD_BODY.replace("Your defence", "We would like your consent to share a report. Your defence")
    assert "agrees_with_decision" in failed(consent, decided=["investigation"])
    again = HEADER + GOOD_BODY.replace("Your defence", "The panel will look at your case again. Your defence")
    assert "agrees_with_decision" in failed(again, decided=["investigation"], review_date_recorded=False)
    assert "agrees_with_decision" not in failed(again, decided=["investigation"], review_date_recorded=True)


def test_an_empty_letter_fails():
    assert {"reading_ease", "bottom_line_first", "decision_stated", "reason_given", "next_steps"} <= set(
        failed("", decided=["investigation"]))


gibberish = st.text(alphabet="xz :", max_size=40)


@settings(max_examples=60, deadline=None)
@given(gibberish)
def test_no_reason_made_of_non_words_passes(reason):
    text = HEADER + GOOD_BODY.replace(
        "The panel gave this reason: two patients raised the same worry about your notes this year.",
        f"It decided this because: {reason}")
    assert "reason_given" in failed(text, decided=["investigation"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["no_further_action", "close", "interview", "records_review", "refer_to_regulator",
                        "decision_panel", "request_reflections"]))
def test_a_letter_about_investigation_never_matches_another_decision(other):
    assert "decision_stated" in failed(HEADER + GOOD_BODY, decided=[other])
