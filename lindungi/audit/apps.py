from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lindungi.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from lindungi.audit import signals  # noqa: F401
