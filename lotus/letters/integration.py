"""The letters app's hooks into the panels (lotus.panels.hooks): a decision recorded
opens its outcome letter. Letters depend on panels, never the reverse (ADR 0018)."""


def draft_outcome_letter(recorded) -> None:
    from lotus.letters.services import draft_for_decision

    draft_for_decision(decision=recorded.decision, actor=recorded.actor, request=recorded.request)
