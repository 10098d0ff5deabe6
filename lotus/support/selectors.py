"""Reads of the support side of a case. Each takes the user (or a case the user has
already been checked against) and returns only what that user may see."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from lotus.accounts.models import User
from lotus.accounts.roles import Role
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, CaseTeamMember
from lotus.cases.selectors import deny, visible_cases
from lotus.cases.workflow import FINAL_STATUSES, OPEN_STATUSES
from lotus.support import cadence
from lotus.support.models import (
    Adjustment,
    AdjustmentStatus,
    HeightenedSupportPrompt,
    MatterStatus,
    OccupationalHealthReferral,
    Reminder,
    SignpostResource,
    SupportContact,
    SupportMatter,
    SupportPlan,
    SupportSettings,
    WellbeingCheck,
)

ACTIVE_ADJUSTMENT = (AdjustmentStatus.REQUESTED, AdjustmentStatus.AGREED)


def settings_for(organisation_id: int) -> SupportSettings:
    """The organisation's support settings, or the defaults (unsaved) if it set none."""
    return SupportSettings.objects.filter(organisation_id=organisation_id).first() or SupportSettings(
        organisation_id=organisation_id
    )


def cadence_for(settings: SupportSettings) -> cadence.Cadence:
    return cadence.Cadence(settings.contact_every_days, settings.contact_every_days_heightened)


def plan_for_user(user: User, case_id: int, *, request, perm: str = "support.view_plan") -> SupportPlan:
    """The case's support plan if the user holds `perm` on the case; otherwise 404, and
    the attempt is audited."""
    plan = (
        SupportPlan.objects.select_related("case", "case__practitioner", "case__organisation", "pastoral_contact")
        .filter(case_id=case_id)
        .first()
    )
    if plan is None or not user.has_perm(perm, plan.case):
        raise deny(user, request, "support_plan", case_id)
    return plan


def plan_viewed(user: User, plan: SupportPlan, *, request) -> None:
    audit_append(
        action=Actions.VIEW,
        actor=user,
        object_type="support_plan",
        object_id=plan.pk,
        organisation_id=plan.case.organisation_id,
        request=request,
        details={"case": plan.case_id},
    )


@dataclass
class PlanSummary:
    plan: SupportPlan
    matters: list[SupportMatter]
    matters_due_on: dt.date
    last_contact_on: dt.date | None
    next_contact_due: dt.date
    open_prompts: list[HeightenedSupportPrompt]
    adjustments_to_review: int
    today: dt.date
    is_closed: bool
    interval_days: int = cadence.DEFAULT_CONTACT_EVERY_DAYS

    @property
    def settled(self) -> int:
        return sum(1 for m in self.matters if m.status != MatterStatus.NOT_STARTED)

    @property
    def matters_late(self) -> bool:
        return self.settled < len(self.matters) and cadence.is_overdue(self.matters_due_on, self.today)

    @property
    def contact_overdue(self) -> bool:
        return not self.is_closed and cadence.is_overdue(self.next_contact_due, self.today)

    @property
    def contact_due_soon(self) -> bool:
        return not self.is_closed and not self.contact_overdue and cadence.needs_reminder(
            self.next_contact_due, self.today
        )


def plan_summary(case: Case, plan: SupportPlan | None = None) -> PlanSummary:
    plan = plan or case.support_plan
    today = timezone.localdate()
    settings = settings_for(case.organisation_id)
    matters = sorted(plan.matters.select_related("recorded_by"), key=lambda m: m.order)
    last_contact_on = plan.contacts.aggregate(last=Max("contacted_on"))["last"]
    return PlanSummary(
        plan=plan,
        matters=matters,
        matters_due_on=cadence.matters_due_on(plan.opened_on, settings.service_level_days),
        last_contact_on=last_contact_on,
        next_contact_due=cadence.next_contact_due(
            opened_on=plan.opened_on,
            last_contact_on=last_contact_on,
            cadence=cadence_for(settings),
            heightened=plan.heightened,
        ),
        open_prompts=list(plan.prompts.filter(cleared_at__isnull=True)),
        adjustments_to_review=plan.adjustments.filter(status__in=ACTIVE_ADJUSTMENT, review_on__lte=today).count(),
        today=today,
        is_closed=case.status in FINAL_STATUSES,
        interval_days=cadence_for(settings).interval(heightened=plan.heightened),
    )


