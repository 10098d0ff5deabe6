"""In CI (CI=true) a missing Chromium fails the run instead of skipping the browser tests
(issue 19, point 10): the decision in tests/system/conftest.py, and a real pytest run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.system.conftest import missing_browser_action

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("available", "environ", "action"),
    [
        (True, {"CI": "true"}, "run"),
        (True, {}, "run"),
        (False, {}, "skip"),
        (False, {"CI": "false"}, "skip"),
        (False, {"CI": "true"}, "fail"),
        (False, {"CI": "1"}, "fail"),
    ],
)
def test_a_missing_browser_fails_only_in_ci(available, environ, action):
    assert missing_browser_action(available=available, environ=environ) == action


def run_axe_harness(ci: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(CI=ci, LOTUS_CHROMIUM="/nonexistent/chromium")
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/system/test_axe_harness.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_pytest_fails_in_ci_and_skips_locally_without_chromium():
    result = run_axe_harness("true")
    assert result.returncode != 0
    assert "CI is set but Chromium is not at /nonexistent/chromium" in result.stdout + result.stderr
    result = run_axe_harness("false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" in result.stdout
