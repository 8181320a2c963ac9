from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(sender, using="default", **kwargs):
    # Every migrate re-creates the data-version triggers: a migration that rebuilds a table on
    # SQLite drops its triggers, and a cache without them could disagree with the data.
    from django.db import connections

    from lindungi.reports import cube, freshness, record_cube

    freshness.install(connections[using])
    cube.install(connections[using])
    record_cube.install(connections[using])


class ReportsConfig(AppConfig):
    name = "lindungi.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="reports.install_triggers")
