"""Crypto-shred an organisation: delete its data keys, so that everything encrypted for it (field
values, files, blind indexes) becomes unreadable for good. Irreversible; see docs/security.md."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lindungi.crypto import rotation


class Command(BaseCommand):
    help = "Delete an organisation's data keys (crypto-shredding). Irreversible."

    def add_arguments(self, parser):
        parser.add_argument("code", help="The organisation's code.")
        parser.add_argument("--confirm", required=True, metavar="CODE",
                            help="Repeat the organisation's code to confirm.")

    def handle(self, *args, code, confirm, **options):
        from lindungi.accounts.models import Organisation

        code = code.strip().upper()
        if confirm.strip().upper() != code:
            raise CommandError("--confirm must repeat the organisation's code.")
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise CommandError(f"No organisation with the code {code!r}.")
        try:
            count = rotation.shred(organisation)
        except rotation.StillActive:
            raise CommandError(f"{code} is still active: deactivate it first (Organisations, as a secretariat "
                               "administrator), so that none of its users is signed in.") from None
        self.stdout.write(self.style.SUCCESS(
            f"{count} data key(s) of {code} deleted. Its encrypted data can no longer be read (running "
            "processes forget cached keys within 5 minutes); let the backups holding the wrapped keys expire."
        ))
