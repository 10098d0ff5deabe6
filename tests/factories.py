"""factory_boy factories for LOTUS models. Fictional data only."""

import datetime as dt
import time

import factory
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotus.accounts.models import Organisation, RoleGrant, User
from lotus.cases.models import Case, CaseTeamMember, Task, TimelineEvent
from lotus.practitioners.models import EqualityMonitoring, Practitioner

PASSWORD = "correct-horse-battery"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Trust {n} (fictional)")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    kind = Organisation.Kind.TRUST


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.lotus.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            RoleGrant.objects.create(user=self, role=role)
        self.save()
        self.__dict__.pop("roles", None)


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Sequence(lambda n: f"Dr Test Practitioner {n}")
    profession = "medical"
    regulator = "GMC"
    registration_number = factory.Sequence(lambda n: f"{1000000 + n}")
    contract_context = "salaried_gp"
    place_of_work = "Test Surgery"


class EqualityMonitoringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualityMonitoring

    practitioner = factory.SubFactory(PractitionerFactory)
    ethnic_category = "H"
    sex = "female"
    qualification_country = "India"
    graduate_route = "international"
    disability = "no"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"TST-2026-{n:05d}")
    practitioner = factory.SubFactory(PractitionerFactory, organisation=factory.SelfAttribute("..organisation"))
    received_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    source = "complaint"
    categories = factory.LazyFunction(lambda: ["clinical"])
    summary = "A fictional concern for a test."
    status = "received"
    status_changed_at = factory.LazyFunction(timezone.now)
    owner = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))

    class Params:
        in_triage = factory.Trait(status="triage")
        closed = factory.Trait(status="closed")

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        for user in extracted or ():
            CaseTeamMember.objects.create(case=self, user=user)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    case = factory.SubFactory(CaseFactory)
    title = "Fictional task"
    owner = factory.SelfAttribute("case.owner")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=5))


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = "note"
    title = "Fictional note"


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app for a user (two-step verification set up)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


def totp_code(device: TOTPDevice) -> str:
    """A code the device will accept now: the current one, or the next if that was spent.

    django-otp accepts each time step once and allows one step of clock drift, so two
    sign-ins within 30 seconds can both succeed by using the next step's code.
    """
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    now_t = totp.t()
    wanted = max(now_t, device.last_t + 1)
    assert wanted <= now_t + device.tolerance, "no unused code left for this device right now"
    totp.drift += wanted - now_t
    return f"{totp.token():0{device.digits}d}"
