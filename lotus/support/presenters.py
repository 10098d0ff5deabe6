"""Display-ready values for the support pages, so templates only loop and branch."""

from django.urls import reverse

from lotus.support.models import MatterStatus
from lotus.support.selectors import PlanPageData, PlanSummary

MATTER_TAGS = {
    MatterStatus.NOT_STARTED: "nhsuk-tag--grey",
    MatterStatus.IN_PLACE: "nhsuk-tag--green",
    MatterStatus.NOT_NEEDED: "nhsuk-tag--blue",
}


def matter_tag(matter) -> dict[str, str]:
    return {"text": matter.get_status_display(), "classes": MATTER_TAGS[MatterStatus(matter.status)]}


class SupportPanelPresenter:
    """The support plan's progress on the case page."""

    def __init__(self, summary: PlanSummary):
        self.summary = summary
        self.plan = summary.plan

    @property
    def progress_text(self) -> str:
        return f"{self.summary.settled} of {len(self.summary.matters)} matters in place or decided"

    @property
    def href(self) -> str:
        return reverse("support:show_plan", kwargs={"case_id": self.plan.case_id})

    @property
    def flags(self) -> list[str]:
        flags = []
        s = self.summary
        if s.open_prompts:
            flags.append("Heightened support needed: make a wellbeing contact")
        if s.matters_late:
            flags.append("Some matters are not in place and the service level has passed")
        if s.contact_overdue:
            flags.append("A keeping-in-touch contact is overdue")
        if s.adjustments_to_review:
            flags.append("An adjustment is due for review")
        return flags


class SupportPlanPresenter(SupportPanelPresenter):
    def __init__(self, data: PlanPageData, user):
        super().__init__(data.summary)
        self.data = data
        self.user = user
        self.case = self.plan.case

    @property
    def is_open(self) -> bool:
        return not self.summary.is_closed

    @property
    def can_manage(self) -> bool:
        return self.is_open and self.user.has_perm("support.manage_plan", self.case)

    @property
    def can_log_contact(self) -> bool:
        return self.is_open and self.user.has_perm("support.log_contact", self.case)

    @property
    def can_record_preferences(self) -> bool:
        return self.is_open and self.user.has_perm("support.record_preferences", self.case)

    @property
    def can_see_case(self) -> bool:
        return self.user.has_perm("cases.view_case", self.case)

    def matter_tag(self, matter) -> dict[str, str]:
        return matter_tag(matter)

    def health_detail(self, referral):
        if not self.data.show_health_details:
            return None
        try:
            return referral.detail
        except referral._meta.model.detail.RelatedObjectDoesNotExist:
            return None

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"support:{name}", kwargs={"case_id": self.case.pk, **kwargs})


def support_breadcrumbs(plan=None, *, user=None) -> list[dict[str, str]]:
    crumbs = [{"href": reverse("core:home"), "text": "Home"}]
    if plan is not None:
        if user is not None and user.has_perm("cases.view_case", plan.case):
            crumbs.append({"href": reverse("cases:show_case", args=[plan.case_id]), "text": plan.case.reference})
        crumbs.append({"href": reverse("support:show_plan", kwargs={"case_id": plan.case_id}), "text": "Support plan"})
    return crumbs