@dataclass
class PlanPageData:
    summary: PlanSummary
    contacts: list[SupportContact]
    adjustments: list[Adjustment]
    prompts: list[HeightenedSupportPrompt]
    oh_referrals: list[OccupationalHealthReferral]
    show_health_details: bool
    wellbeing_checks: list[WellbeingCheck] = field(default_factory=list)


def plan_page_data(user: User, plan: SupportPlan) -> PlanPageData:
    case = plan.case
    manages = user.has_perm("support.manage_plan", case)
    show_health = user.has_perm("support.view_health_details", case)
    referrals = []
    if manages:
        found = plan.oh_referrals.select_related("recorded_by")
        if show_health:
            found = found.select_related("detail")
        referrals = list(found)
    return PlanPageData(
        summary=plan_summary(case, plan),
        contacts=list(plan.contacts.select_related("made_by")),
        adjustments=list(plan.adjustments.select_related("recorded_by")),
        prompts=list(plan.prompts.select_related("raised_by", "cleared_by", "contact")),
        oh_referrals=referrals,
        show_health_details=show_health,
        wellbeing_checks=list(case.wellbeing_checks.order_by("-checked_on", "-id")) if manages else [],
    )


def pastoral_candidates(case: Case) -> QuerySet[User]:
    """People who could be the case's pastoral contact: active pastoral contacts of its
    organisation who are not on its team."""
    on_team = CaseTeamMember.objects.filter(case=case).values("user_id")
    return (
        User.objects.filter(organisation_id=case.organisation_id, is_active=True, role_grants__role=Role.PASTORAL_CONTACT)
        .exclude(pk__in=on_team)
        .distinct()
        .order_by("full_name")
    )


@dataclass
class PastoralPerson:
    """A practitioner the user supports as named pastoral contact, with when the next
    keeping-in-touch contact is due. Only support-side facts: no summary, documents,
    reasons or anything else from the investigation."""

    plan: SupportPlan
    next_contact_due: dt.date | None
    contact_overdue: bool
    contact_due_soon: bool

    @property
    def contact_due(self) -> bool:
        return self.contact_overdue or self.contact_due_soon


def pastoral_plans(user: User, *, today: dt.date | None = None) -> list[PastoralPerson]:
    """The support plans on which the user is the named pastoral contact, each with its
    next contact date worked out as the reminder task does (lotus.support.tasks), so
    what is shown here is what the reminders are about, and it is right as soon as a
    contact is logged. Two queries whatever the number of plans."""
    if not user.has_perm("support.view_pastoral_cases"):
        return []
    today = today or timezone.localdate()
    plans = list(
        SupportPlan.objects.filter(pastoral_contact=user, case__organisation_id=user.organisation_id)
        .select_related("case", "case__practitioner")
        .annotate(last_contact_on=Max("contacts__contacted_on"))
        .order_by("case__reference")
    )
    if not plans:
        return []
    rhythm = cadence_for(settings_for(user.organisation_id))
    people = []
    for plan in plans:
        if plan.case.status not in OPEN_STATUSES:  # as the reminder task: no contacts due once closed
            people.append(PastoralPerson(plan, None, False, False))
            continue
        due = cadence.next_contact_due(
            opened_on=plan.opened_on, last_contact_on=plan.last_contact_on, cadence=rhythm, heightened=plan.heightened
        )
        overdue = cadence.is_overdue(due, today)
        people.append(PastoralPerson(plan, due, overdue, not overdue and cadence.needs_reminder(due, today)))
    return people


def contact_for_plan(plan: SupportPlan, contact_id) -> SupportContact | None:
    return plan.contacts.filter(pk=contact_id).first() if contact_id else None


def prompt_for_user(user: User, plan: SupportPlan, prompt_id: int, *, request) -> HeightenedSupportPrompt:
    prompt = plan.prompts.filter(pk=prompt_id).first()
    if prompt is None or not user.has_perm("support.manage_plan", plan.case):
        raise deny(user, request, "support_prompt", prompt_id)
    prompt.plan = plan
    return prompt


