"""Production never honours the demo's sign-in shortcut, and `check --deploy` fails on a
database that holds demo data (issue 19, point 2).

The demo loader sets a flag in the database and marks its accounts, which share a public
password. Whatever the database says, production settings make those accounts use a
second factor; and the deploy check says so loudly (an Error) instead of nothing.
"""

import subprocess
import sys
import textwrap
from unittest import mock

import pytest
from django.core.checks import Error, Warning, run_checks
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse

from lotus.accounts import checks
from lotus.accounts.roles import Role
from lotus.core.models import ServiceFlag
from lotus.nonprod.demo import DEMO_PASSWORD
from tests.accounts.helpers import password_step
from tests.factories import UserFactory
from tests.security.test_production_settings import ROOT, production_env

SET_UP = "/account/two-step-verification/"


def demo_ids() -> list[str]:
    return [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("accounts.")]


@pytest.fixture
def demo_account(world):
    ServiceFlag.objects.create(name=ServiceFlag.DEMO_DATA, enabled=True)
    user = UserFactory(organisation=world.organisation, roles=[Role.CASE_MANAGER], mfa_exempt_in_demo=True)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def test_with_the_production_switch_off_a_demo_account_must_set_up_a_second_factor(demo_account):
    client = Client()
    with override_settings(LOTUS_DEMO_SIGN_IN=False):  # as lotus.config.settings.production
        assert password_step(client, demo_account, DEMO_PASSWORD)["Location"] == SET_UP
        assert client.get(reverse("core:home"))["Location"].startswith(SET_UP)
        banner = client.get(reverse("core:accessibility")).content.decode()
    assert "Demo – fictional data" in banner  # the flag is still there...
    assert "Two-step verification is switched off" not in banner  # ...but the shortcut is not claimed
    # The control: the same account and database with the development settings skips it.
    assert password_step(Client(), demo_account, DEMO_PASSWORD)["Location"] == reverse("core:home")


def test_the_deploy_check_fails_on_the_demo_flag_or_demo_accounts(world, demo_account):
    assert demo_ids() == ["accounts.E001"]
    (error,) = [m for m in run_checks(include_deployment_checks=True) if m.id == "accounts.E001"]
    assert isinstance(error, Error)  # fails `check --deploy` at any level
    assert "demo data flag" in error.msg and "1 demo account" in error.msg

    ServiceFlag.objects.filter(name=ServiceFlag.DEMO_DATA).update(enabled=False)
    assert demo_ids() == ["accounts.E001"]  # the accounts alone are enough
    demo_account.mfa_exempt_in_demo = False
    demo_account.save()
    assert demo_ids() == []


def test_an_unreachable_database_is_a_warning_not_a_crash(db):
    with mock.patch.object(checks.connections["default"], "cursor", side_effect=DatabaseError("refused")):
        messages = checks.check_no_demo_data(None)
    assert [(type(m), m.id) for m in messages] == [(Warning, "accounts.W001")]


# A fresh SQLite database under production settings, in a separate process (settings are
# read once per process): migrate, add a demo account with the public password and the
# flag, then sign in through the pages as a browser would.
SIGN_IN_SCRIPT = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from lotus.accounts.models import Organisation, RoleGrant, User
    from lotus.core.models import ServiceFlag
    call_command("migrate", verbosity=0)
    organisation = Organisation.objects.create(name="Demo trust", code="DEMO1", kind="trust")
    user = User.objects.create_user("manager@demo.lotus.test", sys.argv[1], full_name="Demo manager",
                                    organisation=organisation, mfa_exempt_in_demo=True)
    RoleGrant.objects.create(user=user, role="case_manager")
    ServiceFlag.objects.create(name=ServiceFlag.DEMO_DATA, enabled=True)
    client = Client(HTTP_HOST="lotus.example.nhs.uk")
    signed_in = client.post("/account/sign-in/", {"email": user.email, "password": sys.argv[1]}, secure=True)
    home = client.get("/", secure=True)
    print(signed_in.status_code, signed_in["Location"], home.status_code, home["Location"])
    """
)


def run_production(args, env):
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_with_production_settings_demo_data_cannot_sign_in_without_a_second_factor_and_fails_the_deploy_check(
    tmp_path,
):
    env = production_env(LOTUS_VAR_DIR=str(tmp_path))
    env["PYTHONPATH"] = str(ROOT)
    # Before migrating: an empty database holds no demo data, so the check passes.
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr

    result = run_production(["-c", SIGN_IN_SCRIPT, DEMO_PASSWORD], env)
    assert result.returncode == 0, result.stderr
    status, location, home_status, home_location = result.stdout.split()
    assert (status, location) == ("302", SET_UP)  # told to set up a second factor, not let in
    assert home_status == "302" and home_location.startswith(SET_UP)

    result = run_production(["manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr and "demo data" in result.stderr

    clean = "import django; django.setup(); from lotus.accounts.models import User; " \
            "from lotus.core.models import ServiceFlag; ServiceFlag.objects.all().delete(); " \
            "User.objects.update(mfa_exempt_in_demo=False)"
    assert run_production(["-c", clean], env).returncode == 0
    result = run_production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
