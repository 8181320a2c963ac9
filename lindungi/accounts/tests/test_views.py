"""The pages: who sees what, and sensitive actions behind a fresh re-authentication."""

import re

from django.core import mail
from django.urls import reverse

from lindungi.accounts.models import ApiToken, Organisation, User
from lindungi.accounts.tests.helpers import reauthenticate
from lindungi.core.policy import Role


def test_the_administrator_sees_users_in_the_navigation_and_lists_them(personas, client_for):
    client = client_for(personas.admin_a)
    home = client.get("/").content.decode()
    assert reverse("accounts:user_list") in home
    page = client.get(reverse("accounts:user_list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert personas.caseworker_a.full_name in body and personas.caseworker_b.full_name not in body
    assert reverse("accounts:user_create") in body


def test_a_caseworker_has_no_users_page(personas, client_for):
    client = client_for(personas.caseworker_a)
    assert reverse("accounts:user_list") not in client.get("/").content.decode()
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_inviting_asks_for_reauthentication_first(personas, client_for, django_capture_on_commit_callbacks):
    client = client_for(personas.admin_a)
    url = reverse("accounts:user_create")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate"))
    reauthenticate(client, personas.admin_a)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"full_name": "Rudi Baru", "email": "rudi@test.invalid", "roles": ["viewer"]})
    user = User.objects.get(email="rudi@test.invalid")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.organisation == personas.org_a and user.roles == {Role.VIEWER}
    assert len(mail.outbox) == 1
    detail = client.get(response["Location"]).content.decode()
    assert "Diundang" in detail and "Undangan telah dikirim" in detail


def test_a_bad_invitation_shows_the_error_on_the_form(personas, client_for):
    client = client_for(personas.admin_a)
    reauthenticate(client, personas.admin_a)
    response = client.post(reverse("accounts:user_create"),
                           {"full_name": "Dup", "email": personas.caseworker_b.email, "roles": ["viewer"]})
    assert response.status_code == 200
    assert "Sudah ada pengguna dengan alamat email ini." in response.content.decode()
    assert User.objects.filter(email=personas.caseworker_b.email).count() == 1


def test_changing_roles_needs_reauthentication_and_saves(personas, client_for):
    client = client_for(personas.admin_a)
    url = reverse("accounts:user_roles", args=[personas.caseworker_a.pk])
    response = client.post(url, {"roles": ["supervisor"]})
    assert response.status_code == 302 and reverse("mfa_reauthenticate") in response["Location"]
    assert User.objects.get(pk=personas.caseworker_a.pk).roles == {Role.CASEWORKER}
    reauthenticate(client, personas.admin_a)
    response = client.post(url, {"roles": ["supervisor"]})
    assert response.status_code == 302
    assert User.objects.get(pk=personas.caseworker_a.pk).roles == {Role.SUPERVISOR}


def test_reauthentication_resumes_the_suspended_post(personas, client_for):
    """allauth keeps the POST while asking for the code and replays it afterwards."""
    client = client_for(personas.admin_a)
    url = reverse("accounts:user_roles", args=[personas.caseworker_a.pk])
    response = client.post(url, {"roles": ["legal_officer"]})
    reauth_url = response["Location"]
    follow = client.get(reauth_url)
    assert follow.status_code in (200, 302)
    from lindungi.accounts.tests.helpers import fresh_totp_code

    next_url = re.search(r"next=([^&]+)", reauth_url).group(1)
    response = client.post(reverse("mfa_reauthenticate") + f"?next={next_url}",
                           {"code": fresh_totp_code(personas.admin_a), "next": url})
    assert response.status_code == 302
    assert User.objects.get(pk=personas.caseworker_a.pk).roles == {Role.LEGAL_OFFICER}


def test_roles_of_another_organisation_answer_404_before_any_reauthentication(personas, client_for):
    client = client_for(personas.admin_b)
    assert client.get(reverse("accounts:user_roles", args=[personas.caseworker_a.pk])).status_code == 404


