from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lindungi.core.reference import reseed_after_flush


class LegalConfig(AppConfig):
    name = "lindungi.legal"
    label = "legal"
    verbose_name = _("Legal cases")

    def ready(self):
        reseed_after_flush(self, "Stage", self.load_reference)
        try:
            from lindungi.cases.services import case_transferred
        except ImportError:  # the cases app without transfers: nothing to follow
            return
        from lindungi.legal.transfers import on_case_transferred

        case_transferred.connect(on_case_transferred, dispatch_uid="legal-follow-case-transfer")

    def load_reference(self, using):
        from lindungi.legal.reference_data import load_reference

        load_reference(self.get_model)
