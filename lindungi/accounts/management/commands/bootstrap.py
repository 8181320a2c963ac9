from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lindungi.accounts import invitations, services
from lindungi.core.errors import DomainError
from lindungi.geo.models import Region


class Command(BaseCommand):
    help = (
        "Prepares a fresh installation: creates the network secretariat and its first administrator, "
        "and prints a link where that administrator chooses a password. Runs once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Name of the network secretariat.")
        parser.add_argument("--code", required=True, help="Short code (2-8 capital letters/digits), e.g. SEK.")
        parser.add_argument("--admin-email", required=True, help="Email address of the first administrator.")
        parser.add_argument("--admin-name", required=True, help="Full name of the first administrator.")
        parser.add_argument("--province", default=None, help="Province code, e.g. 31 for DKI Jakarta.")
        parser.add_argument("--base-url", default=None,
                            help="Address Lindungi is served at, e.g. https://lindungi.example.org "
                                 "(default: the first ALLOWED_HOSTS entry).")

    def handle(self, *args, **options):
        with translation.override("en"):  # operators' output, like the rest of this command
            self._bootstrap(**options)

    def _bootstrap(self, *, name, code, admin_email, admin_name, province, base_url, **options):
        region = None
        if province:
            region = Region.objects.filter(code=province, level=Region.Level.PROVINCE).first()
            if region is None:
                raise CommandError(f"Unknown province code {province!r}.")
        base_url = base_url or invitations.default_base_url()
        try:
            organisation, user, link = services.bootstrap(
                name=name, code=code, admin_email=admin_email, admin_name=admin_name, base_url=base_url,
                province=region,
            )
        except DomainError as exc:
            details = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in exc.fields.items())
            raise CommandError(f"{exc.message}{' (' + details + ')' if details else ''}") from exc
        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} ({organisation.code}) and its administrator."))
        self.stdout.write(
            f"Send this link to the administrator to choose a password (valid for {invitations.link_valid_days()} "
            "days, works once):"
        )
        self.stdout.write(link)
        self.stdout.write("They will set up two-factor authentication at their first sign-in.")
