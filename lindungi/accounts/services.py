"""Writes of the accounts app: organisations, users and their roles, personal API tokens.

Each service checks the policy, validates, writes and records its audit event in one transaction.
Audit payloads hold ids, role codes and field names only — never names or email addresses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.accounts import invitations, tokens
from lindungi.accounts.models import ApiToken, Membership, Organisation, User
from lindungi.accounts.sessions import end_user_sessions
from lindungi.audit.services import record
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError, validate
from lindungi.core.policy import Role

TOKEN_MAX_LIFETIME = timedelta(days=365)
TOKEN_MAX_ACTIVE = 20
ORGANISATION_FIELDS = ("name", "province", "city", "address", "phone", "email")


# --- organisations ------------------------------------------------------------------------------

def organisation_create(*, actor, name: str, code: str, province=None, city: str = "", address: str = "",
                        phone: str = "", email: str = "") -> Organisation:
    """A new member organisation of the network (secretariat administrators only)."""
    policy.require(actor, "accounts.organisation.manage")
    code = (code or "").strip().upper()
    with transaction.atomic():
        if Organisation.objects.filter(code=code).exists():
            raise DomainError(_("Another organisation already uses this short code."), code="duplicate",
                              fields={"code": [str(_("Another organisation already uses this short code."))]})
        organisation = Organisation(
            name=(name or "").strip(), code=code, kind=Organisation.Kind.MEMBER, province=province,
            city=city.strip(), address=address.strip(), phone=phone.strip(), email=email.strip().lower(),
        )
        validate(organisation)
        organisation.save()
        record("accounts.organisation.created", actor=actor, obj=organisation, organisation=organisation,
               payload={"code": organisation.code})
    return organisation


def organisation_update(*, actor, organisation: Organisation, **changes) -> Organisation:
    """Edit an organisation's name and contact details. The short code never changes: it is part of
    every case number already issued."""
    policy.require(actor, "accounts.organisation.edit")
    policy.require_object(actor, "accounts.organisation.edit", organisation)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = []
        for field, value in changes.items():
            if isinstance(value, str):
                value = value.strip()
                if field == "email":
                    value = value.lower()
            if getattr(organisation, field) != value:
                setattr(organisation, field, value)
                changed.append(field)
        if not changed:
            return organisation
        validate(organisation)
        organisation.save(update_fields=changed)
        record("accounts.organisation.updated", actor=actor, obj=organisation, payload={"fields": sorted(changed)})
    return organisation


def _end_access(users: list[User], now: datetime) -> tuple[int, int]:
    """Revoke the users' API tokens and end their sessions: (tokens revoked, sessions ended)."""
    revoked = ApiToken.objects.filter(user__in=users, revoked_at__isnull=True).update(revoked_at=now)
    return revoked, sum(end_user_sessions(user) for user in users)


def organisation_deactivate(*, actor, organisation: Organisation) -> Organisation:
    """A member organisation leaves the network or is suspended: none of its users can sign in or
    use a token any more (the policy grants nothing to the user of an inactive organisation), their
    sessions end and their tokens are revoked. Its cases, files and statistics stay as they are,
    readable by nobody, until it is reactivated or its data is destroyed (`shred_organisation`)."""
    policy.require(actor, "accounts.organisation.manage")
    policy.require_object(actor, "accounts.organisation.manage", organisation)
    if organisation.is_secretariat:
        raise Conflict(_("The network secretariat cannot be deactivated."), code="secretariat")
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not organisation.is_active:
            raise Conflict(_("This organisation is already inactive."))
        now = timezone.now()
        organisation.is_active = False
        organisation.deactivated_at = now
        organisation.save(update_fields=["is_active", "deactivated_at"])
        users = list(User.objects.filter(organisation=organisation, is_active=True))
        revoked, ended = _end_access(users, now)
        record("accounts.organisation.deactivated", actor=actor, obj=organisation,
               payload={"users": len(users), "sessions_ended": ended, "tokens_revoked": revoked})
    return organisation


