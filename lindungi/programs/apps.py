from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lindungi.core.reference import reseed_after_flush


class ProgramsConfig(AppConfig):
    name = "lindungi.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self):
        reseed_after_flush(self, "ActivityType", self.load_reference)

    def load_reference(self, using):
        from lindungi.programs.reference_data import load_reference

        load_reference(self.get_model)
