"""What a practitioner changes through their own pages, and the consent request the panel
starts. Validated, saved in one transaction, put on the case timeline and audited; the
case manager is told of every consent answer."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.workflow import FINAL_STATUSES
from lotus.portal.models import ConsentRequest, Reflection

REFLECTION_LIMIT = 20000
OH_REASON = (
    "The panel would like to read an occupational health report about you. It helps the panel "
    "understand any health needs you have, and what support or changes at work might help you."
)


def _audit(actor, action: str, object_type: str, object_id, case: Case, request, **details) -> None:
    audit_append(action=action, actor=actor, object_type=object_type, object_id=object_id,
                 organisation_id=case.organisation_id, request=request, details={"case": case.pk, **details})


def _timeline(case: Case, actor, title: str) -> None:
    TimelineEvent.objects.create(case=case, occurred_at=timezone.now(), actor=actor,
                                 kind=TimelineEvent.Kind.NOTE, title=title[:200])


@transaction.atomic
def reflection_add(*, actor: User, case: Case, text: str, request=None) -> Reflection:
    if not actor.has_perm("portal.add_reflection", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({"text": "Your case is closed, so nothing more can be added"})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your reflections or response"})
    if len(text) > REFLECTION_LIMIT:
        raise ValidationError({"text": f"Your reflections must be {REFLECTION_LIMIT:,} characters or fewer"})
    reflection = Reflection.objects.create(case=case, author=actor, text=text, created_at=timezone.now())
    _timeline(case, actor, "The practitioner added their reflections for the panel")
    _audit(actor, Actions.CREATE, "reflection", reflection.pk, case, request)
    return reflection


def consent_request_open(*, case: Case, actor: User, reason: str = OH_REASON, request=None) -> ConsentRequest:
    """Ask the practitioner for consent (called when the panel decides on an occupational
    health assessment). One open request per case is enough."""
    existing = ConsentRequest.objects.filter(case=case, answer=ConsentRequest.Answer.WAITING).first()
    if existing is not None:
        return existing
    consent = ConsentRequest.objects.create(case=case, reason=reason, requested_by=actor,
                                            requested_at=timezone.now())
    _timeline(case, actor, "Consent asked for an occupational health report")
    _audit(actor, Actions.CREATE, "consent_request", consent.pk, case, request)
    return consent


ALLOWED_ANSWERS = {
    ConsentRequest.Answer.WAITING: {ConsentRequest.Answer.GIVEN, ConsentRequest.Answer.DECLINED},
    ConsentRequest.Answer.GIVEN: {ConsentRequest.Answer.WITHDRAWN},
    ConsentRequest.Answer.DECLINED: {ConsentRequest.Answer.GIVEN},
    ConsentRequest.Answer.WITHDRAWN: {ConsentRequest.Answer.GIVEN},
}

ANSWER_WORDS = {
    ConsentRequest.Answer.GIVEN: "gave consent",
    ConsentRequest.Answer.DECLINED: "declined consent",
    ConsentRequest.Answer.WITHDRAWN: "withdrew consent",
}


@transaction.atomic
def consent_answer(*, actor: User, consent: ConsentRequest, answer: str, request=None) -> ConsentRequest:
    case = consent.case
    if not actor.has_perm("portal.answer_consent", case):
        raise PermissionDenied
    current = ConsentRequest.objects.select_for_update().get(pk=consent.pk)
    if answer not in ALLOWED_ANSWERS[ConsentRequest.Answer(current.answer)]:
        raise ValidationError({"answer": "Select one of the answers given"})
    now = timezone.now()
    current.answer = answer
    current.answered_at = now
    current.history = [*current.history, {"answer": answer, "at": now.isoformat()}]
    current.save(update_fields=["answer", "answered_at", "history"])
    words = ANSWER_WORDS[ConsentRequest.Answer(answer)]
    _timeline(case, actor, f"The practitioner {words} to share an occupational health report")
    _audit(actor, Actions.CHANGE, "consent_request", current.pk, case, request, answer=answer)
    owner = case.owner
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{case.reference}: the practitioner {words}",
            message=(
                f"The practitioner on case {case.reference} {words} to share an occupational health report. "
                "Sign in to LOTUS to see the case."
            ),
            from_email=None,
            recipient_list=[owner.email],
            fail_silently=True,
        )
    )
    return current
