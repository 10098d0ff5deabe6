"""Fictional demo data (`lotus demo`). Never installed in production settings.

Every name, number and organisation here is invented. The generator is seeded, so two
runs produce the same data, and it is idempotent: a second run changes nothing.

The demo is built in steps, listed in DEMO_STEPS in the order they run. Each step is a
function of the run (`DemoRun`) that adds its records once and does nothing when they are
there already, so an installation loaded before a step existed gains it on the next run.
To add a step, write it in its own module of this package (or beside it, as
`lotus/nonprod/demo_icb.py`) and add one line to DEMO_STEPS.

Steps that tell what happened over the past year put their stories on the run's clock
(`run.clock`, lotus/nonprod/demo/clock.py) rather than writing at once; the "clock" step
then plays every story forward to today, all in time order. A step after it writes at
the real time.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from lotus.accounts.models import Organisation, User
from lotus.core.models import ServiceFlag
from lotus.nonprod import demo_icb
from lotus.nonprod.demo.caseload import load_caseload
from lotus.nonprod.demo.clock import DemoClock
from lotus.nonprod.demo.history import load_history
from lotus.nonprod.demo.panel import load_panel
from lotus.nonprod.demo.people import (
    DEMO_PASSWORD,
    DEMO_USERS,
    ORGANISATIONS,
    demo_is_loaded,
    demo_sign_ins,
    home_organisation,
    let_demo_accounts_skip_mfa,
    load_people,
)
from lotus.nonprod.demo.support import load_support
from lotus.nonprod.demo.toolkit import load_toolkit
from lotus.nonprod.demo_workforce import load_demo_workforce

SEED = 2026


@dataclass
class DemoRun:
    """One run of the loader: the seed, and whether this run made the organisations and
    accounts (a first load) or found them (a later run)."""

    seed: int
    first_load: bool = False
    organisations: list[Organisation] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    practitioners: list = field(default_factory=list)
    clock: DemoClock = field(default_factory=DemoClock)

    def rng(self, step: str) -> random.Random:
        """A generator of its own for each step, so adding a step never changes another's data."""
        return random.Random(f"{self.seed}:{step}")


def _people(run: DemoRun) -> None:
    """Organisations, one sign-in account per role, and the first practitioners."""
    if demo_is_loaded():
        let_demo_accounts_skip_mfa()
        return
    run.first_load = True
    # The caseload shares the people's generator, as it did before the demo had steps.
    run.shared_rng = random.Random(run.seed)
    run.organisations, run.users, run.practitioners = load_people(run.shared_rng)


def _history(run: DemoRun) -> None:
    """Fifteen months of cases, panels, letters, lessons-learnt reviews and actions
    (skipped when the history's second advisor exists)."""
    load_history(run, run.clock)


def _caseload(run: DemoRun) -> None:
    """Forty cases at every status, with triage and tasks (only on a first load)."""
    if run.first_load:
        load_caseload(run.shared_rng, run.organisations, run.users, run.practitioners, run.clock)


def _play_the_clock(run: DemoRun) -> None:
    """Everything the steps above put on the clock, played in time order up to now."""
    run.clock.run()


def _support(run: DemoRun) -> None:
    """Support plans, pastoral contact, adjustments and a performance plan (first load only)."""
    if run.first_load:
        load_support(run.shared_rng, run.organisations, run.users)


def _toolkit(run: DemoRun) -> None:
    """The demo case manager's leadership toolkit records (skipped when they exist)."""
    load_toolkit(random.Random(run.seed))


def _panel(run: DemoRun) -> None:
    """Last week's panel meeting, its decisions and letters (skipped when there is one)."""
    load_panel()


def _icb(run: DemoRun) -> None:
    """The ICB, its member providers, its analyst and last year's report sent to it
    (docs/adr/0023; skipped when they exist)."""
    demo_icb.load_icb()


def _workforce(run: DemoRun) -> None:
    """The first organisation's workforce figures, the equity dashboard's denominators
    (issue 13; skipped when they exist)."""
    load_demo_workforce(home_organisation())


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoRun], None]


#: The demo, in the order it is loaded. Every step adds its records once.
DEMO_STEPS: tuple[DemoStep, ...] = (
    DemoStep("people", _people),
    DemoStep("history", _history),
    DemoStep("caseload", _caseload),
    DemoStep("clock", _play_the_clock),
    DemoStep("support", _support),
    DemoStep("toolkit", _toolkit),
    DemoStep("panel", _panel),
    DemoStep("icb", _icb),
    DemoStep("workforce", _workforce),
)


@transaction.atomic
def load_demo(*, seed: int = SEED) -> bool:
    """Load the demo data set once. Returns False if it was already there."""
    run = DemoRun(seed=seed)
    for step in DEMO_STEPS:
        step.run(run)
    ServiceFlag.objects.update_or_create(name=ServiceFlag.DEMO_DATA, defaults={"enabled": True})
    return run.first_load


# The test of the panel step calls it directly.
_demo_panel = load_panel

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_STEPS",
    "DEMO_USERS",
    "ORGANISATIONS",
    "DemoRun",
    "DemoStep",
    "demo_is_loaded",
    "demo_sign_ins",
    "load_demo",
]
