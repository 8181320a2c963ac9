"""Services: policy, validation, the write and its audit event, together."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.utils import timezone

from lindungi.accounts import services
from lindungi.accounts.models import ApiToken, Membership, Organisation, User
from lindungi.accounts.testing import make_user
from lindungi.audit.models import AuditEvent
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied, Role
from lindungi.geo.models import Region

BASE = "https://lindungi.test/"


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- organisations ------------------------------------------------------------------------------

def test_secretariat_administrator_creates_a_member_organisation(personas):
    org = services.organisation_create(actor=personas.secretariat_admin, name=" Yayasan Uji ", code="yu1",
                                       province=Region.objects.get(code="12"), city="Medan")
    assert (org.name, org.code, org.kind, org.province_id) == ("Yayasan Uji", "YU1", Organisation.Kind.MEMBER, "12")
    [event] = events("accounts.organisation.created")
    assert event.actor_id == personas.secretariat_admin.pk
    assert event.object_id == str(org.pk) and event.payload == {"code": "YU1"}


@pytest.mark.parametrize("persona", ["admin_a", "supervisor_a", "secretariat_me"])
def test_only_secretariat_administrators_create_organisations(personas, persona):
    with pytest.raises(PolicyDenied):
        services.organisation_create(actor=getattr(personas, persona), name="X", code="XYZ")
    assert not Organisation.objects.filter(code="XYZ").exists()


@pytest.mark.parametrize("code", ["x", "TOOLONGCODE", "AB-1", "1AB", ""])
def test_an_invalid_short_code_is_refused_and_nothing_is_created(personas, code):
    before = Organisation.objects.count()
    with pytest.raises(DomainError) as info:
        services.organisation_create(actor=personas.secretariat_admin, name="Some organisation", code=code)
    assert "code" in info.value.fields
    assert Organisation.objects.count() == before
    assert not events("accounts.organisation.created")


def test_a_short_code_is_unique(personas):
    with pytest.raises(DomainError) as info:
        services.organisation_create(actor=personas.secretariat_admin, name="Again A", code="orga")
    assert info.value.code == "duplicate" and "code" in info.value.fields


def test_an_administrator_edits_their_own_organisation_but_not_another(personas):
    org = services.organisation_update(actor=personas.admin_a, organisation=personas.org_a, city=" Bekasi ",
                                       phone="021-000")
    assert (org.city, org.phone) == ("Bekasi", "021-000")
    [event] = events("accounts.organisation.updated")
    assert event.payload == {"fields": ["city", "phone"]}
    with pytest.raises(OutOfScope):
        services.organisation_update(actor=personas.admin_a, organisation=personas.org_b, city="Elsewhere")
    with pytest.raises(PolicyDenied):
        services.organisation_update(actor=personas.supervisor_a, organisation=personas.org_a, city="X")


def test_the_short_code_cannot_be_edited(personas):
    with pytest.raises(ValueError):
        services.organisation_update(actor=personas.secretariat_admin, organisation=personas.org_a, code="NEW")


def test_the_secretariat_edits_any_member_organisation(personas):
    org = services.organisation_update(actor=personas.secretariat_admin, organisation=personas.org_b, name="B baru")
    assert org.name == "B baru"


# --- invitations --------------------------------------------------------------------------------

def invite(personas, **overrides):
    kwargs = dict(actor=personas.admin_a, email="  New.Person@Example.ORG ", full_name="  Nia   Baru ",
                  roles=["caseworker", "legal_officer"], base_url=BASE)
    kwargs.update(overrides)
    return services.user_invite(**kwargs)


def test_an_invited_user_has_no_password_and_gets_a_link(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(personas)
    assert user.email == "new.person@example.org" and user.full_name == "Nia Baru"
    assert user.organisation == personas.org_a
    assert not user.has_usable_password() and user.has_pending_invitation
    assert user.roles == {Role.CASEWORKER, Role.LEGAL_OFFICER}
    assert set(Membership.objects.filter(user=user).values_list("granted_by", flat=True)) == {personas.admin_a.pk}
    [message] = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert "https://lindungi.test/accounts/password/reset/key/" in message.body
    # Nothing beyond what is needed: no name, no roles, no inviter.
    for leak in ("Nia", "Baru", "caseworker", "Caseworker", "legal", personas.admin_a.full_name):
        assert leak not in message.body and leak not in message.subject
    assert personas.org_a.name in message.body
    [event] = events("accounts.user.invited")
    assert event.payload == {"roles": ["caseworker", "legal_officer"]}
    assert event.organisation_id == personas.org_a.pk
    assert "new.person" not in str(event.payload)


def test_the_invitation_link_lets_the_user_choose_a_password_once(personas, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(personas)
    link = re.search(r"https://lindungi\.test(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and "Pilih kata sandi" in page.content.decode()
    response = client.post(form_url, {"password1": "gunung-merapi-berapi-7", "password2": "gunung-merapi-berapi-7"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert check_password("gunung-merapi-berapi-7", user.password)
    # The link is used up.
    again = client.get(link, follow=True)
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()


def test_inviting_needs_the_user_manage_right(personas):
    for persona in ("supervisor_a", "caseworker_a", "secretariat_me"):
        with pytest.raises(PolicyDenied):
            invite(personas, actor=getattr(personas, persona))
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert not mail.outbox


@pytest.mark.parametrize("overrides,field", [
    ({"roles": []}, "roles"),
    ({"roles": ["superuser"]}, "roles"),
    ({"email": "not-an-email"}, "email"),
    ({"email": "CASEWORKER_B@test.invalid"}, "email"),
    ({"full_name": "   "}, "full_name"),
])
def test_bad_invitations_are_refused_and_nothing_changes(personas, overrides, field, django_capture_on_commit_callbacks):
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as info:
        invite(personas, **overrides)
    assert field in info.value.fields
    assert User.objects.count() == users
    assert not mail.outbox
    assert not events("accounts.user.invited")


def test_an_administrator_invites_only_into_their_own_organisation(personas):
    user = invite(personas, actor=personas.admin_b)
    assert user.organisation == personas.org_b


def test_the_secretariat_invites_the_first_administrator_of_a_member_organisation(personas,
                                                                                 django_capture_on_commit_callbacks):
    org = services.organisation_create(actor=personas.secretariat_admin, name="Yayasan Baru", code="YBR")
    with django_capture_on_commit_callbacks(execute=True):
        admin = services.organisation_invite_administrator(
            actor=personas.secretariat_admin, organisation=org, email="admin@ybr.invalid", full_name="Admin YBR",
            base_url=BASE,
        )
    assert admin.organisation == org and admin.roles == {Role.ADMINISTRATOR}
    assert len(mail.outbox) == 1 and "Yayasan Baru" in mail.outbox[0].body
    with pytest.raises(PolicyDenied):
        services.organisation_invite_administrator(actor=personas.admin_a, organisation=personas.org_a,
                                                   email="x@y.invalid", full_name="X", base_url=BASE)


def test_a_new_invitation_can_be_sent_until_the_password_is_set(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(personas)
        services.user_resend_invitation(actor=personas.admin_a, user=user, base_url=BASE)
    assert len(mail.outbox) == 2
    assert events("accounts.user.invitation_resent")
    user.set_password("a-real-password-now")
    user.save()
    with pytest.raises(Conflict):
        services.user_resend_invitation(actor=personas.admin_a, user=user, base_url=BASE)
    with pytest.raises(OutOfScope):
        services.user_resend_invitation(actor=personas.admin_b, user=user, base_url=BASE)


# --- users --------------------------------------------------------------------------------------

def test_changing_roles_records_what_was_added_and_removed(personas):
    user = services.user_set_roles(actor=personas.admin_a, user=personas.caseworker_a,
                                   roles=["supervisor", "caseworker"])
    assert user.roles == {Role.SUPERVISOR, Role.CASEWORKER}
    user = services.user_set_roles(actor=personas.admin_a, user=personas.caseworker_a, roles=["viewer"])
    assert user.roles == {Role.VIEWER}
    first, second = events("accounts.user.roles_changed")
    assert first.payload == {"added": ["supervisor"], "removed": []}
    assert second.payload == {"added": ["viewer"], "removed": ["caseworker", "supervisor"]}


def test_setting_the_same_roles_changes_nothing(personas):
    services.user_set_roles(actor=personas.admin_a, user=personas.caseworker_a, roles=["caseworker"])
    assert not events("accounts.user.roles_changed")


def test_roles_of_another_organisation_cannot_be_changed(personas):
    with pytest.raises(OutOfScope):
        services.user_set_roles(actor=personas.admin_a, user=personas.caseworker_b, roles=["administrator"])
    with pytest.raises(PolicyDenied):
        services.user_set_roles(actor=personas.supervisor_a, user=personas.caseworker_a, roles=["supervisor"])
    assert personas.caseworker_b.roles == {Role.CASEWORKER}


def test_the_last_administrator_keeps_the_role(personas):
    with pytest.raises(Conflict) as info:
        services.user_set_roles(actor=personas.admin_a, user=personas.admin_a, roles=["supervisor"])
    assert info.value.code == "last_administrator"
    second = make_user(personas.org_a, "second-admin@test.invalid", [Role.ADMINISTRATOR])
    services.user_set_roles(actor=personas.admin_a, user=personas.admin_a, roles=["supervisor"])
    assert User.objects.get(pk=personas.admin_a.pk).roles == {Role.SUPERVISOR}
    assert second.roles == {Role.ADMINISTRATOR}


def test_deactivating_ends_access_at_once(personas, client_for):
    target = personas.caseworker_a
    browser = client_for(target)
    assert browser.get("/").status_code == 200
    token, _secret = services.token_create(actor=target, name="script",
                                           expires_at=timezone.now() + timedelta(days=10))
    user = services.user_deactivate(actor=personas.admin_a, user=target)
    assert not user.is_active and user.deactivated_at is not None
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert browser.get("/").status_code == 302  # signed out
    [event] = events("accounts.user.deactivated")
    assert event.payload["tokens_revoked"] == 1 and event.payload["sessions_ended"] >= 1


def test_an_administrator_cannot_deactivate_themselves_or_the_last_administrator(personas):
    with pytest.raises(Conflict):
        services.user_deactivate(actor=personas.admin_a, user=personas.admin_a)
    other = make_user(personas.org_a, "other-admin@test.invalid", [Role.ADMINISTRATOR])
    services.user_deactivate(actor=other, user=personas.admin_a)
    with pytest.raises(Conflict):
        services.user_deactivate(actor=other, user=other)


def test_deactivating_twice_is_a_conflict_and_reactivation_restores(personas):
    services.user_deactivate(actor=personas.admin_a, user=personas.caseworker_a)
    with pytest.raises(Conflict):
        services.user_deactivate(actor=personas.admin_a, user=personas.caseworker_a)
    user = services.user_reactivate(actor=personas.admin_a, user=personas.caseworker_a)
    assert user.is_active and user.deactivated_at is None
    assert events("accounts.user.reactivated")
    with pytest.raises(Conflict):
        services.user_reactivate(actor=personas.admin_a, user=personas.caseworker_a)


def test_users_of_another_organisation_cannot_be_deactivated(personas):
    with pytest.raises(OutOfScope):
        services.user_deactivate(actor=personas.admin_b, user=personas.caseworker_a)
    with pytest.raises(OutOfScope):
        services.user_deactivate(actor=personas.secretariat_admin, user=personas.caseworker_a)
    assert User.objects.get(pk=personas.caseworker_a.pk).is_active


def test_changing_the_email_address_signs_the_user_out(personas, client_for):
    browser = client_for(personas.caseworker_a)
    user = services.user_update(actor=personas.admin_a, user=personas.caseworker_a, full_name="Citra Baru",
                                email="Citra.Baru@Test.Invalid")
    assert (user.full_name, user.email) == ("Citra Baru", "citra.baru@test.invalid")
    assert browser.get("/").status_code == 302
    [event] = events("accounts.user.updated")
    assert event.payload == {"fields": ["full_name", "email"]}
    with pytest.raises(DomainError):
        services.user_update(actor=personas.admin_a, user=personas.supervisor_a, full_name="S",
                             email="citra.baru@test.invalid")


def test_renaming_only_keeps_the_sessions(personas, client_for):
    browser = client_for(personas.caseworker_a)
    services.user_update(actor=personas.admin_a, user=personas.caseworker_a, full_name="Citra Lain",
                         email=personas.caseworker_a.email)
    assert browser.get("/").status_code == 200


# --- tokens -------------------------------------------------------------------------------------

def _in(days):
    return timezone.now() + timedelta(days=days)


def test_a_token_is_stored_as_a_digest_and_shown_once(personas):
    token, secret = services.token_create(actor=personas.viewer_a, name=" my   script ", expires_at=_in(30))
    assert token.name == "my script"
    assert secret.startswith(f"lgi_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.split("_", 2)[2] not in (stored.digest, stored.prefix, stored.name)
    [event] = events("accounts.token.created")
    assert secret not in str(event.payload) and token.digest not in str(event.payload)


@pytest.mark.parametrize("expires,field", [(None, "expires_at"), (-1, "expires_at"), (366, "expires_at")])
def test_a_token_needs_an_expiry_of_at_most_a_year(personas, expires, field):
    with pytest.raises(DomainError) as info:
        services.token_create(actor=personas.viewer_a, name="x", expires_at=None if expires is None else _in(expires))
    assert field in info.value.fields
    assert not ApiToken.objects.filter(user=personas.viewer_a).exists()


def test_a_token_needs_a_name(personas):
    with pytest.raises(DomainError) as info:
        services.token_create(actor=personas.viewer_a, name="  ", expires_at=_in(5))
    assert "name" in info.value.fields


def test_a_token_is_revoked_once_and_only_by_its_owner(personas):
    token, _ = services.token_create(actor=personas.viewer_a, name="x", expires_at=_in(5))
    with pytest.raises(OutOfScope):
        services.token_revoke(actor=personas.admin_a, token=token)
    services.token_revoke(actor=personas.viewer_a, token=token)
    with pytest.raises(Conflict):
        services.token_revoke(actor=personas.viewer_a, token=token)
    assert events("accounts.token.revoked")


def test_too_many_active_tokens_are_refused(personas):
    for i in range(services.TOKEN_MAX_ACTIVE):
        services.token_create(actor=personas.viewer_a, name=f"t{i}", expires_at=_in(5))
    with pytest.raises(Conflict):
        services.token_create(actor=personas.viewer_a, name="one more", expires_at=_in(5))


# --- organisation deactivation ------------------------------------------------------------------

def test_deactivating_an_organisation_ends_its_users_access_and_keeps_the_others(personas, client_for):
    from lindungi.core import policy

    browser, other = client_for(personas.caseworker_a), client_for(personas.caseworker_b)
    assert browser.get("/").status_code == 200
    token, _secret = services.token_create(actor=personas.viewer_a, name="script",
                                           expires_at=timezone.now() + timedelta(days=10))
    org = services.organisation_deactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    assert not org.is_active and org.deactivated_at is not None
    assert browser.get("/").status_code == 302  # signed out
    assert other.get("/").status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    supervisor = User.objects.get(pk=personas.supervisor_a.pk)  # as a request loads it, with its organisation
    assert supervisor.is_active and not policy.allowed(supervisor, "cases.case.view")
    assert policy.allowed(User.objects.get(pk=personas.supervisor_b.pk), "cases.case.view")
    [event] = events("accounts.organisation.deactivated")
    assert event.payload["tokens_revoked"] == 1 and event.payload["sessions_ended"] >= 1
    assert event.payload["users"] == User.objects.filter(organisation=personas.org_a, is_active=True).count()


def test_only_the_secretariat_deactivates_and_never_itself(personas):
    with pytest.raises(PolicyDenied):
        services.organisation_deactivate(actor=personas.admin_a, organisation=personas.org_a)
    with pytest.raises(PolicyDenied):
        services.organisation_deactivate(actor=personas.admin_b, organisation=personas.org_a)
    with pytest.raises(Conflict):
        services.organisation_deactivate(actor=personas.secretariat_admin, organisation=personas.org_s)
    assert Organisation.objects.filter(is_active=True).count() == 3
    assert not events("accounts.organisation.deactivated")


def test_reactivation_restores_access_but_not_after_the_data_was_destroyed(personas, client_for):
    from lindungi.core import policy
    from lindungi.crypto import rotation

    services.organisation_deactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    with pytest.raises(Conflict):
        services.organisation_deactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    org = services.organisation_reactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    assert org.is_active and org.deactivated_at is None and events("accounts.organisation.reactivated")
    assert policy.allowed(User.objects.get(pk=personas.supervisor_a.pk), "cases.case.view")
    assert client_for(personas.caseworker_a).get("/").status_code == 200
    with pytest.raises(Conflict):
        services.organisation_reactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    with pytest.raises(rotation.StillActive):
        rotation.shred(personas.org_a)
    services.organisation_deactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    rotation.shred(personas.org_a)
    with pytest.raises(Conflict) as refused:
        services.organisation_reactivate(actor=personas.secretariat_admin, organisation=personas.org_a)
    assert refused.value.code == "shredded"
    assert not Organisation.objects.get(pk=personas.org_a.pk).is_active