def adjustment_for_user(user: User, plan: SupportPlan, adjustment_id: int, *, request) -> Adjustment:
    adjustment = plan.adjustments.filter(pk=adjustment_id).first()
    if adjustment is None or not user.has_perm("support.manage_plan", plan.case):
        raise deny(user, request, "support_adjustment", adjustment_id)
    adjustment.plan = plan
    return adjustment


def prompt_contacts(plan: SupportPlan, prompt: HeightenedSupportPrompt) -> list[SupportContact]:
    return list(plan.contacts.filter(contacted_on__gte=prompt.raised_on))


# --- The needs-attention page ---------------------------------------------------------


@dataclass(frozen=True)
class AttentionThresholds:
    today: dt.date
    matters_opened_before: dt.date
    contact_started_before: dt.date
    contact_started_before_heightened: dt.date


def attention_thresholds(settings: SupportSettings, today: dt.date) -> AttentionThresholds:
    rhythm = cadence_for(settings)
    return AttentionThresholds(
        today=today,
        # A plan opened on day D is late when D + service level < today.
        matters_opened_before=cadence.overdue_if_started_before(today, settings.service_level_days),
        contact_started_before=cadence.overdue_if_started_before(today, rhythm.interval(heightened=False)),
        contact_started_before_heightened=cadence.overdue_if_started_before(today, rhythm.interval(heightened=True)),
    )


def attention_on_for(plan: SupportPlan) -> dt.date | None:
    """Work out the plan's attention date from its rows (a handful of small queries)."""
    from lotus.improvement.models import PerformancePlan  # a sibling case app: read only

    settings = settings_for(plan.case.organisation_id)
    unsettled = plan.matters.filter(status=MatterStatus.NOT_STARTED).exists()
    last_contact_on = plan.contacts.aggregate(last=Max("contacted_on"))["last"]
    return cadence.attention_from(
        matters_due_on=cadence.matters_due_on(plan.opened_on, settings.service_level_days) if unsettled else None,
        next_contact_due=cadence.next_contact_due(
            opened_on=plan.opened_on, last_contact_on=last_contact_on, cadence=cadence_for(settings),
            heightened=plan.heightened,
        ),
        open_prompts_raised_on=list(plan.prompts.filter(cleared_at__isnull=True).values_list("raised_on", flat=True)),
        adjustment_reviews_on=list(
            plan.adjustments.filter(status__in=ACTIVE_ADJUSTMENT).values_list("review_on", flat=True)
        ),
        plan_reviews_on=list(
            PerformancePlan.objects.filter(case_id=plan.case_id, next_review_on__isnull=False)
            .values_list("next_review_on", flat=True)
        ),
    )


def _with_flags(plans: QuerySet[SupportPlan], limits: AttentionThresholds) -> QuerySet[SupportPlan]:
    """Say why each plan needs attention. Only ever asked of one page of plans."""
    from lotus.improvement.models import PerformancePlan  # a sibling case app: read only

    def contact_since(day: dt.date):
        return Exists(SupportContact.objects.filter(plan=OuterRef("pk"), contacted_on__gte=day))

    heightened = Q(suspended_or_excluded=True) | Q(referred_to_regulator=True)
    normal_day, heightened_day = limits.contact_started_before, limits.contact_started_before_heightened
    return plans.annotate(
        matters_late=Exists(SupportMatter.objects.filter(plan=OuterRef("pk"), status=MatterStatus.NOT_STARTED))
        & Q(opened_on__lt=limits.matters_opened_before),
        prompt_open=Exists(HeightenedSupportPrompt.objects.filter(plan=OuterRef("pk"), cleared_at__isnull=True)),
        adjustment_review_due=Exists(
            Adjustment.objects.filter(plan=OuterRef("pk"), status__in=ACTIVE_ADJUSTMENT, review_on__lte=limits.today)
        ),
        plan_review_due=Exists(
            PerformancePlan.objects.filter(case_id=OuterRef("case_id"), next_review_on__lte=limits.today)
        ),
        # Overdue when the later of the opening and the last contact is before the threshold.
        contact_overdue=(heightened & Q(opened_on__lt=heightened_day) & ~contact_since(heightened_day))
        | (~heightened & Q(opened_on__lt=normal_day) & ~contact_since(normal_day)),
    )


