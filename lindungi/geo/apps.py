from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_regions(sender, using="default", **kwargs):
    """Regions are reference data that every install needs: the data migration loads them, and
    this puts them back after a `flush` (which empties every table, then sends post_migrate), as
    the contenttypes app does for its own rows. A no-op when they are there."""
    from django.db import connections

    from lindungi.geo.loader import load_regions
    from lindungi.geo.models import Region

    if Region._meta.db_table not in connections[using].introspection.table_names():
        return  # geo's migrations have not run (yet) on this database
    if not Region.objects.using(using).exists():
        load_regions(Region, using=using)


class GeoConfig(AppConfig):
    name = "lindungi.geo"
    label = "geo"
    verbose_name = _("Regions")

    def ready(self):
        post_migrate.connect(ensure_regions, sender=self, dispatch_uid="lindungi.geo.ensure_regions")
