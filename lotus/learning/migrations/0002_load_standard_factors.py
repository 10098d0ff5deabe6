"""Load the standard contributory factors from lotus/learning/data/factors.yaml.

The sync is the same one `manage.py learning_vocabulary` runs, given this migration's
historical models; running it again changes nothing that is already in line."""

from django.db import migrations


def load(apps, schema_editor):
    from lotus.learning.sync import vocabulary_sync

    vocabulary_sync(
        category_model=apps.get_model("learning", "FactorCategory"),
        factor_model=apps.get_model("learning", "Factor"),
    )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_reviews_factors_actions_summaries")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
