from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from lotus.accounts.models import Organisation
from lotus.practitioners.registration import FORMATS


class Profession(models.TextChoices):
    MEDICAL = "medical", "Medical"
    DENTAL = "dental", "Dental"
    OPTOMETRY = "optometry", "Optometry"
    OTHER = "other", "Other"


class ContractContext(models.TextChoices):
    GP_PARTNER = "gp_partner", "GP partner"
    SALARIED_GP = "salaried_gp", "Salaried GP"
    LOCUM = "locum", "Locum"
    HOSPITAL_CONSULTANT = "hospital_consultant", "Hospital consultant"
    SPECIALTY_DOCTOR = "specialty_doctor", "Specialty doctor"
    DOCTOR_IN_TRAINING = "doctor_in_training", "Doctor in training"
    DENTIST = "dentist", "Dentist"
    OPTOMETRIST = "optometrist", "Optometrist"
    OTHER = "other", "Other"


REGULATOR_CHOICES = [(key, fmt.label) for key, fmt in FORMATS.items()]


class Practitioner(models.Model):
    """A registered professional about whom a concern may be raised."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practitioners"
    )
    full_name = models.CharField(max_length=200)
    profession = models.CharField(max_length=20, choices=Profession.choices)
    regulator = models.CharField(max_length=10, choices=REGULATOR_CHOICES)
    registration_number = models.CharField(max_length=20)
    contract_context = models.CharField(max_length=30, choices=ContractContext.choices)
    place_of_work = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    postal_address = models.TextField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practitioner_record",
        help_text="The practitioner's own LOTUS account, for their portal",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "regulator", "registration_number"],
                name="one_practitioner_per_registration",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class EthnicCategory(models.TextChoices):
    """NHS Data Dictionary ethnic category codes."""

    A = "A", "White – British"
    B = "B", "White – Irish"
    C = "C", "White – any other White background"
    D = "D", "Mixed – White and Black Caribbean"
    E = "E", "Mixed – White and Black African"
    F = "F", "Mixed – White and Asian"
    G = "G", "Mixed – any other mixed background"
    H = "H", "Asian or Asian British – Indian"
    J = "J", "Asian or Asian British – Pakistani"
    K = "K", "Asian or Asian British – Bangladeshi"
    L = "L", "Asian or Asian British – any other Asian background"
    M = "M", "Black or Black British – Caribbean"
    N = "N", "Black or Black British – African"
    P = "P", "Black or Black British – any other Black background"
    R = "R", "Other ethnic groups – Chinese"
    S = "S", "Other ethnic groups – any other ethnic group"
    Z = "Z", "Not stated"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_STATED = "not_stated", "Prefer not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_STATED = "not_stated", "Prefer not to say"


class GraduateRoute(models.TextChoices):
    """Where the primary qualification was gained, grouped as the GMC groups it."""

    UK = "uk", "UK graduate"
    EEA = "eea", "EEA graduate"
    INTERNATIONAL = "international", "International graduate (outside the UK and EEA)"
    NOT_KNOWN = "not_known", "Not known"


#: The earliest year of birth a record accepts (a practitioner cannot be older).
EARLIEST_BIRTH_YEAR = 1920


class EqualityMonitoring(models.Model):
    """Special-category equality data, kept apart from the practitioner record.

    Only administrators read it by name; analysts see it aggregated with small numbers
    suppressed. It never appears on a case page.
    """

    practitioner = models.OneToOneField(
        Practitioner, on_delete=models.PROTECT, related_name="equality_monitoring"
    )
    ethnic_category = models.CharField(max_length=1, choices=EthnicCategory.choices)
    sex = models.CharField(max_length=20, choices=Sex.choices)
    qualification_country = models.CharField(max_length=100, blank=True)
    graduate_route = models.CharField(
        max_length=20, choices=GraduateRoute.choices, default=GraduateRoute.NOT_KNOWN
    )
    disability = models.CharField(max_length=20, choices=Disability.choices)
    # The year alone is enough to place someone in an age band for the equity figures
    # (lotus.insights.equity); blank when not known.
    year_of_birth = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(EARLIEST_BIRTH_YEAR)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Equality monitoring for practitioner {self.practitioner_id}"
