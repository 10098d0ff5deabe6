"""The benchmark seeders of lotus.nonprod.learning_scale write rows the models accept: a
column added to a model without a default in the seeder fails here, not in a benchmark."""

import pytest

from lotus.nonprod import learning_scale
from lotus.panels.models import Decision

pytestmark = pytest.mark.django_db


def test_seeded_decisions_have_every_column_the_model_needs(world):
    assert learning_scale.seed_decisions(world.organisation, [world.case.pk], chair=world.users["panel_member"]) == 1
    decision = Decision.objects.get()
    assert decision.item.case == world.case and decision.outcomes and decision.prompts_shown == []
    decision.full_clean()
