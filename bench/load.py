#!/usr/bin/env python
"""Bounded load test on loopback: simulated users against gunicorn + PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/load.py --cases 100000

Uses (or first creates, like bench/run.py) the benchmark database `lindungi_bench`, starts
gunicorn on 127.0.0.1 (only loopback: nothing else is ever a target), signs the simulated users in
with server-side sessions (no password round trips), then runs every user in its own thread with
keep-alive HTTP for `--duration` seconds: caseworkers open their home page, their list, their cases
and search for a child; supervisors filter the organisation's list, search and open cases; analysts
read the network statistics. Each user waits a random think time between requests. At the end it
stops gunicorn and prints errors, throughput and latency percentiles (overall and per kind).
The loop is bounded in time and in requests per user; it stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

HOST = "127.0.0.1"  # loopback only
MAX_REQUESTS_PER_USER = 5000


def _sessions(users) -> dict:
    """A signed-in session per user, made server-side, as a login would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from lindungi.accounts.middleware import AUTH_TIME_KEY

    keys = {}
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[AUTH_TIME_KEY] = time.time()
        session.create()
        keys[user.pk] = session.session_key
    return keys


def plan_users(count: int, seed: int) -> list[dict]:
    """`count` simulated users (70% caseworkers, 20% supervisors, 10% analysts) and what each may
    ask for, sampled from the data."""
    from lindungi.cases.models import Case

    world = run.World(seed)
    rng = random.Random(seed)
    analysts = max(1, count // 10)
    supervisors = max(1, count // 5)
    caseworkers = count - analysts - supervisors
    users = []
    for user in rng.sample(world.caseworkers, min(caseworkers, len(world.caseworkers))):
        own = list(Case.objects.filter(assigned_caseworker=user, child__isnull=False).select_related("child")
                   .order_by("-registered_on")[:30])
        users.append({"user": user, "kind": "caseworker", "cases": [str(c.pk) for c in own],
                      "names": [c.child.full_name for c in own[:10]]})
    for _ in range(supervisors):
        case = world.random_case()
        sample = [world.random_case() for _ in range(5)]
        users.append({"user": world.supervisors[case.organisation_id], "kind": "supervisor",
                      "cases": [str(c.pk) for c in sample if c.organisation_id == case.organisation_id] or [str(case.pk)],
                      "names": [case.child.full_name], "provinces": world.provinces.get(case.organisation_id, []),
                      "years": world.years})
    for _ in range(analysts):
        users.append({"user": world.analyst, "kind": "analyst", "years": world.years,
                      "provinces": sorted({p for ps in world.provinces.values() for p in ps})})
    return users


STATUSES = ["assessment", "case_plan", "services", "follow_up", "closed"]


def next_request(profile: dict, rng: random.Random) -> tuple[str, str]:
    """(kind, path) for the user's next request: the realistic mix of issue 7."""
    kind = profile["kind"]
    if kind == "analyst":
        params = {"level": "network"}
        if rng.random() < 0.5:
            params["year"] = rng.choice(profile["years"])
        return "statistics", "/reports/?" + urlencode(params)
    roll = rng.random()
    if kind == "caseworker":
        if roll < 0.25 or not profile["cases"]:
            return "home", "/"
        if roll < 0.5:
            return "list", "/cases/?" + urlencode({"status": rng.choice(STATUSES)})
        if roll < 0.8:
            return "case", f"/cases/{rng.choice(profile['cases'])}/"
        return "search", "/cases/?" + urlencode({"q": rng.choice(profile["names"])})
    if roll < 0.45:
        params = {"status": rng.choice(STATUSES)}
        if profile["provinces"] and rng.random() < 0.6:
            params["province"] = rng.choice(profile["provinces"])
        return "list", "/cases/?" + urlencode(params)
    if roll < 0.7:
        return "case", f"/cases/{rng.choice(profile['cases'])}/"
    if roll < 0.85:
        return "search", "/cases/?" + urlencode({"q": rng.choice(profile["names"])})
    return "home", "/"


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float]] = []
        self.errors: list[str] = []

    def ok(self, kind, seconds):
        with self.lock:
            self.samples.append((kind, seconds))

    def error(self, message):
        with self.lock:
            self.errors.append(message)


