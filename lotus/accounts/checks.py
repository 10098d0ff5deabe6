"""`manage.py check --deploy`: a live service must not hold the demo's data.

The demo loader marks its installation with the demo flag (core.ServiceFlag) and its
accounts with `User.mfa_exempt_in_demo`; the accounts share a public password. Production
settings already refuse the demo's sign-in shortcut (LOTUS_DEMO_SIGN_IN), but a database
carrying either mark was loaded with fictional data and published passwords, so the deploy
check fails (an Error, not a Warning) until it is replaced with a clean database.
"""

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections

from lotus.core.models import ServiceFlag

DEMO_DATA_ERROR = "accounts.E001"
DATABASE_UNREACHABLE = "accounts.W001"


def _tables(alias: str) -> set[str] | None:
    """The database's table names, or None when it cannot be reached."""
    try:
        with connections[alias].cursor() as cursor:
            return set(connections[alias].introspection.table_names(cursor))
    except DatabaseError:
        return None


@register(Tags.security, deploy=True)
def check_no_demo_data(app_configs, databases=None, **kwargs):
    from lotus.accounts.models import User

    messages = []
    # `check --deploy` does not pass `databases`; look at the default database then, as
    # the running service would.
    for alias in databases or ["default"]:
        tables = _tables(alias)
        if tables is None:
            messages.append(Warning(
                "Could not reach the database to check it holds no demo data.",
                hint="Run `lotus check --deploy` again once the database is reachable.",
                id=DATABASE_UNREACHABLE,
            ))
            continue
        found = []
        # A database that is not migrated yet holds no demo data either.
        if ServiceFlag._meta.db_table in tables and (
            ServiceFlag.objects.using(alias).filter(name=ServiceFlag.DEMO_DATA, enabled=True).exists()
        ):
            found.append("the demo data flag is set")
        if User._meta.db_table in tables:
            accounts = User.objects.using(alias).filter(mfa_exempt_in_demo=True).count()
            if accounts:
                found.append(f"{accounts} demo account{'s' if accounts != 1 else ''} (public password)")
        if found:
            messages.append(Error(
                f"The database holds demo data: {'; '.join(found)}.",
                hint="A live service must start from an empty database. Do not load the demo "
                "(`lotus demo`) here; create a new database, migrate it and add real accounts.",
                id=DEMO_DATA_ERROR,
            ))
    return messages
