import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lindungi.synthetic import generator


class Command(BaseCommand):
    help = (
        "Fills the database with a synthetic national network (obviously fictional): organisations, staff, "
        "N cases with children, consents, assessments, plans, referrals, follow-ups, incidents, legal cases, "
        "programs and activities. For benchmarks: use a dedicated database, never one with real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="Number of cases to generate.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed (and --as-of) → same content.")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None,
                            help="The date the data ends (YYYY-MM-DD); default today.")
        parser.add_argument("--workers", type=int, default=generator.default_workers(),
                            help="Writer processes on PostgreSQL (SQLite always uses one).")
        parser.add_argument("--batch", type=int, default=2000, help="Cases per transaction and audit event.")
        parser.add_argument("--validate", choices=["all", "sample", "none"], default="sample",
                            help="Run the models' validators on all rows, on every --sample-every-th case's "
                                 "rows (default), or not at all.")
        parser.add_argument("--sample-every", type=int, default=50)
        parser.add_argument("--i-know-this-is-not-production", action="store_true",
                            help="Required when DEBUG is off: never fill a production database with fiction.")

    def handle(self, *args, cases, seed, as_of, workers, batch, validate, sample_every, **options):
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError("DEBUG is off: is this a production database? Pass --i-know-this-is-not-production "
                               "to generate synthetic data anyway.")
        try:
            opts = generator.Options(cases=cases, seed=seed, as_of=as_of, workers=workers, batch=batch,
                                     validate=validate, sample_every=sample_every, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Generating {cases:,} synthetic cases (seed {seed}, as of {opts.as_of}) "
                          f"into {connection.vendor} database {connection.settings_dict['NAME']}…")
        try:
            report = generator.generate(opts)
        except generator.AlreadyGenerated as exc:
            raise CommandError(str(exc)) from exc
        for key in sorted(report.counts):
            self.stdout.write(f"  {key:<32} {report.counts[key]:>12,}")
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report.seconds.items())
        self.stdout.write(f"  validated rows: {report.validated:,} ({validate}); audit events: {report.audit_events:,}; "
                          f"writer processes: {report.workers}; CPU {report.cpu_seconds:.1f} s "
                          f"({report.cpu_ms_per_case:.2f} ms per case)")
        self.stdout.write(self.style.SUCCESS(
            f"Done in {report.total_seconds:.1f} s ({phases}): {report.cases_per_second:,.0f} cases/s overall."))
