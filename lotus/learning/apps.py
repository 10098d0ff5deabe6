from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LearningConfig(AppConfig):
    name = "lotus.learning"
    label = "learning"
    verbose_name = "Learning for the system"

    def ready(self) -> None:
        from lotus.cases import hooks
        from lotus.learning import integration

        hooks.after_transition.append(integration.prompt_when_case_closes)
        hooks.case_page_panels.append(integration.learning_panel)
        post_migrate.connect(_standard_factors_after_migrate, sender=self)


def _standard_factors_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    """A flush (the tests' transactional cases, rebuilding the demo) empties the standard
    factors and then sends post_migrate, as it does for content types: load them again. After
    a real migrate the data migration has loaded them and this finds them there."""
    from django.db import connections

    from lotus.learning.models import FactorCategory
    from lotus.learning.sync import vocabulary_ensure

    if FactorCategory._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back past the learning tables
    vocabulary_ensure()
