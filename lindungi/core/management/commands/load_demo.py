from django.core.management.base import BaseCommand
from django.db import transaction

from lindungi.accounts.models import Organisation
from lindungi.core import demo


class Command(BaseCommand):
    help = "Loads the synthetic demo network (organisations, users per role, and each app's demo data)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        if Organisation.objects.filter(code="SEK").exists():
            self.stdout.write("The demo network is already loaded.")
        else:
            self.stdout.write("Loading the demo network…")
            with transaction.atomic():
                ctx = demo.load(seed=seed, log=self.stdout.write)
            for note in ctx.notes:
                self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(demo_login_help()))


def demo_login_help() -> str:
    from lindungi.accounts.demo import login_help

    return login_help()
