"""Each user's sessions: recorded when they start, ended together when they must be.

A session is recorded through Django's user_logged_in signal rather than inside the
sign-in service, because every way of signing a session in (the sign-in page, the test
client, a future single sign-on) must be tracked and time-limited, or ending "all other
sessions" would miss one. The signal does bookkeeping only; the decisions stay in the
services and middleware.
"""

import datetime as dt
import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.utils import timezone

from lotus.accounts.models import UserSession

#: Unix time the session signed in (for the absolute limit).
SIGNED_IN_AT = "lotus_signed_in_at"
#: Unix time of the session's last request (for the idle limit), kept to the minute.
LAST_SEEN_AT = "lotus_last_seen_at"
#: Unix time the person last typed their password in this session.
REAUTHENTICATED_AT = "lotus_reauthenticated_at"
#: Why the previous session was ended, shown once on the sign-in page.
SIGNED_OUT_REASON = "lotus_signed_out_reason"

#: How recently the password must have been typed before two-step verification changes.
REAUTHENTICATION_SECONDS = 10 * 60
#: last-seen is rewritten at most this often, so not every request writes the session.
LAST_SEEN_RESOLUTION_SECONDS = 60


def now() -> int:
    return int(time.time())


def idle_limit_seconds() -> int:
    return settings.LOTUS_SESSION_IDLE_MINUTES * 60


def absolute_limit_seconds() -> int:
    return settings.LOTUS_SESSION_ABSOLUTE_HOURS * 3600


def session_track(*, request, user) -> None:
    """Record the request's (new) session as `user`'s and start its clocks."""
    session = request.session
    if session.session_key is None:
        session.save()
    stamp = now()
    session[SIGNED_IN_AT] = stamp
    session[LAST_SEEN_AT] = stamp
    UserSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def session_rekey(*, request, user) -> None:
    """Give the session a new key (after a privilege step) and keep tracking it."""
    old_key = request.session.session_key
    request.session.cycle_key()
    session_key_changed(old_key=old_key, request=request, user=user)


def session_key_changed(*, old_key: str | None, request, user) -> None:
    """Follow a session whose key Django has just changed (for example on a new password)."""
    if old_key:
        UserSession.objects.filter(session_key=old_key).delete()
    UserSession.objects.update_or_create(session_key=request.session.session_key, defaults={"user": user})


def session_limit_passed(session) -> str | None:
    """"idle" or "absolute" if the session has run out, else None (and note the visit)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT, signed_in_at)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        return "absolute"  # a session from before limits were recorded: start again
    moment = now()
    if moment - signed_in_at >= absolute_limit_seconds():
        return "absolute"
    if moment - last_seen_at >= idle_limit_seconds():
        return "idle"
    if moment - last_seen_at >= LAST_SEEN_RESOLUTION_SECONDS:
        session[LAST_SEEN_AT] = moment
    return None


def sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every session of `user` except `keep_session_key`; return how many ended.

    Finding them is one indexed query on UserSession, never a scan of the session table.
    """
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    keys = list(rows.values_list("session_key", flat=True))
    if keys:
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        for key in keys:
            store.delete(key)
        UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def reauthenticated_recently(session) -> bool:
    stamp = session.get(REAUTHENTICATED_AT)
    return isinstance(stamp, int) and now() - stamp < REAUTHENTICATION_SECONDS


def mark_reauthenticated(session) -> None:
    session[REAUTHENTICATED_AT] = now()


def prune_stale(*, user) -> None:
    """Forget rows for sessions that must have run out anyway (the table stays small)."""
    cutoff = timezone.now() - dt.timedelta(seconds=absolute_limit_seconds())
    UserSession.objects.filter(user=user, created_at__lt=cutoff).delete()


@receiver(user_logged_in, dispatch_uid="lotus_track_session")
def _track_signed_in_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    prune_stale(user=user)
    session_track(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="lotus_forget_session")
def _forget_signed_out_session(sender, request, user, **kwargs):
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key).delete()
