from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lindungi.core"
    label = "core"
    verbose_name = _("Lindungi")

    def ready(self):
        from lindungi.core import lookups  # noqa: F401 (registers `__any_of`)
