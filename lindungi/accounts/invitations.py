"""Invitations: a new user gets an unusable password and a link to set one.

The link is allauth's password-reset link (same token generator, same page), so there is one
well-tested way to set a password. It stops working once the password is set or after
PASSWORD_RESET_TIMEOUT (three days by default). The email holds the link, the organisation's name
and nothing else: no roles, no name of the person who invited.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def password_set_link(user, base_url: str) -> str:
    """An absolute link to allauth's "set a new password" page for `user`."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return base_url.rstrip("/") + path


def link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def send_invitation(user, link: str) -> None:
    # The invitee's language is not known yet: the network's language (Bahasa Indonesia).
    with translation.override(settings.LANGUAGE_CODE):
        context = {"organisation": user.organisation.name, "link": link, "days": link_valid_days()}
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def default_base_url() -> str:
    """For commands without a request: the first allowed host, over HTTPS in production."""
    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")), "127.0.0.1")
    if settings.DEBUG:
        return f"http://{host}:8000"
    return f"https://{host}"
