"""The five steps: short pages with figures, each section ending with its exercises."""

import pytest
from django.urls import reverse

from lotus.toolkit.content import EXERCISES, STEPS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("step", STEPS, ids=[s.slug for s in STEPS])
def test_each_step_has_its_sections_figures_and_exercises(client_for, step):
    page = client_for("pastoral_contact").get(reverse("toolkit:show_step", args=[step.slug])).content.decode()
    for anchor, heading in step.sections:
        assert f'id="{anchor}"' in page and heading in page
    for exercise in EXERCISES:
        link = reverse("toolkit:start_entry", args=[exercise.slug])
        assert (link in page) == (exercise.step == step.slug), exercise.code
    for slug in step.instruments:
        assert reverse("toolkit:start_assessment", args=[slug]) in page


def test_a_section_ends_with_its_own_exercises(client_for):
    page = client_for("case_manager").get(reverse("toolkit:show_step", args=["learn"])).content.decode()
    four_elements = page.index('id="four-elements"')
    pillars = page.index('id="four-pillars"')
    assert four_elements < page.index("/toolkit/reflections/new/1-3-i/") < pillars
    assert four_elements < page.index("/toolkit/assessments/take/four-elements/") < pillars
    assert pillars < page.index("/toolkit/reflections/new/1-4-i/")


def test_marking_steps_read_shows_progress(client_for):
    client = client_for("analyst")
    assert "You have read 0 of 5 steps" in client.get(reverse("toolkit:home")).content.decode()
    response = client.post(reverse("toolkit:mark_step_read", args=["strengthen"]))
    assert response["Location"] == reverse("toolkit:show_step", args=["strengthen"])
    assert "You have read 1 of 5 steps" in client.get(reverse("toolkit:home")).content.decode()
    assert client.post(reverse("toolkit:mark_step_read", args=["nowhere"])).status_code == 404
    assert client.get(reverse("toolkit:show_step", args=["nowhere"])).status_code == 404
