"""An organisation's panel settings, read by panels and by the apps beside it (letters
name the panel in what they send). It creates the row of safe defaults the first time."""

from lotus.panels.models import PanelSettings

__all__ = ["settings_for"]


def settings_for(organisation_id: int) -> PanelSettings:
    found = PanelSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        found, _ = PanelSettings.objects.get_or_create(organisation_id=organisation_id)
    return found