@dataclass
class AttentionPage:
    """One page of the needs-attention list. There is no total: counting every case that
    needs attention would visit all of them, and the page must stay quick at any size."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def needs_attention(user: User, page_number: str | int | None, *, per_page: int = 25) -> AttentionPage:
    """Open cases the user works on whose support needs something doing, the longest
    waiting first. Two queries whatever the number of cases: one indexed range on the
    plans' attention date for the page, then the reasons for that page's plans."""
    try:
        number = max(1, min(int(page_number or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    if not user.has_perm("support.view_needs_attention"):
        return AttentionPage([], 1, False)
    today = timezone.localdate()
    open_case = Case.objects.filter(
        pk=OuterRef("case_id"), organisation_id=user.organisation_id, status__in=list(OPEN_STATUSES)
    )
    plans = SupportPlan.objects.filter(Exists(open_case), attention_on__lte=today)
    if Role.ADMINISTRATOR not in user.roles:
        plans = plans.filter(Exists(CaseTeamMember.objects.filter(case_id=OuterRef("case_id"), user=user)))
    start = (number - 1) * per_page
    ids = list(plans.order_by("attention_on", "id").values_list("pk", flat=True)[start : start + per_page + 1])
    has_next, ids = len(ids) > per_page, ids[:per_page]
    limits = attention_thresholds(settings_for(user.organisation_id), today)
    found = {
        plan.pk: plan
        for plan in _with_flags(SupportPlan.objects.filter(pk__in=ids), limits).select_related(
            "case", "case__practitioner", "case__owner"
        )
    }
    return AttentionPage([found[pk] for pk in ids if pk in found], number, has_next)


def reminders_for(user: User, limit: int = 50) -> list[Reminder]:
    today = timezone.localdate()
    return list(
        Reminder.objects.filter(user=user, due_on__gte=today - dt.timedelta(days=30))
        .filter(case__in=visible_cases(user).values("pk"))
        .select_related("case")[:limit]
    )


# --- Signposting and wellbeing --------------------------------------------------------


def signposts_for(user: User, *, include_inactive: bool = False) -> list[SignpostResource]:
    if not user.has_perm("support.view_signposting"):
        return []
    resources = SignpostResource.objects.filter(organisation_id=user.organisation_id)
    if not include_inactive:
        resources = resources.filter(is_active=True)
    return list(resources)


def signpost_for_admin(user: User, resource_id: int, *, request) -> SignpostResource:
    resource = SignpostResource.objects.filter(pk=resource_id, organisation_id=user.organisation_id).first()
    if resource is None or not user.has_perm("support.manage_signposting"):
        raise deny(user, request, "signpost", resource_id)
    return resource


def wellbeing_rows(user: User) -> list[tuple[str, int, int]]:
    """(quarter, people checked, people reporting low wellbeing (1 or 2)) for the user's
    organisation: counts per distinct practitioner, so one person checked twice counts once."""
    checks = (
        WellbeingCheck.objects.filter(case__organisation_id=user.organisation_id)
        .values_list("checked_on", "rating", "case__practitioner_id")
    )
    people: dict[str, set] = {}
    low: dict[str, set] = {}
    for checked_on, rating, practitioner_id in checks.iterator():
        quarter = f"{checked_on.year} Q{(checked_on.month - 1) // 3 + 1}"
        people.setdefault(quarter, set()).add(practitioner_id)
        if rating <= 2:
            low.setdefault(quarter, set()).add(practitioner_id)
    return [(q, len(people[q]), len(low.get(q, ()))) for q in sorted(people)]


def pastoral_people(case: Case) -> list[tuple[User, bool]]:
    """Every active pastoral contact of the case's organisation, each with whether they
    are on the case team (offered, so that choosing one is refused with the reason)."""
    on_team = set(CaseTeamMember.objects.filter(case=case).values_list("user_id", flat=True))
    people = (
        User.objects.filter(organisation_id=case.organisation_id, is_active=True, role_grants__role=Role.PASTORAL_CONTACT)
        .distinct()
        .order_by("full_name")
    )
    return [(person, person.pk in on_team) for person in people]
