"""Fail the build if a view module queries models directly.

Views call selectors (reads) and services (writes); `Model.objects` in a view skips the
access policy and the audit trail, so it is not allowed.
"""

import pathlib
import re
import sys

PATTERN = re.compile(r"\b[A-Z]\w*\.objects\b")
root = pathlib.Path(__file__).resolve().parents[1] / "lotus"
offences = []
for path in sorted(root.rglob("views*.py")) + sorted(root.rglob("views/*.py")):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if PATTERN.search(line):
            offences.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()}")
if offences:
    print("Views must not query models directly; use a selector or service:")
    print("\n".join(offences))
    sys.exit(1)
print("Views check: no direct model queries.")
