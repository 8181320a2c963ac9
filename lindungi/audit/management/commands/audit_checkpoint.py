"""Sign the head of the audit chain now (run it from cron, e.g. every 15 minutes).

The printed line (seq, hash, signature) is worth keeping outside the database too (a log
collector, an e-mail): with it, even someone who can drop the triggers and delete checkpoints
cannot truncate the trail unnoticed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from lindungi.audit.services import write_checkpoint


class Command(BaseCommand):
    help = "Sign a checkpoint of the audit chain's head."

    def handle(self, *args, **options):
        checkpoint = write_checkpoint()
        if checkpoint is None:
            self.stdout.write("The audit trail is empty: no checkpoint.")
            return
        self.stdout.write(
            f"audit-checkpoint seq={checkpoint.seq} hash={checkpoint.hash} "
            f"signed_at={checkpoint.signed_at.isoformat()} public_key={checkpoint.public_key} "
            f"signature={checkpoint.signature}"
        )
