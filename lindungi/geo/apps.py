from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lindungi.core.reference import reseed_after_flush


class GeoConfig(AppConfig):
    name = "lindungi.geo"
    label = "geo"
    verbose_name = _("Regions")

    def ready(self):
        reseed_after_flush(self, "Region", self.load_regions)

    def load_regions(self, using):
        from lindungi.geo.loader import load_regions

        load_regions(self.get_model("Region"), using=using)
