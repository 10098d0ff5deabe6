"""Reads for the practitioner's own pages. Only their own case, and only what someone
deliberately shared: the shared triage review, sent letters, their own reflections and
consent answers. Internal notes, drafts and the case timeline never reach these pages."""

import datetime as dt
from dataclasses import dataclass, field

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, Document
from lotus.cases.selectors import deny
from lotus.improvement.models import Agreement, PerformancePlan
from lotus.letters.models import Letter
from lotus.portal.models import ConsentRequest, Reflection
from lotus.portal.services import ANSWER_WORDS
from lotus.portal.wording import status_for_practitioner
from lotus.support.models import SignpostResource, SupportPlan
from lotus.triage.models import TriageReview


def own_cases(user: User) -> list[Case]:
    if not user.has_perm("portal.use_portal"):
        return []
    return list(Case.objects.filter(practitioner__user=user).select_related("owner").order_by("-received_on"))


def own_case(user: User, case_id: int, *, request, perm: str = "portal.view_own_case") -> Case:
    case = Case.objects.select_related("practitioner", "owner", "organisation").filter(pk=case_id).first()
    if case is None or not user.has_perm(perm, case):
        raise deny(user, request, "case", case_id)
    return case


def own_letter(user: User, case: Case, letter_id: int, *, request) -> Letter:
    """A sent letter of the user's own case; a draft, or anyone else's letter, is 404."""
    letter = Letter.objects.filter(pk=letter_id, case=case).select_related("case__practitioner").first()
    if letter is None or not user.has_perm("letters.read_own_letter", letter):
        raise deny(user, request, "letter", letter_id)
    audit_append(action=Actions.VIEW, actor=user, object_type="letter", object_id=letter.pk,
                 organisation_id=case.organisation_id, request=request, details={"case": case.pk, "portal": True})
    return letter


def own_consent(user: User, case: Case, consent_id: int, *, request) -> ConsentRequest:
    consent = ConsentRequest.objects.filter(pk=consent_id, case=case).select_related("case").first()
    if consent is None or not user.has_perm("portal.answer_consent", case):
        raise deny(user, request, "consent_request", consent_id)
    return consent


def own_reflection_document(user: User, case: Case, document_id: int, *, request) -> Document:
    """A file the practitioner sent with their own reflections on this case; anything
    else is 404 (and audited as a denial)."""
    document = Document.objects.filter(
        pk=document_id, case=case, reflections__case=case, reflections__author=user
    ).select_related("case").first()
    if document is None or not user.has_perm("portal.view_own_case", case):
        raise deny(user, request, "document", document_id)
    return document


@dataclass
class PractitionerVoice:
    """What the practitioner sent and answered, for the case team's page."""

    reflections: list[Reflection]
    consents: list[ConsentRequest]
    can_ask_consent: bool
    waiting_consent: ConsentRequest | None


def practitioner_voice(user: User, case: Case) -> PractitionerVoice | None:
    """The reflections (with their documents) and consent requests on a case, for those
    allowed to read them; None for anyone else. Reading is audited by the case page."""
    if not user.has_perm("portal.view_practitioner_voice", case):
        return None
    reflections = list(
        Reflection.objects.filter(case=case).select_related("author").prefetch_related("documents")
        .order_by("-created_at", "-id")
    )
    consents = list(ConsentRequest.objects.filter(case=case).select_related("requested_by").order_by("-requested_at"))
    waiting = next((c for c in consents if c.answer == ConsentRequest.Answer.WAITING), None)
    return PractitionerVoice(reflections, consents, user.has_perm("portal.request_consent", case), waiting)


@dataclass
class SharedEvent:
    at: dt.datetime | dt.date
    text: str


@dataclass
class PortalCase:
    case: Case
    status_title: str
    next_steps: str
    timeline: list[SharedEvent]
    triage_shared: bool
    letters: list[Letter]
    reflections: list[Reflection]
    consents: list[ConsentRequest]
    pastoral_contact: User | None = None
    performance_plans: list = field(default_factory=list)
    signposts: list = field(default_factory=list)
    #: Why the triage review is not shared, when that was recorded instead of sharing it.
    triage_not_shared_reason: str = ""


def _support_side(case: Case) -> tuple[User | None, list, list]:
    """What the support side shares with the practitioner: their named pastoral contact,
    any performance plan they have agreed (with its goals), and their organisation's
    sources of support."""
    plan = SupportPlan.objects.filter(case=case).select_related("pastoral_contact").first()
    contact = plan.pastoral_contact if plan is not None else None
    plans = list(
        PerformancePlan.objects.filter(case=case, agreement=Agreement.AGREED)
        .prefetch_related("goals").order_by("-created_at")
    )
    signposts = list(
        SignpostResource.objects.filter(organisation_id=case.organisation_id, is_active=True).order_by("category", "title")
    )
    return contact, plans, signposts


def _sort_key(event: SharedEvent):
    at = event.at
    return at if isinstance(at, dt.datetime) else dt.datetime.combine(at, dt.time.min, tzinfo=dt.UTC)


def portal_case(user: User, case: Case, *, request) -> PortalCase:
    title, next_steps = status_for_practitioner(case.status)
    first = TriageReview.objects.filter(case=case, kind=TriageReview.Kind.FIRST, status=TriageReview.Status.SUBMITTED).first()
    review = first if first is not None and first.shared_at is not None else None
    not_shared = first if first is not None and review is None and first.not_shared_at is not None else None
    letters = list(Letter.objects.filter(case=case, status=Letter.Status.SENT).order_by("-sent_at"))
    reflections = list(
        Reflection.objects.filter(case=case, author=user).prefetch_related("documents").order_by("-created_at")
    )
    consents = list(ConsentRequest.objects.filter(case=case).order_by("-requested_at"))
    events = [SharedEvent(case.received_on, "We received a concern about you")]
    if review is not None:
        events.append(SharedEvent(review.shared_at, "Your triage review was shared with you"))
    if not_shared is not None:
        events.append(SharedEvent(not_shared.not_shared_at, "We told you why your triage review is not shared yet"))
    events += [SharedEvent(letter.sent_at, f"Letter sent to you: {letter.subject}") for letter in letters]
    events += [SharedEvent(r.created_at, "You sent your reflections for the panel") for r in reflections]
    for consent in consents:
        events.append(SharedEvent(consent.requested_at, "We asked for your consent to share an occupational health report"))
        for entry in consent.history:
            events.append(SharedEvent(dt.datetime.fromisoformat(entry["at"]),
                                      f"You {ANSWER_WORDS[ConsentRequest.Answer(entry['answer'])]}"))
    contact, plans, signposts = _support_side(case)
    events += [SharedEvent(plan.agreement_recorded_on or plan.created_at, "You agreed your performance plan")
               for plan in plans]
    events.sort(key=_sort_key, reverse=True)
    audit_append(action=Actions.VIEW, actor=user, object_type="case", object_id=case.pk,
                 organisation_id=case.organisation_id, request=request, details={"portal": True})
    return PortalCase(case, title, next_steps, events, review is not None, letters, reflections, consents,
                      pastoral_contact=contact, performance_plans=plans, signposts=signposts,
                      triage_not_shared_reason=not_shared.not_shared_reason if not_shared is not None else "")
