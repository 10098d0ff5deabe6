"""The demo's organisations, accounts and practitioner register. Every name, number and
organisation here is invented."""

import functools
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from lotus.accounts.models import Organisation, RoleGrant, User
from lotus.accounts.roles import Role
from lotus.nonprod.demo import equality
from lotus.practitioners.models import (
    ContractContext,
    EqualityMonitoring,
    Practitioner,
    Profession,
)
from lotus.practitioners.services import graduate_route_for

DEMO_PASSWORD = "lotus-demo-2026"  # noqa: S105 - fictional accounts, demo mode only

ORGANISATIONS = [
    ("Northmoor NHS Region (fictional)", "XDM01", Organisation.Kind.REGION, "LOT"),
    ("Eastbrook Integrated Care Board (fictional)", "XDM02", Organisation.Kind.ICB, "EBK"),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    roles: tuple[Role, ...]
    organisation_index: int = 0
    job_title: str = ""


DEMO_USERS = [
    DemoUser("admin@demo.lotus.test", "Alex Administrator", (Role.ADMINISTRATOR,), job_title="Professional standards lead"),
    DemoUser("case.manager@demo.lotus.test", "Casey Manager", (Role.CASE_MANAGER,), job_title="Professional standards officer"),
    DemoUser("case.manager2@demo.lotus.test", "Morgan Okafor", (Role.CASE_MANAGER,), job_title="Professional standards officer"),
    DemoUser("advisor@demo.lotus.test", "Dr Priya Advisor", (Role.PROFESSIONAL_ADVISOR,), job_title="Professional advisor"),
    DemoUser("panel@demo.lotus.test", "Dr Sam Panel", (Role.PANEL_MEMBER,), job_title="Responsible officer"),
    DemoUser("pastoral@demo.lotus.test", "Jo Pastoral", (Role.PASTORAL_CONTACT,), job_title="Pastoral contact"),
    DemoUser("practitioner@demo.lotus.test", "Dr Robin Practitioner", (Role.PRACTITIONER,)),
    DemoUser("analyst@demo.lotus.test", "Ari Analyst", (Role.ANALYST,), job_title="ICB analyst"),
    DemoUser("admin@eastbrook.lotus.test", "Eden Eastbrook", (Role.ADMINISTRATOR,), organisation_index=1),
    DemoUser("case.manager@eastbrook.lotus.test", "Harper Eastbrook", (Role.CASE_MANAGER,), organisation_index=1),
    DemoUser("analyst@eastbrook.lotus.test", "Indra Eastbrook", (Role.ANALYST,), organisation_index=1, job_title="ICB analyst"),
]

FIRST_NAMES = [
    "Amara", "Ben", "Chen", "Divya", "Emeka", "Fiona", "Gareth", "Hana", "Imran", "Julia", "Kwame",
    "Leila", "Marek", "Nia", "Oluwaseun", "Pooja", "Quinn", "Rhys", "Sofia", "Tomasz", "Uma", "Vikram",
    "Wen", "Xavier", "Yasmin", "Zara", "Aled", "Bronwen", "Callum", "Deepa",
]
LAST_NAMES = [
    "Adeyemi", "Bennett", "Chowdhury", "Davies", "Evans", "Fernandes", "Gill", "Hughes", "Iqbal",
    "Jones", "Kowalski", "Lewis", "Mensah", "Nowak", "Owusu", "Patel", "Quayle", "Roberts", "Shah",
    "Thomas", "Umeh", "Varga", "Williams", "Xu", "Yilmaz", "Zhang",
]
PLACES = [
    "Harbour Lane Surgery", "Millbrook Medical Centre", "St Aidan's Hospital", "Kestrel Dental Care",
    "Northmoor General Hospital", "Clearview Opticians", "Riverside Health Centre", "Beacon Street Dental",
]
REGISTRATION_BY_PROFESSION = {
    Profession.MEDICAL: ("GMC", lambda rng: f"{rng.randint(1_000_000, 9_999_999)}"),
    Profession.DENTAL: ("GDC", lambda rng: f"{rng.randint(10_000, 299_999)}"),
    Profession.OPTOMETRY: ("GOC", lambda rng: f"01-{rng.randint(10_000, 99_999)}"),
}

CONTRACTS_BY_PROFESSION = {
    Profession.MEDICAL: [
        ContractContext.GP_PARTNER, ContractContext.SALARIED_GP, ContractContext.LOCUM,
        ContractContext.HOSPITAL_CONSULTANT, ContractContext.SPECIALTY_DOCTOR, ContractContext.DOCTOR_IN_TRAINING,
    ],
    Profession.DENTAL: [ContractContext.DENTIST],
    Profession.OPTOMETRY: [ContractContext.OPTOMETRIST],
}



def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(role, email, password) for printing."""
    rows = []
    for demo_user in DEMO_USERS:
        org = ORGANISATIONS[demo_user.organisation_index][0]
        roles = ", ".join(role.label for role in demo_user.roles)
        rows.append((f"{roles} – {org}", demo_user.email, DEMO_PASSWORD))
    return rows



#: The caseload's practitioners have email addresses here; the history's elsewhere.
CASELOAD_EMAIL_DOMAIN = "practice.example"


def caseload_cases():
    """The current caseload's cases (lotus/nonprod/demo/caseload.py), not the history's."""
    from lotus.cases.models import Case

    return Case.objects.filter(practitioner__email__endswith=f"@{CASELOAD_EMAIL_DOMAIN}")


def demo_is_loaded() -> bool:
    return User.objects.filter(email=DEMO_USERS[0].email).exists()


def home_organisation() -> Organisation | None:
    return Organisation.objects.filter(code=ORGANISATIONS[0][1]).first()


def demo_account(email: str, full_name: str, *, organisation: Organisation, role: Role, job_title: str = "") -> User:
    """A demo account with the demo password, made once (found again on later runs)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=full_name, organisation=organisation, job_title=job_title,
            # Demo accounts may sign in without two-step verification, but only while
            # the installation is in demo mode (lotus.accounts.selectors.mfa_required).
            mfa_exempt_in_demo=True,
        )
        # Hashed once for every account: the password is public, and hashing it afresh
        # for each account was a third of the demo's running time.
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        RoleGrant.objects.create(user=user, role=role)
    return user


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def load_people(rng: random.Random) -> tuple[list[Organisation], dict[str, User], list[Practitioner]]:
    """The organisations, the sign-in accounts and the first 30 practitioners."""
    organisations = [
        Organisation.objects.create(name=name, code=code, kind=kind, case_reference_prefix=prefix)
        for name, code, kind, prefix in ORGANISATIONS
    ]
    users = {}
    for demo_user in DEMO_USERS:
        user = demo_account(
            demo_user.email, demo_user.full_name, organisation=organisations[demo_user.organisation_index],
            role=demo_user.roles[0], job_title=demo_user.job_title,
        )
        for role in demo_user.roles[1:]:
            RoleGrant.objects.create(user=user, role=role)
        users[demo_user.email] = user
    practitioners = []
    for index in range(30):
        organisation = organisations[0] if index < 26 else organisations[1]
        profession = rng.choice([Profession.MEDICAL] * 4 + [Profession.DENTAL, Profession.OPTOMETRY])
        regulator, number = REGISTRATION_BY_PROFESSION[profession]
        name = f"Dr {FIRST_NAMES[index]} {LAST_NAMES[index % len(LAST_NAMES)]}"
        practitioner = Practitioner.objects.create(
            organisation=organisation,
            full_name=name,
            profession=profession,
            regulator=regulator,
            registration_number=number(rng),
            contract_context=rng.choice(CONTRACTS_BY_PROFESSION[profession]),
            place_of_work=rng.choice(PLACES),
            email=f"{FIRST_NAMES[index].lower()}.{index}@{CASELOAD_EMAIL_DOMAIN}",
            phone=f"01632 960 {index:03d}",
        )
        # The same kind of record as the history's practitioners have (equality.py).
        equal = equality.equality_for(rng, equality.route_for(rng, profession))
        EqualityMonitoring.objects.create(
            practitioner=practitioner,
            ethnic_category=equal.ethnic_category,
            sex=equal.sex,
            qualification_country=equal.qualification_country,
            graduate_route=graduate_route_for(equal.qualification_country),
            disability=equal.disability,
        )
        practitioners.append(practitioner)
    subject = practitioners[0]
    subject.user = users["practitioner@demo.lotus.test"]
    subject.full_name = "Dr Robin Practitioner"
    subject.save(update_fields=["user", "full_name"])
    return organisations, users, practitioners


def let_demo_accounts_skip_mfa() -> None:
    """Mark the demo accounts (for installations loaded before the flag existed)."""
    User.objects.filter(email__in=[demo_user.email for demo_user in DEMO_USERS]).update(mfa_exempt_in_demo=True)
