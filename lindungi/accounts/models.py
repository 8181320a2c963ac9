from __future__ import annotations

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Role, Scope


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Network secretariat")
        MEMBER = "member", _("Member organisation")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("short code"), max_length=8, unique=True,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9]{1,7}$", _("Use 2 to 8 capital letters or digits, e.g. YKB."))],
        help_text=_("Used in case numbers, e.g. YKB-2026-00042."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MEMBER)
    province = models.ForeignKey(
        "geo.Region", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", limit_choices_to={"level": "province"},
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # An inactive organisation's users can neither sign in nor use a token; its data stays.
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)
    # Its data keys were deleted (crypto.rotation.shred): it never gets a key, nor access, again.
    shredded_at = models.DateTimeField(_("data destroyed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="secretariat"), name="one_network_secretariat"),
            models.CheckConstraint(condition=Q(shredded_at__isnull=True) | Q(is_active=False),
                                   name="shredded_organisation_is_inactive"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_secretariat(self) -> bool:
        return self.kind == self.Kind.SECRETARIAT

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            return Q(pk=user.organisation_id)
        if scope == Scope.NETWORK:
            # Not Q(): `Q(...) | Q()` collapses to the left side in Django, which would drop "all".
            return Q(pk__isnull=False)
        return None


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.memberships.values_list("role", flat=True))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in sorted(self.roles)]

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def forget_roles(self) -> None:
        """Drop the cached roles after the memberships changed."""
        self.__dict__.pop("roles", None)

    @property
    def has_pending_invitation(self) -> bool:
        """Invited, but has not set a password yet."""
        return not self.has_usable_password() and self.last_login is None

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        return None


class Membership(models.Model):
    """A role a user holds in their organisation (a user can hold several)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user_id}:{self.role}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored; the token acts as its
    user, with exactly the user's current roles (never more), until it expires or is revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @classmethod
    def policy_q(cls, user, scope):
        # A token belongs to its user alone: nobody else lists, sees or revokes it.
        if scope == Scope.ASSIGNED:
            return Q(user_id=user.pk)
        return None
