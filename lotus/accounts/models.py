from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin, _user_has_perm
from django.db import models

from lotus.accounts.roles import CASE_STAFF_ROLES, ROLE_CHOICES, Role


class Organisation(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", "NHS England region"
        TRUST = "trust", "NHS trust"
        ICB = "icb", "Integrated care board"

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(max_length=10, unique=True, help_text="ODS code")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    case_reference_prefix = models.CharField(max_length=6, default="LOT")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user



class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="users")
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(auto_now_add=True)
    #: Set by the demo loader only. Lets a fictional account sign in without two-step
    #: verification, and is honoured only while the installation is in demo mode
    #: (lotus.accounts.selectors.mfa_required), so it can never weaken a real service.
    mfa_exempt_in_demo = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(grant.role) for grant in self.role_grants.all())

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_case_staff(self) -> bool:
        return bool(self.roles & CASE_STAFF_ROLES)

    # Django's PermissionsMixin lets a superuser past every check. LOTUS has one access
    # policy and no exceptions to it, so every question goes to the rules backend.
    def has_perm(self, perm, obj=None) -> bool:
        if not self.is_active:
            return False
        return _user_has_perm(self, perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label) -> bool:
        return False

    @property
    def is_staff(self) -> bool:
        # LOTUS has no Django admin site: administrators work through LOTUS's own pages.
        return False


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=ROLE_CHOICES)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class UserSession(models.Model):
    """One signed-in session of a user, so their sessions can be ended with one query.

    Django's session table does not say whose a session is without decoding every row;
    this small index maps session keys to users. Rows are written when a session signs
    in (or is given a new key) and deleted when it ends.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}:{self.session_key[:6]}…"
