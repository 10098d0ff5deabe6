"""The letter templates every organisation starts with, written for LOTUS in plain, warm,
direct English. Pure: no Django import. Administrators can change them or add their own.

Each default passes the communication check (tests/letters/test_defaults.py).
"""

from dataclasses import dataclass

HEADER = """{{ sender_block }}

Our reference: {{ case_reference }}
Date: {{ letter_date }}

PRIVATE AND CONFIDENTIAL

Dear {{ practitioner_name }},"""

SIGN_OFF = """Yours sincerely,

{{ case_manager_name }}
{{ case_manager_job_title }}
{{ organisation_name }}"""

SUPPORT = (
    "We know this can be a hard and worrying time. Please think about talking to your defence "
    "organisation or your local medical, dental or optical committee. They can give you advice and "
    "support. Your GP and your employee assistance programme can help too."
)

CONTACT = (
    "If you have a question, please contact {{ case_manager_name }} at {{ case_manager_email }}. "
    "Please quote {{ case_reference }} when you write to us."
)


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    name: str
    subject: str
    body: str
    for_panel_outcome: bool = False


DEFAULT_TEMPLATES: tuple[DefaultTemplate, ...] = (
    DefaultTemplate(
        key="concern_notification",
        name="A concern has been raised",
        subject="A concern has been raised with us",
        body=f"""{HEADER}

We are writing to tell you that a concern about your practice has been raised with us. We have opened a case, and this letter explains what happens next.

First, a professional advisor will look at the concern and any papers with it. This should take no more than 10 working days. We will then share their review with you, so you can see what was found and why.

After that, our panel will look at the case. We will write to you within 5 working days of the panel meeting to tell you what it decided.

{SUPPORT}

{CONTACT}

{SIGN_OFF}""",
    ),
    DefaultTemplate(
        key="triage_shared",
        name="Your triage review is ready",
        subject="Your triage review is ready to read",
        body=f"""{HEADER}

We are writing to tell you that the first review of the concern about you is finished. You can now read it in LOTUS.

The review explains how the risk was scored and what the advisor suggested, and why. It has not decided anything. The panel will make the decision.

The next panel meeting will look at your case in the next few weeks. If you would like the panel to read your own account, please add it in LOTUS within 10 working days.

{SUPPORT}

{CONTACT}

{SIGN_OFF}""",
    ),
    DefaultTemplate(
        key="panel_outcome",
        name="Panel outcome",
        subject="What the {{ panel_name }} decided",
        for_panel_outcome=True,
        body=f"""{HEADER}

The {{{{ panel_full_name }}}} ({{{{ panel_name }}}}) met on {{{{ meeting_date }}}} and looked at your case. The panel decided to {{{{ decisions }}}}.

The panel read the concern, the triage review and anything you sent us. It decided this because: {{{{ rationale }}}}

What happens next: we will contact you within 10 working days about the next steps. The panel will look at your case again on {{{{ next_review_date }}}}.

We would like your consent to share an occupational health report with the panel. The report helps the panel understand any health needs and the support you may need. You can say yes or no in LOTUS. If you say no, the panel will still decide, but with less to go on.

{SUPPORT}

{CONTACT}

{SIGN_OFF}""",
    ),
    DefaultTemplate(
        key="occupational_health_consent",
        name="Asking for consent to share an occupational health report",
        subject="Can we share your occupational health report?",
        body=f"""{HEADER}

We are writing to tell you that the panel has asked to see an occupational health report. We need your consent before it is shared.

The report helps the panel understand your health and any support or changes at work you may need. Only the panel, its advisor and your case manager will read it. We will keep it private.

You can give, decline or withdraw your consent in LOTUS at any time. Please tell us within 10 working days. If you say no, the panel will still decide, but with less to go on.

{SUPPORT}

{CONTACT}

{SIGN_OFF}""",
    ),
    DefaultTemplate(
        key="case_closed",
        name="Case closed",
        subject="We have closed your case",
        body=f"""{HEADER}

We are writing to tell you that we have closed your case. No further action will be taken about this concern.

Thank you for your patience and for working with us. We know the time a case is open can be stressful.

What happens next: nothing more is needed from you. We keep the record of the case, as the law asks us to. If you would like a copy of your records, please ask us, and we will reply within one month.

{SUPPORT}

{CONTACT}

{SIGN_OFF}""",
    ),
)

SAMPLE_VALUES = {
    "practitioner_name": "Dr Asha Rao",
    "case_reference": "LOT-2026-00042",
    "letter_date": "26 November 2026",
    "organisation_name": "NHS England North West",
    "panel_name": "PAG",
    "panel_full_name": "Performance Advisory Group",
    "meeting_date": "24 November 2026",
    "decisions": "ask you for your reflections",
    "rationale": "the panel wants to hear your side before it decides anything more.",
    "next_review_date": "12 January 2027",
    "case_manager_name": "Sam Patel",
    "case_manager_email": "sam.patel@example.nhs.uk",
    "case_manager_job_title": "Case manager",
    "sender_block": "Professional Standards Team\nNHS England North West",
    "reply_by_date": "10 December 2026",
}
