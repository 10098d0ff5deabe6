"""`python -m tests.ops.describe`: print the live database's row counts, audit head, a
digest of the contents of the tables that matter, and the audit triggers installed, as
JSON (run by test_backup in a subprocess against the restored installation, and in the
test process for the source)."""

import hashlib
import json

import django

django.setup()

from django.db import connection  # noqa: E402

from lotus.audit import triggers  # noqa: E402
from lotus.ops.backup import describe_current_database  # noqa: E402

#: Tables whose every row and column is compared after a round trip (the audit table is
#: covered by its keyed chain, which `lotus audit verify` checks).
COMPARED_TABLES = (
    "accounts_organisation", "accounts_user", "accounts_rolegrant", "practitioners_practitioner",
    "cases_case", "cases_caseteammember", "cases_document", "cases_timelineevent", "cases_task",
)


def content_digests() -> dict[str, str]:
    digests = {}
    with connection.cursor() as cursor:
        for table in COMPARED_TABLES:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608 - fixed names
            rows = [[str(value) for value in row] for row in cursor.fetchall()]
            digests[table] = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    return digests


def describe() -> dict:
    description = describe_current_database()
    return {
        "row_counts": description["row_counts"],
        "audit_head": description["audit_head"],
        "contents": content_digests(),
        "triggers": sorted(triggers.installed(connection)),
    }


if __name__ == "__main__":
    print(json.dumps(describe()))
