from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lindungi.core.reference import reseed_after_flush


class IncidentsConfig(AppConfig):
    name = "lindungi.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        reseed_after_flush(self, "Platform", self.load_reference)

    def load_reference(self, using):
        from lindungi.incidents.reference_data import load_reference

        load_reference(self.get_model)
