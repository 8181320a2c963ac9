"""Settings for benchmarks and the load test: the development settings (keys under var/keys/) with
DEBUG off, as in production: no query logging, no debug pages. The database is the benchmark's own
(DATABASE_URL set by bench/run.py or bench/load.py), never the development database."""

from lindungi.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# The load test's simulated users all come from 127.0.0.1: the per-IP login limits do not apply
# (they sign in with server-side sessions), and neither does anything else address-based.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
