"""The run's axe tally: every page load axe checked, and the findings below the blocking
level, for the summary at the end of the run.

`Journey` adds to it as it checks pages. Under pytest-xdist each worker process keeps its
own tally, and the summary is written by the controller, which runs no test: each worker
hands its tally over in its `workeroutput` when it finishes, and the controller adds them
up (the hooks are in tests/conftest.py, which the controller loads). This module imports
nothing heavy, so the controller does not load Playwright to print a summary.
"""

#: Non-blocking findings (moderate, minor) across the run.
AXE_FINDINGS: set[str] = set()
#: Every page load checked in the run.
PAGES_CHECKED: list[str] = []

WORKEROUTPUT_KEY = "lotus_axe_tally"


def export() -> dict:
    """This process's tally, in a form execnet can send (lists of strings)."""
    return {"pages_checked": list(PAGES_CHECKED), "findings": sorted(AXE_FINDINGS)}


def absorb(tally: dict) -> None:
    """Add a worker's exported tally to this process's."""
    PAGES_CHECKED.extend(tally.get("pages_checked", []))
    AXE_FINDINGS.update(tally.get("findings", []))


def write_summary(terminalreporter) -> None:
    """Say how many pages axe checked, and list findings below the blocking level."""
    if not PAGES_CHECKED:
        return
    terminalreporter.write_line(
        f"axe (WCAG 2.2 AA) checked {len(PAGES_CHECKED)} page loads, "
        f"{len(set(PAGES_CHECKED))} distinct pages"
    )
    if AXE_FINDINGS:
        terminalreporter.section("axe: moderate and minor findings (not failing)")
        for line in sorted(AXE_FINDINGS):
            terminalreporter.write_line(line)
