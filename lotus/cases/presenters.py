"""Display-ready values for case pages, so templates only loop and branch."""

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils import timezone

from lotus.cases.models import Case
from lotus.cases.selectors import CasePageData
from lotus.cases.workflow import FINAL_STATUSES, NEXT_STEPS, STATUS_LABELS, Status, transitions_from
from lotus.core.blinding import mask_identity

STATUS_TAG_COLOURS = {
    Status.RECEIVED: "blue",
    Status.TRIAGE: "purple",
    Status.AWAITING_PANEL: "orange",
    Status.INVESTIGATION: "red",
    Status.REMEDIATION: "yellow",
    Status.CLOSED: "grey",
    Status.WITHDRAWN: "white",
}


def status_tag(status: str) -> dict[str, str]:
    case_status = Status(status)
    return {"text": STATUS_LABELS[case_status], "classes": f"nhsuk-tag--{STATUS_TAG_COLOURS[case_status]}"}


def case_breadcrumbs(case: Case | None = None) -> list[dict[str, str]]:
    crumbs = [{"href": reverse("core:home"), "text": "Home"}, {"href": reverse("cases:list_cases"), "text": "Cases"}]
    if case is not None:
        crumbs.append({"href": reverse("cases:show_case", args=[case.pk]), "text": case.reference})
    return crumbs


@dataclass
class CaseRowPresenter:
    case: Case
    #: The review's blind code when the reader is scoring this case blind (issue 19).
    blind_code: str = ""

    @property
    def href(self) -> str:
        return reverse("cases:show_case", args=[self.case.pk])

    @property
    def tag(self) -> dict[str, str]:
        return status_tag(self.case.status)

    @property
    def is_overdue(self) -> bool:
        return bool(getattr(self.case, "is_overdue", False))


class CasePagePresenter:
    def __init__(self, data: CasePageData, user, audit_trail, blind_code: str = ""):
        self.data = data
        self.case = data.case
        self.user = user
        self.audit_trail = audit_trail
        self.today = timezone.localdate()
        #: Set while the reader scores this case blind: the page shows the code, not the person.
        self.blind_code = blind_code

    def masked(self, text: str) -> str:
        """`text` with the practitioner's name and registration number masked while the reader scores blind."""
        if not self.blind_code:
            return text or ""
        practitioner = self.case.practitioner
        return mask_identity(text, practitioner.full_name, practitioner.registration_number)

    @property
    def tag(self):
        return status_tag(self.case.status)

    @property
    def next_steps(self) -> str:
        return NEXT_STEPS[Status(self.case.status)]

    @property
    def is_open(self) -> bool:
        return self.case.status not in FINAL_STATUSES

    @property
    def can_change(self) -> bool:
        return self.is_open and self.user.has_perm("cases.change_case", self.case)

    @property
    def can_manage_tasks(self) -> bool:
        return self.is_open and self.user.has_perm("cases.manage_tasks", self.case)

    @property
    def can_see_documents(self) -> bool:
        return self.user.has_perm("cases.view_documents", self.case)

    @property
    def can_see_evidence(self) -> bool:
        return self.user.has_perm("cases.view_evidence", self.case)

    @cached_property
    def letters(self) -> list:
        """Letters about the case, for those who may read them (lotus.letters)."""
        from lotus.letters.selectors import letters_of_case

        return letters_of_case(self.user, self.case)

    @property
    def can_draft_letter(self) -> bool:
        return self.is_open and self.user.has_perm("letters.draft_letter", self.case)

    def can_complete(self, task) -> bool:
        return self.is_open and task.done_at is None and self.user.has_perm("cases.complete_task", task)

    @property
    def can_upload(self) -> bool:
        return self.is_open and self.user.has_perm("cases.upload_document", self.case)

    @property
    def can_withdraw_documents(self) -> bool:
        return self.user.has_perm("cases.withdraw_document", self.case)

    @property
    def can_see_triage(self) -> bool:
        return self.user.has_perm("triage.view_review", self.case)

    @property
    def owes_second_review(self) -> bool:
        """The user was asked for an independent second review: they reach it from here,
        although the first review stays hidden until theirs is in."""
        return self.user.has_perm("triage.write_second_review", self.case)

    @property
    def can_see_audit(self) -> bool:
        return self.user.has_perm("cases.view_audit_trail", self.case)

    @property
    def transitions(self):
        return transitions_from(self.case.status, self.user.roles)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"cases:{name}", kwargs={"case_id": self.case.pk, **kwargs})
