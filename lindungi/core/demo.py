"""The demo network: each app adds its part through `lindungi.<app>.demo.load(ctx)`, in order.
Everything is synthetic and obviously fictional."""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field

DEMO_MODULES = [
    "lindungi.accounts.demo",
    "lindungi.cases.demo",
    "lindungi.incidents.demo",
    "lindungi.legal.demo",
    "lindungi.programs.demo",
    "lindungi.reports.demo",
]
DEMO_PASSWORD = "lindungi-demo-2026"
DEMO_TOTP_SECRET = "LINDUNGIDEMOTOTPLINDUNGIDEMOTOTP"  # base32; fictional demo accounts only


@dataclass
class DemoContext:
    seed: int = 2026
    rng: random.Random = field(init=False)
    organisations: dict = field(default_factory=dict)  # code -> Organisation
    users: dict = field(default_factory=dict)  # key (e.g. "YKB.caseworker") -> User
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)

    def user(self, org_code: str, role: str):
        return self.users[f"{org_code}.{role}"]


def load(seed: int = 2026, log=print) -> DemoContext:
    ctx = DemoContext(seed=seed)
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        log(f"  {name.split('.')[1]}…")
        module.load(ctx)
    return ctx