def organisation_reactivate(*, actor, organisation: Organisation) -> Organisation:
    """Its users can sign in again (with new tokens: the old ones stay revoked); not after its data
    was destroyed."""
    policy.require(actor, "accounts.organisation.manage")
    policy.require_object(actor, "accounts.organisation.manage", organisation)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.shredded_at is not None:
            raise Conflict(_("This organisation's data was destroyed; it cannot be reactivated."), code="shredded")
        if organisation.is_active:
            raise Conflict(_("This organisation is already active."))
        organisation.is_active = True
        organisation.deactivated_at = None
        organisation.save(update_fields=["is_active", "deactivated_at"])
        record("accounts.organisation.reactivated", actor=actor, obj=organisation)
    return organisation


# --- users --------------------------------------------------------------------------------------

def _clean_roles(roles) -> list[Role]:
    try:
        cleaned = sorted({Role(role) for role in roles or ()})
    except ValueError:
        raise DomainError(_("Unknown role."), code="invalid", fields={"roles": [str(_("Unknown role."))]}) from None
    if not cleaned:
        message = _("Choose at least one role. To take all access away, deactivate the user.")
        raise DomainError(message, code="invalid", fields={"roles": [str(message)]})
    return cleaned


def _clean_email(email: str, *, exclude_pk=None) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        message = _("Enter a valid email address.")
        raise DomainError(message, code="invalid", fields={"email": [str(message)]}) from None
    if User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists():
        message = _("A user with this email address already exists.")
        raise DomainError(message, code="duplicate", fields={"email": [str(message)]})
    return email


def _clean_name(full_name: str) -> str:
    full_name = " ".join((full_name or "").split())
    if not full_name:
        message = _("Enter the user's full name.")
        raise DomainError(message, code="invalid", fields={"full_name": [str(message)]})
    if len(full_name) > User._meta.get_field("full_name").max_length:
        message = _("The name is too long.")
        raise DomainError(message, code="invalid", fields={"full_name": [str(message)]})
    return full_name


def _create_invited_user(*, actor, organisation, email, full_name, roles) -> User:
    user = User(email=email, full_name=full_name, organisation=organisation)
    user.set_unusable_password()
    user.save()
    Membership.objects.bulk_create([Membership(user=user, role=role, granted_by=actor) for role in roles])
    return user


def _invite_on_commit(user: User, base_url: str) -> None:
    link = invitations.password_set_link(user, base_url)
    transaction.on_commit(lambda: invitations.send_invitation(user, link))


def user_invite(*, actor, email: str, full_name: str, roles, base_url: str) -> User:
    """Create a user in the administrator's own organisation and email them a password-set link."""
    policy.require(actor, "accounts.user.manage")
    roles = _clean_roles(roles)
    full_name = _clean_name(full_name)
    with transaction.atomic():
        email = _clean_email(email)
        user = _create_invited_user(actor=actor, organisation=actor.organisation, email=email,
                                    full_name=full_name, roles=roles)
        record("accounts.user.invited", actor=actor, obj=user, payload={"roles": [str(r) for r in roles]})
        _invite_on_commit(user, base_url)
    return user


def organisation_invite_administrator(*, actor, organisation: Organisation, email: str, full_name: str,
                                      base_url: str) -> User:
    """The secretariat gives a (new) member organisation its first administrator, who then manages
    their own users."""
    policy.require(actor, "accounts.organisation.manage")
    policy.require_object(actor, "accounts.organisation.manage", organisation)
    full_name = _clean_name(full_name)
    with transaction.atomic():
        email = _clean_email(email)
        user = _create_invited_user(actor=actor, organisation=organisation, email=email, full_name=full_name,
                                    roles=[Role.ADMINISTRATOR])
        record("accounts.user.invited", actor=actor, obj=user, organisation=organisation,
               payload={"roles": [Role.ADMINISTRATOR.value], "by": "secretariat"})
        _invite_on_commit(user, base_url)
    return user