def simulate(profile, cookie_name, session_key, port, deadline, think, seed, recorder):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Cookie": f"{cookie_name}={session_key}", "Accept-Language": "id"}
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= deadline:
            break
        kind, path = next_request(profile, rng)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            seconds = time.perf_counter() - started
            if response.status == 200:
                recorder.ok(kind, seconds)
            else:
                recorder.error(f"{kind} {path}: HTTP {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            recorder.error(f"{kind} {path}: {type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
        if think:
            remaining = deadline - time.monotonic()
            if remaining > 0:
                time.sleep(min(remaining, rng.uniform(0, 2 * think)))
    conn.close()


def free_port() -> int:
    """A loopback port nobody listens on (another server answering our requests would be a false result)."""
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False


def start_gunicorn(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    if _answers(port):
        raise SystemExit(f"Something already listens on {HOST}:{port}; choose another --port.")
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "lindungi.wsgi:application", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread",
               "--timeout", "120", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting.")
        if _answers(port):
            return process
        if process.poll() is not None:
            raise SystemExit("gunicorn exited while starting.")
        time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not answer within 60 s.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def summarise(recorder: Recorder, seconds: float) -> dict:
    times = [s for _k, s in recorder.samples]
    kinds = sorted({k for k, _s in recorder.samples})
    return {
        "requests": len(times), "errors": len(recorder.errors), "error_examples": recorder.errors[:10],
        "seconds": round(seconds, 1), "throughput_rps": round(len(times) / seconds, 1) if seconds else 0,
        "p50_ms": round(run.percentile(times, 0.5) * 1000, 1) if times else None,
        "p95_ms": round(run.percentile(times, 0.95) * 1000, 1) if times else None,
        "p99_ms": round(run.percentile(times, 0.99) * 1000, 1) if times else None,
        "by_kind": {k: {"n": len(v), "p50_ms": round(run.percentile(v, 0.5) * 1000, 1),
                        "p95_ms": round(run.percentile(v, 0.95) * 1000, 1)}
                    for k in kinds for v in [[s for kk, s in recorder.samples if kk == k]]},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="Size of the benchmark dataset.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.5, help="Mean think time between requests (s); 0: none.")
    parser.add_argument("--port", type=int, default=0, help="Loopback port for gunicorn (default: a free one).")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load test runs against PostgreSQL: set DATABASE_URL=postgres://… (the benchmark "
                         f"uses the database {run.PG_DATABASE} on that server).")
    url = run.bench_database_url(args.cases, given)
    run._check_dedicated(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    dataset = run.prepare(cases=args.cases, seed=args.seed, workers=2, fresh=False, url=url)
    profiles = plan_users(args.users, args.seed)
    sessions = _sessions({p["user"].pk: p["user"] for p in profiles}.values())
    connections.close_all()

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args.port = args.port or free_port()
    process = start_gunicorn(args.port, args.gunicorn_workers, args.threads, env)
    recorder = Recorder()
    try:
        print(f"Load: {len(profiles)} users for {args.duration:g} s against gunicorn "
              f"({args.gunicorn_workers} workers × {args.threads} threads) on {HOST}:{args.port}…")
        deadline = time.monotonic() + args.duration
        started = time.perf_counter()
        threads = [threading.Thread(target=simulate, daemon=True, args=(
            profile, settings.SESSION_COOKIE_NAME, sessions[profile["user"].pk], args.port, deadline, args.think,
            args.seed * 1000 + index, recorder)) for index, profile in enumerate(profiles)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 120)
        elapsed = time.perf_counter() - started
    finally:
        stop(process)
    result = summarise(recorder, elapsed)
    result.update(users=len(profiles), think_s=args.think, gunicorn=f"{args.gunicorn_workers}x{args.threads} gthread",
                  cases=dataset.get("cases"), load_average=run.load_average())
    print(json.dumps(result, indent=2))
    out = args.json or ROOT / "var" / f"load-results-{args.cases}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"Results written to {out}")
    return 1 if recorder.errors else 0


if __name__ == "__main__":
    sys.exit(main())
