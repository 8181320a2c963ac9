"""Authentication events into the audit trail (logins, failed logins, logouts)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from lindungi.audit.services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("accounts.login.succeeded", actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.logout", actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted e-mail is personal data and may not even be an account: never stored.
    record("accounts.login.failed", payload={})