def user_resend_invitation(*, actor, user: User, base_url: str) -> None:
    """A fresh password-set link for a user who has not set a password yet."""
    policy.require(actor, "accounts.user.manage")
    policy.require_object(actor, "accounts.user.manage", user)
    if not user.is_active:
        raise Conflict(_("Reactivate the user before sending a new invitation."))
    if not user.has_pending_invitation:
        raise Conflict(_("This user has already set a password; they can use “Forgot password?”."))
    with transaction.atomic():
        record("accounts.user.invitation_resent", actor=actor, obj=user)
        _invite_on_commit(user, base_url)


def user_update(*, actor, user: User, full_name: str, email: str) -> User:
    """Correct a user's name or email address. A changed address ends their sessions: it is how
    they sign in and where password links go."""
    policy.require(actor, "accounts.user.manage")
    policy.require_object(actor, "accounts.user.manage", user)
    full_name = _clean_name(full_name)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email = _clean_email(email, exclude_pk=user.pk)
        changed = [f for f, v in (("full_name", full_name), ("email", email)) if getattr(user, f) != v]
        if not changed:
            return user
        user.full_name, user.email = full_name, email
        user.save(update_fields=changed)
        if "email" in changed:
            from allauth.account.models import EmailAddress

            # allauth keeps its own copy of addresses; it re-creates it from user.email when needed.
            EmailAddress.objects.filter(user=user).delete()
            end_user_sessions(user)
        record("accounts.user.updated", actor=actor, obj=user, payload={"fields": changed})
    return user


