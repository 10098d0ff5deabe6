"""Bring the standard contributory factors into line with lotus/learning/data/factors.yaml."""

from django.core.management.base import BaseCommand

from lotus.learning.models import Factor, FactorCategory
from lotus.learning.sync import vocabulary_sync


class Command(BaseCommand):
    help = "Load or update the standard contributory factors from the learning app's YAML file"

    def handle(self, *args, **options):
        counts = vocabulary_sync(category_model=FactorCategory, factor_model=Factor)
        self.stdout.write(
            f"Standard factors in line with the file: {counts['categories']} categories and "
            f"{counts['factors']} factors added, {counts['retired']} retired"
        )
