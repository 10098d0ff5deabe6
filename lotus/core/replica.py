"""Analytics reads from a read replica (issue 17; docs/adr/0029).

With `DATABASE_REPLICA_URL` set, the settings add a database alias "replica" and this
router. A view marked `@reads_from_replica` (the insights pages that count cases: themes,
the equity dashboard, an ICB's side-by-side views) sends its reads of case data to the
replica. Everything else stays on the primary:

- every write, and every read inside a transaction on the primary (a page that writes
  and then reads sees its own write);
- every read outside a marked view;
- inside a marked view, every read of what access control rests on: accounts (users, role
  grants, memberships, two-step devices), sessions, permissions, the audit chain and the
  task queue. A grant removed a moment ago must stop a read at once, whatever the
  replica's lag.

A replica lags its primary a little: counts of cases may be a few seconds old, which an
analyst reading trends over quarters and years cannot tell. Without the setting nothing
here runs and there is one database, as before.
"""

from __future__ import annotations

import contextvars
import functools

from django.db import connections

REPLICA = "replica"
#: The apps whose rows an analytics page may read from the replica: case data, never
#: what decides who may see it.
REPLICA_APPS = frozenset({
    "cases", "triage", "panels", "letters", "support", "learning", "insights", "practitioners", "improvement",
})

_analytics = contextvars.ContextVar("lotus_replica_reads", default=False)


def reads_from_replica(view):
    """Mark a read-only view whose case-data reads may come from the replica."""

    @functools.wraps(view)
    def marked(*args, **kwargs):
        token = _analytics.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _analytics.reset(token)

    return marked


def replica_reads_active() -> bool:
    return _analytics.get()


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """Reads of case data inside a marked view go to the replica; the rest as above."""

    def db_for_read(self, model, **hints):
        if not _analytics.get() or model._meta.app_label not in REPLICA_APPS:
            return None
        if not replica_configured() or connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: a relation across them is one relation

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # a replica copies the primary's schema; it is never migrated itself
