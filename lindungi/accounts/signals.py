import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from lindungi.accounts.middleware import AUTH_TIME_KEY


@receiver(user_logged_in)
def _remember_login_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[AUTH_TIME_KEY] = time.time()
