"""The demo's integrated care board (lotus/nonprod/demo_icb.py; docs/adr/0023): Eastbrook
ICB with Northmoor as its member, an ICB analyst, and Northmoor's report for last year
issued and sent, made once."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotus.accounts.models import IcbMembership, User
from lotus.insights.reports.models import AnnualReport, ReportQuestion
from lotus.nonprod import demo_icb
from lotus.nonprod.demo import DEMO_PASSWORD
from tests.nonprod.test_demo import lotus_counts, run_demo

pytestmark = pytest.mark.django_db


def test_the_demo_icb_has_its_member_analyst_and_a_report_sent_last_year():
    run_demo()
    membership = IcbMembership.objects.get(icb__code=demo_icb.ICB_CODE)
    assert membership.member.code == demo_icb.MEMBER_CODE and membership.status == "accepted"
    analyst = User.objects.get(email="analyst@eastbrook.lotus.test")
    assert analyst.roles == {"analyst"} and analyst.organisation.kind == "icb"
    report = AnnualReport.objects.get()
    assert report.year == timezone.localdate().year - 1 and report.status == "issued"
    assert report.sent_to == membership.icb and report.received_at is not None
    assert ReportQuestion.objects.filter(report=report, replied_at__isnull=True).count() == 1
    assert report.snapshot["organisation"]["name"] == membership.member.name

    client = Client()
    assert client.login(username=analyst.email, password=DEMO_PASSWORD)
    assert client.get(reverse("insights:icb_show_report", kwargs={"report_id": report.pk})).status_code == 200
    page = client.get(reverse("insights:icb_themes")).content.decode()
    assert membership.member.name in page


def test_a_second_run_changes_nothing():
    run_demo()
    before = lotus_counts()
    assert demo_icb.load_icb() is False
    run_demo()
    assert lotus_counts() == before
