"""Verify the audit trail: checkpoint signatures, the hash chain, and truncation.

    manage.py verify_audit                      # the whole chain
    manage.py verify_audit --from-checkpoint    # from the newest checkpoint that still matches
    manage.py verify_audit --public-key HEX     # also trust an older signing key's public key

Exit status 0 when intact; otherwise 1, with the first bad event named.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from lindungi.audit import verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and signed checkpoints."

    def add_arguments(self, parser):
        parser.add_argument("--from-checkpoint", action="store_true",
                            help="Start at the newest valid checkpoint instead of the first event.")
        parser.add_argument("--public-key", action="append", default=[], metavar="HEX",
                            help="An older checkpoint-signing public key to trust (repeatable).")
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args, from_checkpoint, public_key, chunk_size, **options):
        started = time.monotonic()
        try:
            report = verify.verify(
                from_checkpoint=from_checkpoint, extra_public_keys=public_key, chunk_size=chunk_size,
                progress=lambda n: self.stdout.write(f"  {n} events verified…"),
            )
        except ValueError as exc:
            raise CommandError(f"Bad --public-key: {exc}") from exc
        seconds = time.monotonic() - started
        if report.started_at_checkpoint is not None:
            self.stdout.write(f"Started at checkpoint #{report.started_at_checkpoint}.")
        elif from_checkpoint:
            self.stdout.write("No valid checkpoint matches the chain: verified from the first event.")
        if not report.ok:
            for problem in sorted(report.problems, key=lambda p: p.seq):
                self.stderr.write(f"  {problem}")
            first = report.first_problem
            raise CommandError(f"Audit trail NOT intact: first bad event is #{first.seq} — {first.message}.")
        if report.events == 0:
            self.stdout.write(self.style.SUCCESS("Audit trail is empty; nothing to verify."))
            return
        self.stdout.write(self.style.SUCCESS(
            f"Audit trail intact: events #{report.first_seq}–#{report.last_seq} ({report.events}) verified, "
            f"{report.checkpoints} checkpoint signature(s) valid, head {report.head_hash} ({seconds:.1f} s)."
        ))
