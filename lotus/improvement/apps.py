from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "lotus.improvement"
    label = "improvement"

    def ready(self) -> None:
        from lotus.cases import hooks

        hooks.case_page_panels.append(improvement_panel)


def improvement_panel(*, user, case) -> dict | None:
    """A link to the case's five-step performance plans, for the people who may see them."""
    if not user.has_perm("improvement.view_plans", case):
        return None
    from lotus.improvement.selectors import plans_for_case

    return {"template": "improvement/_case_panel.jinja", "plans": plans_for_case(case), "case_id": case.pk}
