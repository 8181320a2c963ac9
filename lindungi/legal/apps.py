from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_reference(sender, using="default", **kwargs):
    """The reference lists (stages, laws, ...) are seeded by a data migration; this puts them back
    after a `flush` (which empties every table, then sends post_migrate). A no-op when present."""
    from django.apps import apps
    from django.db import connections

    from lindungi.legal.models import Stage
    from lindungi.legal.reference_data import load_reference

    if Stage._meta.db_table not in connections[using].introspection.table_names():
        return  # the migrations have not run (yet) on this database
    if not Stage.objects.using(using).exists():
        load_reference(lambda name: apps.get_model("legal", name))


class LegalConfig(AppConfig):
    name = "lindungi.legal"
    label = "legal"
    verbose_name = _("Legal cases")

    def ready(self):
        post_migrate.connect(ensure_reference, sender=self, dispatch_uid="lindungi.legal.ensure_reference")
        try:
            from lindungi.cases.services import case_transferred
        except ImportError:  # the cases app without transfers: nothing to follow
            return
        from lindungi.legal.transfers import on_case_transferred

        case_transferred.connect(on_case_transferred, dispatch_uid="legal-follow-case-transfer")
