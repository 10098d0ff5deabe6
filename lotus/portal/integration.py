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