def test_deactivating_from_the_page(personas, client_for):
    client = client_for(personas.admin_a)
    victim_session = client_for(personas.caseworker_a)
    response = client.post(reverse("accounts:user_deactivate", args=[personas.caseworker_a.pk]), follow=True)
    assert "dinonaktifkan" in response.content.decode()
    assert not User.objects.get(pk=personas.caseworker_a.pk).is_active
    assert victim_session.get("/").status_code == 302


def test_the_last_administrator_sees_why_they_cannot_deactivate_themselves(personas, client_for):
    client = client_for(personas.admin_a)
    page = client.get(reverse("accounts:user_detail", args=[personas.admin_a.pk])).content.decode()
    assert reverse("accounts:user_deactivate", args=[personas.admin_a.pk]) not in page
    response = client.post(reverse("accounts:user_deactivate", args=[personas.admin_a.pk]), follow=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()


def test_the_secretariat_creates_an_organisation_and_invites_its_administrator(personas, client_for,
                                                                                django_capture_on_commit_callbacks):
    client = client_for(personas.secretariat_admin)
    assert reverse("accounts:organisation_list") in client.get("/").content.decode()
    response = client.post(reverse("accounts:organisation_create"),
                           {"name": "Lembaga Uji Coba", "code": "luc", "province": "21", "city": "Batam"})
    org = Organisation.objects.get(code="LUC")
    assert response["Location"] == reverse("accounts:organisation_detail", args=[org.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Undang administrator" in page
    reauthenticate(client, personas.secretariat_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:organisation_invite_administrator", args=[org.pk]),
                    {"full_name": "Admin LUC", "email": "admin@luc.invalid"})
    admin = User.objects.get(email="admin@luc.invalid")
    assert admin.organisation == org and admin.roles == {Role.ADMINISTRATOR}
    assert len(mail.outbox) == 1


def test_a_member_administrator_edits_contact_details_but_not_the_code(personas, client_for):
    client = client_for(personas.admin_a)
    response = client.post(reverse("accounts:organisation_edit", args=[personas.org_a.pk]),
                           {"name": "Organisasi A (test)", "city": "Depok", "code": "HACK"})
    assert response.status_code == 302
    org = Organisation.objects.get(pk=personas.org_a.pk)
    assert (org.city, org.code) == ("Depok", "ORGA")


def test_creating_a_token_needs_reauthentication_and_shows_it_once(personas, client_for):
    client = client_for(personas.viewer_a)
    url = reverse("accounts:token_create")
    assert client.get(url).status_code == 302
    reauthenticate(client, personas.viewer_a)
    form = client.get(url)
    assert form.status_code == 200
    expires = form.context["form"].fields["expires_on"].initial()
    assert f'value="{expires.isoformat()}"' in form.content.decode()  # <input type=date> needs ISO dates
    response = client.post(url, {"name": "laporan bulanan", "expires_on": expires.isoformat()})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("lgi_") and secret in response.content.decode()
    assert response["Cache-Control"].count("no-store") == 1
    token = ApiToken.objects.get(user=personas.viewer_a)
    listing = client.get(reverse("accounts:token_list")).content.decode()
    assert token.name in listing and secret not in listing and token.prefix in listing


def test_a_token_longer_than_a_year_is_refused_on_the_form(personas, client_for):
    import datetime

    from django.utils import timezone

    client = client_for(personas.viewer_a)
    reauthenticate(client, personas.viewer_a)
    too_late = timezone.localdate() + datetime.timedelta(days=367)
    response = client.post(reverse("accounts:token_create"), {"name": "x", "expires_on": too_late.isoformat()})
    assert response.status_code == 200
    assert "Token berlaku paling lama satu tahun." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token(personas, client_for):
    import datetime

    from django.utils import timezone

    from lindungi.accounts import services

    token, _ = services.token_create(actor=personas.viewer_a, name="x",
                                     expires_at=timezone.now() + datetime.timedelta(days=2))
    assert client_for(personas.admin_a).post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    response = client_for(personas.viewer_a).post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_administrators_home_lists_pending_invitations_and_missing_mfa(personas, client_for):
    from lindungi.accounts.testing import make_user

    client = client_for(personas.admin_a)
    # World personas have no password yet and have never signed in: all count as invited.
    # (The administrator's own session was opened by force_login, which recorded a sign-in.)
    User.objects.filter(organisation=personas.org_a).exclude(pk=personas.admin_a.pk).update(
        password="x", last_login="2026-01-01T00:00:00Z")
    home = client.get("/")
    assert home.status_code == 200 and "Pengguna di organisasi Anda" not in home.content.decode()
    invited = make_user(personas.org_a, "invited@test.invalid", [Role.VIEWER], mfa=False)
    make_user(personas.org_a, "nomfa@test.invalid", [Role.CASEWORKER], password="x", mfa=False)
    body = client.get("/").content.decode()
    assert "Pengguna di organisasi Anda" in body
    assert "1 pengguna yang diundang belum memilih kata sandi." in body
    assert "1 pengguna masih harus mengatur autentikasi dua faktor" in body
    assert invited.full_name not in body  # counts only
    assert "Pengguna di organisasi Anda" not in client_for(personas.supervisor_a).get("/").content.decode()


def test_users_cannot_add_or_change_their_own_email_address(personas, client_for):
    from allauth.account.models import EmailAddress

    client = client_for(personas.viewer_a)
    page = client.get(reverse("account_email"))
    assert "Hanya administrator organisasi Anda yang dapat mengubahnya" in page.content.decode()
    client.post(reverse("account_email"), {"action_add": "", "email": "second@test.invalid"})
    assert not EmailAddress.objects.filter(email="second@test.invalid").exists()
    assert not User.objects.filter(email="second@test.invalid").exists()


def test_after_choosing_a_password_the_user_is_led_to_sign_in(db, client):
    page = client.get(reverse("account_reset_password_from_key_done")).content.decode()
    assert "Kata sandi Anda telah disimpan" in page and reverse("account_login") in page


def test_the_secretariat_deactivates_an_organisation_after_typing_its_code_and_reactivates_it(personas, client_for):
    client = client_for(personas.secretariat_admin)
    detail = reverse("accounts:organisation_detail", args=[personas.org_a.pk])
    deactivate = reverse("accounts:organisation_deactivate", args=[personas.org_a.pk])
    assert deactivate in client.get(detail).content.decode()
    assert client.get(deactivate).status_code == 302  # asks to confirm identity first
    reauthenticate(client, personas.secretariat_admin)
    page = client.post(deactivate, {"code": "ORGB"}).content.decode()
    assert "Ini bukan kode singkat organisasi tersebut." in page
    assert Organisation.objects.get(pk=personas.org_a.pk).is_active
    response = client.post(deactivate, {"code": " orga "})
    assert response["Location"] == detail
    assert not Organisation.objects.get(pk=personas.org_a.pk).is_active
    page = client.get(detail).content.decode()
    assert "nonaktif" in page and deactivate not in page
    reactivate = reverse("accounts:organisation_reactivate", args=[personas.org_a.pk])
    assert reactivate in page
    assert client.post(reactivate)["Location"] == detail
    assert Organisation.objects.get(pk=personas.org_a.pk).is_active


def test_a_member_administrator_cannot_reach_the_deactivation_of_any_organisation(personas, client_for):
    client = client_for(personas.admin_a)
    for org in (personas.org_a, personas.org_b):
        assert client.get(reverse("accounts:organisation_deactivate", args=[org.pk])).status_code in (403, 404)
        assert client.post(reverse("accounts:organisation_reactivate", args=[org.pk])).status_code in (403, 404)
    assert reverse("accounts:organisation_deactivate", args=[personas.org_a.pk]) not in client.get(
        reverse("accounts:organisation_detail", args=[personas.org_a.pk])).content.decode()
    assert Organisation.objects.filter(is_active=False).count() == 0
