"""What each case status means, written for the practitioner. Pure: no Django import."""

from lotus.cases.workflow import Status

FOR_PRACTITIONER = {
    Status.RECEIVED: (
        "A concern has been raised",
        "We have received a concern about your practice. A case manager is checking it. "
        "A professional advisor will then review it, usually within 10 working days.",
    ),
    Status.TRIAGE: (
        "The concern is being reviewed",
        "A professional advisor is reviewing the concern and the risk. We will share their review "
        "with you. The case then goes to the panel.",
    ),
    Status.AWAITING_PANEL: (
        "Waiting for the panel",
        "Your case is waiting for the next panel meeting. You can add your reflections for the panel "
        "to read. We will write to you within 5 working days of the meeting.",
    ),
    Status.INVESTIGATION: (
        "An investigation is under way",
        "The panel asked for an investigation. Your case manager will keep you up to date, "
        "including about any delay.",
    ),
    Status.REMEDIATION: (
        "Working to an agreed plan",
        "You are working to a plan agreed with us. Progress is reviewed on the dates in the plan.",
    ),
    Status.CLOSED: ("Closed", "Your case is closed. Nothing more is needed from you."),
    Status.WITHDRAWN: ("Withdrawn", "The concern was withdrawn. Nothing more is needed from you."),
}


def status_for_practitioner(status: str) -> tuple[str, str]:
    return FOR_PRACTITIONER[Status(status)]
