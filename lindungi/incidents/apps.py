from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_reference(sender, using="default", **kwargs):
    """The reference lists are seeded by a data migration; this puts them back after a `flush`
    (which empties every table, then sends post_migrate). A no-op when they are there."""
    from django.apps import apps
    from django.db import connections

    from lindungi.incidents.models import Platform
    from lindungi.incidents.reference_data import load_reference

    if Platform._meta.db_table not in connections[using].introspection.table_names():
        return  # the migrations have not run (yet) on this database
    if not Platform.objects.using(using).exists():
        load_reference(lambda name: apps.get_model("incidents", name))


class IncidentsConfig(AppConfig):
    name = "lindungi.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        post_migrate.connect(ensure_reference, sender=self, dispatch_uid="lindungi.incidents.ensure_reference")
