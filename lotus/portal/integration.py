"""The portal's hook into the case page (lotus.cases.hooks): what the practitioner sent
and answered, shown to the case team who may read evidence."""


def voice_panel(*, user, case) -> dict | None:
    from lotus.portal.models import ConsentRequest
    from lotus.portal.selectors import practitioner_voice

    voice = practitioner_voice(user, case)
    if voice is None:
        return None
    return {"template": "portal/_case_panel.jinja", "voice": voice, "case": case,
            "answer_labels": dict(ConsentRequest.Answer.choices)}


def ask_consent_after_decision(recorded) -> None:
    """A panel decision for an occupational health assessment asks the practitioner for
    consent to share the report (lotus.panels.hooks.decision_recorded)."""
    from lotus.panels.outcomes import Outcome
    from lotus.portal.services import consent_request_open

    if Outcome.OCCUPATIONAL_HEALTH.value in recorded.outcomes:
        consent_request_open(case=recorded.case, actor=recorded.actor, request=recorded.request)


def reflections_for_panel(case_ids) -> dict:
    """The practitioner's reflections on these cases, as the panel reads them
    (lotus.panels.hooks.item_reflections). The panel's selectors decide who may read them."""
    from lotus.panels.hooks import PaperDocument, ReflectionPaper
    from lotus.portal.models import Reflection

    found: dict[int, list] = {}
    reflections = Reflection.objects.filter(case_id__in=list(case_ids)).prefetch_related("documents")
    for reflection in reflections.order_by("created_at", "id"):
        documents = tuple(
            PaperDocument(id=document.pk, name=document.original_name, is_withdrawn=document.is_withdrawn)
            for document in reflection.documents.all()
        )
        found.setdefault(reflection.case_id, []).append(
            ReflectionPaper(text=reflection.text, sent_at=reflection.created_at, documents=documents)
        )
    return found
