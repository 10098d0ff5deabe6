"""What learning hands to the case pages and services below it (lotus.cases.hooks)."""

from lotus.learning.services import prompt_when_case_closes

__all__ = ["learning_panel", "prompt_when_case_closes"]


def learning_panel(*, user, case) -> dict | None:
    """The case page's panel: the case's reviews and, for those who may, a way to start one."""
    if not user.has_perm("learning.view_reviews", case):
        return None
    from lotus.learning.selectors import case_panel

    return {"template": "learning/_case_panel.jinja", **case_panel(user, case)}
