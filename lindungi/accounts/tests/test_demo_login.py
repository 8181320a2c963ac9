"""Demo users can sign in right after the demo data is loaded (password + the printed TOTP secret)."""

from django.test import Client

from lindungi.accounts import demo
from lindungi.accounts.tests.helpers import sign_in
from lindungi.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoContext
from lindungi.core.policy import Role


def test_every_demo_user_signs_in(db):
    ctx = DemoContext()
    demo.load(ctx)
    for key, user in ctx.users.items():
        client = Client()
        sign_in(client, user, password=DEMO_PASSWORD, secret=DEMO_TOTP_SECRET)
        home = client.get("/")
        assert home.status_code == 200, key
        assert user.organisation.name in home.content.decode()


def test_the_login_help_names_the_demo_accounts(db):
    text = demo.login_help()
    assert DEMO_PASSWORD in text and DEMO_TOTP_SECRET in text
    assert demo.demo_email("YKB", Role.CASEWORKER) in text
