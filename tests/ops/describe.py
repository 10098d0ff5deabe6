"""`python -m tests.ops.describe`: print the live database's row counts and audit head as
JSON (run by test_backup in a subprocess against the restored installation)."""

import json

import django

django.setup()

from lotus.ops.backup import describe_current_database  # noqa: E402

if __name__ == "__main__":
    description = describe_current_database()
    print(json.dumps({"row_counts": description["row_counts"], "audit_head": description["audit_head"]}))
