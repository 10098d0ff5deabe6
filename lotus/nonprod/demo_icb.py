"""The demo's integrated care board (docs/adr/0023): Eastbrook ICB with Northmoor as its
member, an analyst at Eastbrook who sees Northmoor's themes beside its own members' and the
reports they send, and Northmoor's annual lessons-learnt report for last year, written by
its analyst, approved and issued by its administrator, sent to Eastbrook, marked received
and asked a question. Fictional; made through the services, and only once: a second run
changes nothing. It runs after the rest of the demo, so the report counts its history.
"""

import functools
import pathlib

import yaml
from django.db import transaction
from django.utils import timezone

from lotus.accounts import membership_services
from lotus.accounts.models import IcbMembership, Organisation, RoleGrant, User
from lotus.accounts.roles import Role
from lotus.insights.reports import services as reports
from lotus.insights.reports.models import AnnualReport, ReportKind

ICB_CODE = "XDM02"
MEMBER_CODE = "XDM01"
ICB_ADMINISTRATOR = "admin@eastbrook.lotus.test"
MEMBER_ADMINISTRATOR = "admin@demo.lotus.test"
MEMBER_ANALYST = "analyst@demo.lotus.test"
WORDS = pathlib.Path(__file__).with_name("demo_icb.yaml")


@functools.cache
def words() -> dict:
    with WORDS.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _icb_analyst(icb: Organisation, *, like: User) -> User:
    """The ICB's analyst, made once. Its password is the demo accounts' password: copied,
    already hashed, from another demo account, so this module needs no secret of its own."""
    details = words()["icb_analyst"]
    analyst = User.objects.filter(email=details["email"]).first()
    if analyst is None:
        analyst = User(email=details["email"], full_name=details["full_name"], job_title=details["job_title"],
                       organisation=icb, password=like.password, mfa_exempt_in_demo=True)
        analyst.save()
        RoleGrant.objects.create(user=analyst, role=Role.ANALYST)
    return analyst


def _membership(icb: Organisation, member: Organisation, *, icb_admin: User, member_admin: User) -> None:
    if IcbMembership.objects.filter(member=member, status__in=IcbMembership.OPEN).exists():
        return
    invited = membership_services.membership_invite(actor=icb_admin, code=member.code)
    membership_services.membership_answer(actor=member_admin, membership=invited, accept=True,
                                          expected_version=invited.version)


def _report(member: Organisation, *, writer: User, approver: User, icb_analyst: User) -> AnnualReport | None:
    year = timezone.localdate().year - 1
    if AnnualReport.objects.filter(organisation=member, kind=ReportKind.LESSONS_LEARNT, year=year).exists():
        return None
    text = words()
    report = reports.report_start(actor=writer, year=year)
    report = reports.report_edit(actor=writer, report=report, introduction=text["introduction"],
                                 sign_off=text["sign_off"], expected_version=report.version)
    report = reports.report_approve(actor=approver, report=report, expected_version=report.version)
    report = reports.report_issue(actor=approver, report=report, expected_version=report.version, send=True)
    report = reports.report_mark_received(actor=icb_analyst, report=report)
    reports.question_ask(actor=icb_analyst, report=report, question=" ".join(text["question"].split()))
    return report


@transaction.atomic
def load_icb(run=None) -> bool:
    """Add the demo ICB's members, analyst and report. Returns False when the demo's
    organisations or accounts are not there (nothing to add to) or all of it exists."""
    icb = Organisation.objects.filter(code=ICB_CODE, kind=Organisation.Kind.ICB).first()
    member = Organisation.objects.filter(code=MEMBER_CODE).first()
    people = {email: User.objects.filter(email=email).first()
              for email in (ICB_ADMINISTRATOR, MEMBER_ADMINISTRATOR, MEMBER_ANALYST)}
    if icb is None or member is None or None in people.values():
        return False
    analyst = _icb_analyst(icb, like=people[ICB_ADMINISTRATOR])
    _membership(icb, member, icb_admin=people[ICB_ADMINISTRATOR], member_admin=people[MEMBER_ADMINISTRATOR])
    issued = _report(member, writer=people[MEMBER_ANALYST], approver=people[MEMBER_ADMINISTRATOR],
                     icb_analyst=analyst)
    return issued is not None