def _active_administrators(organisation_id) -> set[int]:
    return set(
        Membership.objects.filter(
            role=Role.ADMINISTRATOR, user__organisation_id=organisation_id, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def user_set_roles(*, actor, user: User, roles) -> User:
    policy.require(actor, "accounts.user.manage")
    policy.require_object(actor, "accounts.user.manage", user)
    roles = _clean_roles(roles)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        current = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        wanted = {r.value for r in roles}
        added, removed = sorted(wanted - current), sorted(current - wanted)
        if not added and not removed:
            return user
        if Role.ADMINISTRATOR.value in removed and user.is_active:
            if _active_administrators(user.organisation_id) <= {user.pk}:
                raise Conflict(_("An organisation needs at least one active administrator."), code="last_administrator")
        Membership.objects.filter(user=user, role__in=removed).delete()
        Membership.objects.bulk_create([Membership(user=user, role=role, granted_by=actor) for role in added])
        user.forget_roles()
        record("accounts.user.roles_changed", actor=actor, obj=user, payload={"added": added, "removed": removed})
    return user


def user_deactivate(*, actor, user: User) -> User:
    """Take all access away at once: the account, its sessions and its API tokens."""
    policy.require(actor, "accounts.user.manage")
    policy.require_object(actor, "accounts.user.manage", user)
    if user.pk == actor.pk:
        raise Conflict(_("You cannot deactivate your own account."), code="self")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise Conflict(_("This user is already deactivated."))
        if user.has_role(Role.ADMINISTRATOR) and _active_administrators(user.organisation_id) <= {user.pk}:
            raise Conflict(_("An organisation needs at least one active administrator."), code="last_administrator")
        now = timezone.now()
        user.is_active = False
        user.deactivated_at = now
        user.save(update_fields=["is_active", "deactivated_at"])
        revoked, ended = _end_access([user], now)
        record("accounts.user.deactivated", actor=actor, obj=user,
               payload={"sessions_ended": ended, "tokens_revoked": revoked})
    return user


def user_reactivate(*, actor, user: User) -> User:
    policy.require(actor, "accounts.user.manage")
    policy.require_object(actor, "accounts.user.manage", user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise Conflict(_("This user is already active."))
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
        record("accounts.user.reactivated", actor=actor, obj=user)
    return user


# --- personal API tokens ------------------------------------------------------------------------

def token_create(*, actor, name: str, expires_at: datetime) -> tuple[ApiToken, str]:
    """A personal token that acts as `actor` (never with more power). Returns the token and its
    secret, which is shown once and stored only as a digest."""
    policy.require(actor, "accounts.token.manage")
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = [str(_("Give the token a name, e.g. the script that uses it."))]
    elif len(name) > ApiToken._meta.get_field("name").max_length:
        errors["name"] = [str(_("The name is too long."))]
    now = timezone.now()
    if expires_at is None:
        errors["expires_at"] = [str(_("Choose when the token expires."))]
    elif expires_at <= now:
        errors["expires_at"] = [str(_("The expiry date must be in the future."))]
    elif expires_at > now + TOKEN_MAX_LIFETIME:
        errors["expires_at"] = [str(_("A token can be valid for one year at most."))]
    if errors:
        raise DomainError(next(iter(errors.values()))[0], code="invalid", fields=errors)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one token creation at a time per user
        active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True, expires_at__gt=now).count()
        if active >= TOKEN_MAX_ACTIVE:
            raise Conflict(_("You have too many active tokens. Revoke one you no longer use."), code="too_many")
        prefix, secret, full = tokens.new_token_parts()
        token = ApiToken.objects.create(user=actor, name=name, prefix=prefix, digest=tokens.digest(secret),
                                        expires_at=expires_at)
        record("accounts.token.created", actor=actor, obj=token, organisation=actor.organisation_id,
               payload={"expires_at": expires_at.isoformat()})
    return token, full


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    policy.require(actor, "accounts.token.manage")
    policy.require_object(actor, "accounts.token.manage", token)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise Conflict(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("accounts.token.revoked", actor=actor, obj=token, organisation=actor.organisation_id)
    return token


# --- a fresh installation -----------------------------------------------------------------------

def bootstrap(*, name: str, code: str, admin_email: str, admin_name: str, base_url: str,
              province=None) -> tuple[Organisation, User, str]:
    """Create the network secretariat and its first administrator on an empty installation.
    Returns the organisation, the administrator and their password-set link."""
    code = (code or "").strip().upper()
    full_name = _clean_name(admin_name)
    with transaction.atomic():
        if Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).exists():
            raise Conflict(_("This installation already has a network secretariat."), code="already_bootstrapped")
        organisation = Organisation(name=(name or "").strip(), code=code, kind=Organisation.Kind.SECRETARIAT,
                                    province=province)
        validate(organisation)
        organisation.save()
        email = _clean_email(admin_email)
        user = _create_invited_user(actor=None, organisation=organisation, email=email, full_name=full_name,
                                    roles=[Role.ADMINISTRATOR])
        record("accounts.organisation.created", obj=organisation, organisation=organisation,
               payload={"code": organisation.code, "source": "bootstrap"})
        record("accounts.user.invited", obj=user, payload={"roles": [Role.ADMINISTRATOR.value], "source": "bootstrap"})
        link = invitations.password_set_link(user, base_url)
    return organisation, user, link


def mfa_secrets_reseal(*, log=lambda line: None) -> int:
    """Re-seal every TOTP secret and recovery-code seed under the current KEK, after a KEK change
    (operator action: `rotate_keys --rewrap-only`, the old KEK as LINDUNGI_KEK_PREVIOUS). One
    transaction per authenticator, so that an interrupted run can simply be run again. Returns how
    many authenticators were re-sealed."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    adapter = get_adapter()
    fields = {Authenticator.Type.TOTP: ["secret"], Authenticator.Type.RECOVERY_CODES: ["seed"]}
    count = 0
    for pk in Authenticator.objects.filter(type__in=list(fields)).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            authenticator = Authenticator.objects.select_for_update().get(pk=pk)
            data = dict(authenticator.data)
            names = [name for name in fields[authenticator.type] if name in data]
            codes = data.get("migrated_codes") or []
            if not any(adapter.needs_resealing(data[name]) for name in names) and not any(
                    adapter.needs_resealing(code) for code in codes):
                continue
            for name in names:
                data[name] = adapter.encrypt(adapter.decrypt(data[name]))
            if codes:
                data["migrated_codes"] = [adapter.encrypt(adapter.decrypt(code)) for code in codes]
            authenticator.data = data
            authenticator.save(update_fields=["data"])
            record("accounts.mfa.resealed", obj=authenticator.user, organisation=authenticator.user.organisation_id,
                   payload={"authenticator": authenticator.type})
            count += 1
    log(f"  {count} two-factor secret(s) re-sealed")
    return count
