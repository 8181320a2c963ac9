"""Rotate data keys (re-encrypt and re-index every encrypted row), or re-wrap them with a new KEK.

    manage.py rotate_keys --organisation YKB        # one organisation's data key
    manage.py rotate_keys --all                     # every organisation's key and the network key
    manage.py rotate_keys --network                 # only the network key (network-wide indexes)
    manage.py rotate_keys --all --rewrap-only       # after a KEK change (old KEK in LINDUNGI_KEK_PREVIOUS)

Safe to run again: an interrupted rotation resumes (rows already done are skipped).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lindungi.crypto import keys, rotation
from lindungi.crypto.models import DataKey


class Command(BaseCommand):
    help = "Rotate data keys (re-encrypt and re-index), or re-wrap them with the current KEK."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", action="append", default=[], metavar="CODE",
                            help="Organisation code (repeatable).")
        parser.add_argument("--all", action="store_true", help="Every organisation, and the network key.")
        parser.add_argument("--network", action="store_true", help="The network key (network-wide indexes).")
        parser.add_argument("--rewrap-only", action="store_true",
                            help="Only re-wrap the data keys with the current KEK (after a KEK change).")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--settle-seconds", type=float, default=None,
            help=f"Wait after activating a new key before checking rows (default {keys.ACTIVE_TTL_SECONDS + 2}: "
                 "other processes cache the active key that long). 0 only when no other process runs.",
        )

    def handle(self, *args, organisation, all, network, rewrap_only, batch_size, settle_seconds, **options):
        from lindungi.accounts.models import Organisation

        if not (organisation or all or network):
            raise CommandError("Say what to rotate: --organisation CODE, --all or --network.")
        if organisation and all:
            raise CommandError("--organisation and --all exclude each other.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        orgs = []
        for code in organisation:
            org = Organisation.objects.filter(code=code.strip().upper()).first()
            if org is None:
                raise CommandError(f"No organisation with the code {code!r}.")
            orgs.append(org)
        if all:
            with_keys = DataKey.objects.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
            orgs = list(Organisation.objects.filter(pk__in=with_keys).order_by("code"))
        include_network = network or all
        log = self.stdout.write

        if rewrap_only:
            try:
                count = rotation.rewrap(None if all else [o.pk for o in orgs], include_network=include_network, log=log)
            except keys.KeyError_ as exc:
                raise CommandError(f"{exc} Keys re-wrapped so far stay re-wrapped; run the command again.") from exc
            # Two-factor secrets are sealed with a key derived from the KEK itself (they belong to no
            # organisation): without this, a KEK change would lock everyone out of their MFA.
            from lindungi.accounts.services import mfa_secrets_reseal

            try:
                resealed = mfa_secrets_reseal(log=log)
            except keys.KeyError_ as exc:
                raise CommandError(f"{exc} Secrets re-sealed so far stay re-sealed; run the command again.") from exc
            self.stdout.write(self.style.SUCCESS(f"{count} data key(s) re-wrapped and {resealed} two-factor "
                                                 f"secret(s) re-sealed with KEK {keys.kek_id(keys.current_kek())}."))
            return

        try:
            for org in orgs:
                self.stdout.write(f"{org.code}:")
                result = rotation.rotate(org.pk, batch_size=batch_size, settle_seconds=settle_seconds, log=log)
                if result is None:
                    self.stdout.write("  no data key yet: nothing is encrypted, nothing to rotate")
            if include_network:
                self.stdout.write("network key:")
                result = rotation.rotate(None, batch_size=batch_size, settle_seconds=settle_seconds, log=log)
                if result is None:
                    self.stdout.write("  no network key yet: nothing to rotate")
        except (keys.KeyError_, RuntimeError) as exc:
            raise CommandError(f"{exc} Nothing was lost: run the same command again to resume.") from exc
        self.stdout.write(self.style.SUCCESS("Key rotation complete."))
