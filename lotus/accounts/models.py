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


class IcbMembership(models.Model):
    """A provider's place among an integrated care board's members (docs/adr/0023).

    The ICB's administrator invites an organisation by its ODS code; the organisation's
    administrator accepts or declines; either side's administrator may end it later, with
    a reason. Only an accepted membership that has not ended lets the ICB see anything of
    the member, and then only its themes with small numbers hidden and the annual reports
    the member chose to send. Nothing is deleted: an ended membership is kept.
    """

    class Status(models.TextChoices):
        INVITED = "invited", "Invited, not answered yet"
        ACCEPTED = "accepted", "Member"
        DECLINED = "declined", "Invitation declined"
        ENDED = "ended", "Membership ended"

    #: Statuses that hold the member's one place: at most one ICB at a time.
    OPEN = (Status.INVITED, Status.ACCEPTED)

    icb = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="icb_members")
    member = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="icb_memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save, so a stale answer is caught")

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status__in=["invited", "accepted"]),
                name="one_open_icb_membership",
            ),
            models.CheckConstraint(condition=~models.Q(icb=models.F("member")), name="icb_is_not_its_own_member"),
            models.CheckConstraint(
                condition=~models.Q(status="ended") | models.Q(ended_at__isnull=False),
                name="ended_membership_has_its_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.icb_id} ({self.status})"
