import importlib

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "lotus.insights"
    label = "insights"

    def ready(self):
        # The themes and trends sections register themselves (lotus/insights/sections.py),
        # and so do the parts of the annual reports (lotus/insights/reports/parts.py).
        from lotus.insights.reports.parts import PART_MODULES
        from lotus.insights.sections import SECTION_MODULES

        for module in (*SECTION_MODULES, *PART_MODULES):
            importlib.import_module(module)

        # The consistency prompt on the panel's decision form (issue 13).
        from lotus.insights.equity.prompt import consistency_prompt
        from lotus.panels import hooks as panel_hooks

        if consistency_prompt not in panel_hooks.decision_prompts:
            panel_hooks.decision_prompts.append(consistency_prompt)
