from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lindungi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from lindungi.accounts import signals  # noqa: F401
