"""Start-up checks for a production installation that runs several processes."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from lotus.config.env import SettingError, env_int
from lotus.ops.serve import default_workers


def gunicorn_workers() -> int:
    return env_int("LOTUS_WORKERS", default_workers(), minimum=1)


@register()
def check_shared_cache(app_configs, **kwargs):
    """ops.W001: several gunicorn workers but no shared cache, so each counts the API's
    rate limits on its own. Production settings only; the embedded default is one
    person's machine, where that does not matter."""
    if not getattr(settings, "LOTUS_PRODUCTION", False) or settings.REDIS_URL:
        return []
    try:
        workers = gunicorn_workers()
    except SettingError as error:
        return [Error(str(error), id="ops.E001")]
    if workers <= 1:
        return []
    return [
        Warning(
            f"{workers} worker processes (LOTUS_WORKERS) run without a shared cache, so each "
            f"counts the API's rate limits on its own: a client may make up to {workers} times "
            "the limit you set.",
            hint="Set REDIS_URL (for example redis://127.0.0.1:6379/0), or LOTUS_WORKERS=1.",
            id="ops.W001",
        )
    ]
