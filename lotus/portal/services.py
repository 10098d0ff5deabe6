"""What a practitioner changes through their own pages, and the consent request the panel
starts. Validated, saved in one transaction, put on the case timeline and audited; the
case manager is told of every consent answer."""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from lotus.accounts.models import User
from lotus.audit.services import Actions, audit_append
from lotus.cases import hooks
from lotus.cases import services as case_services
from lotus.cases.filetypes import UploadRefused, classify_upload
from lotus.cases.models import Case, Document, TimelineEvent
from lotus.cases.storage import DocumentStoreUnavailable
from lotus.cases.workflow import FINAL_STATUSES
from lotus.core.jinja2 import nhs_date
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
                                 kind=TimelineEvent.Kind.VOICE, title=title[:200])


REFLECTION_MAX_FILES = 5


def reflection_add(
    *, actor: User, case: Case, text: str, files: Sequence[tuple[str, bytes]] = (), request=None
) -> Reflection:
    """Save the practitioner's reflections with any files they attached, all or nothing.

    `files` holds (name as sent, content) pairs. Every file is checked before anything is
    stored; the files become documents on the case, so the case team and the panel read
    them with the same download checks and audit as any other document."""
    if not actor.has_perm("portal.add_reflection", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({"text": "Your case is closed, so nothing more can be added"})
    text = (text or "").strip()
    files = list(files)
    if not text and not files:
        raise ValidationError({"text": "Enter your reflections or response, or add a document"})
    if len(text) > REFLECTION_LIMIT:
        raise ValidationError({"text": f"Your reflections must be {REFLECTION_LIMIT:,} characters or fewer"})
    if len(files) > REFLECTION_MAX_FILES:
        raise ValidationError({"documents": f"Add {REFLECTION_MAX_FILES} documents or fewer at a time"})
    for name, data in files:
        try:
            classify_upload(name, data, max_bytes=settings.DOCUMENT_MAX_BYTES)
        except UploadRefused as refusal:
            audit_append(action=Actions.UPLOAD_REFUSED, actor=actor, object_type="case", object_id=case.pk,
                         organisation_id=case.organisation_id, request=request,
                         details={"reason": str(refusal), "size_bytes": len(data), "portal": True})
            raise ValidationError({"documents": f"{_shown_name(name)}: {refusal}"}) from refusal
    stored: list[Document] = []
    try:
        with transaction.atomic():
            reflection = Reflection.objects.create(case=case, author=actor, text=text, created_at=timezone.now())
            for name, data in files:
                stored.append(case_services.document_store(
                    actor=actor, case=case, title=f"From the practitioner: {name}", file_name=name, data=data,
                    request=request, timeline_title="The practitioner sent a document with their reflections",
                ))
            reflection.documents.set(stored)
            _timeline(case, actor, "The practitioner added their reflections for the panel")
            _audit(actor, Actions.CREATE, "reflection", reflection.pk, case, request,
                   documents=[document.pk for document in stored])
    except BaseException as error:
        for document in stored:
            case_services.document_remove_stored(document)
        if isinstance(error, DocumentStoreUnavailable):
            raise ValidationError({"documents": str(error)}) from error
        raise
    return reflection


def _shown_name(name: str) -> str:
    """A file name safe to repeat back in a message: printable, and not too long."""
    shown = "".join(ch for ch in name if ch.isprintable())[:80]
    return shown or "The file"


CONSENT_REASON_LIMIT = 2000


def _consent_request_create(*, case: Case, actor: User, reason: str, request, source: str) -> ConsentRequest:
    consent = ConsentRequest.objects.create(case=case, reason=reason, requested_by=actor,
                                            requested_at=timezone.now())
    _timeline(case, actor, "Consent asked for an occupational health report")
    _audit(actor, Actions.CREATE, "consent_request", consent.pk, case, request, source=source)
    practitioner_user = case.practitioner.user
    if practitioner_user is not None and practitioner_user.email:
        transaction.on_commit(
            lambda: send_mail(
                subject="LOTUS: we have asked for your consent",
                message=(
                    "We have asked for your consent to share an occupational health report. "
                    "Sign in to LOTUS to read why we are asking and to give your answer. "
                    "If you have questions, contact your case manager."
                ),
                from_email=None,
                recipient_list=[practitioner_user.email],
                fail_silently=True,
            )
        )
    return consent


def consent_request_open(*, case: Case, actor: User, reason: str = OH_REASON, request=None,
                         source: str = "panel decision") -> ConsentRequest:
    """Ask the practitioner for consent as part of something else (a panel decision for an
    occupational health assessment, an occupational health referral). A request still
    waiting for an answer is reused rather than asking twice."""
    existing = ConsentRequest.objects.filter(case=case, answer=ConsentRequest.Answer.WAITING).first()
    if existing is not None:
        return existing
    return _consent_request_create(case=case, actor=actor, reason=reason, request=request, source=source)


@transaction.atomic
def consent_request_ask(*, actor: User, case: Case, reason: str, request=None) -> ConsentRequest:
    """A case manager asks for consent by hand, giving the reason the practitioner reads."""
    if not actor.has_perm("portal.request_consent", case):
        raise PermissionDenied
    if case.status in FINAL_STATUSES:
        raise ValidationError({"reason": "This case is closed, so you cannot ask for consent"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are asking for the report"})
    if len(reason) > CONSENT_REASON_LIMIT:
        raise ValidationError({"reason": f"The reason must be {CONSENT_REASON_LIMIT:,} characters or fewer"})
    Case.objects.select_for_update().filter(pk=case.pk).first()
    waiting = ConsentRequest.objects.filter(case=case, answer=ConsentRequest.Answer.WAITING).first()
    if waiting is not None:
        raise ValidationError({"reason": (
            "The practitioner has not answered the request made on "
            f"{nhs_date(waiting.requested_at)} yet. Wait for their answer before asking again"
        )})
    return _consent_request_create(case=case, actor=actor, reason=reason, request=request, source="by hand")


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
    hooks.run_consent_answered(actor=actor, consent=current, request=request)
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
