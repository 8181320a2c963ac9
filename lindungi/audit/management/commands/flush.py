"""Django's `flush`, which must lift the audit triggers to empty the tables. Refused unless
LINDUNGI_ALLOW_FLUSH (development and tests): in production the audit trail is never emptied."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from lindungi.audit import triggers


class Command(FlushCommand):
    def handle(self, **options):
        if not settings.LINDUNGI_ALLOW_FLUSH:
            raise CommandError("flush is disabled here: the audit trail is append-only.")
        connection = connections[options["database"]]
        triggers.uninstall(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
