"""lindungi.env: typed readers that fail loudly on values they cannot parse."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from lindungi import env


@pytest.fixture
def environ(monkeypatch):
    for name in ("LGI_X", "LGI_X_FILE"):
        monkeypatch.delenv(name, raising=False)

    def set_(name, value):
        monkeypatch.setenv(name, value)

    return set_


def test_str_returns_the_value_or_the_default(environ):
    assert env.env_str("LGI_X", "fallback") == "fallback"
    environ("LGI_X", "value")
    assert env.env_str("LGI_X", "fallback") == "value"


def test_a_required_str_that_is_missing_or_empty_fails(environ):
    with pytest.raises(ImproperlyConfigured, match="LGI_X is required"):
        env.env_str("LGI_X")
    environ("LGI_X", "")
    with pytest.raises(ImproperlyConfigured, match="LGI_X is required"):
        env.env_str("LGI_X")


def test_a_secret_can_come_from_a_file(environ, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    environ("LGI_X_FILE", str(secret))
    assert env.env_str("LGI_X") == "from-a-file"


def test_a_value_and_a_file_together_are_refused(environ, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("x")
    environ("LGI_X", "y")
    environ("LGI_X_FILE", str(secret))
    with pytest.raises(ImproperlyConfigured, match="either LGI_X or LGI_X_FILE"):
        env.env_str("LGI_X")


def test_an_unreadable_file_fails(environ, tmp_path):
    environ("LGI_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env.env_str("LGI_X")


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("ON", True),
                                               ("0", False), ("false", False), ("no", False), ("off", False)])
def test_bool_understands_the_usual_spellings(environ, raw, expected):
    environ("LGI_X", raw)
    assert env.env_bool("LGI_X", not expected) is expected


def test_bool_uses_the_default_when_unset_and_fails_on_anything_else(environ):
    assert env.env_bool("LGI_X", True) is True
    environ("LGI_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env.env_bool("LGI_X", True)


def test_int_parses_checks_the_minimum_and_fails_on_text(environ):
    assert env.env_int("LGI_X", 7) == 7
    environ("LGI_X", "42")
    assert env.env_int("LGI_X", 7, minimum=1) == 42
    environ("LGI_X", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env.env_int("LGI_X", 7, minimum=1)
    environ("LGI_X", "forty")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env.env_int("LGI_X", 7)


def test_a_required_int_that_is_missing_fails(environ):
    with pytest.raises(ImproperlyConfigured):
        env.env_int("LGI_X")


def test_list_splits_on_commas_and_drops_blanks(environ):
    assert env.env_list("LGI_X", ["a"]) == ["a"]
    environ("LGI_X", " one.example, two.example ,,")
    assert env.env_list("LGI_X") == ["one.example", "two.example"]


KEY = bytes(range(32))


@pytest.mark.parametrize("encode", [base64.b64encode, base64.urlsafe_b64encode,
                                    lambda k: base64.b64encode(k).rstrip(b"=")])
def test_key_accepts_standard_url_safe_and_unpadded_base64(environ, encode):
    environ("LGI_X", encode(KEY).decode())
    assert env.env_key("LGI_X") == KEY


def test_key_can_come_from_a_file(environ, tmp_path):
    path = tmp_path / "kek"
    path.write_text(base64.b64encode(KEY).decode() + "\n")
    environ("LGI_X_FILE", str(path))
    assert env.env_key("LGI_X") == KEY


def test_a_key_of_the_wrong_length_fails(environ):
    environ("LGI_X", base64.b64encode(KEY[:16]).decode())
    with pytest.raises(ImproperlyConfigured, match="32 bytes, not 16"):
        env.env_key("LGI_X")


def test_a_key_with_characters_outside_base64_fails(environ):
    text = base64.b64encode(KEY).decode()
    environ("LGI_X", text[:10] + "!" + text[10:])
    with pytest.raises(ImproperlyConfigured, match="not valid base64"):
        env.env_key("LGI_X")


def test_a_required_key_that_is_missing_fails(environ):
    with pytest.raises(ImproperlyConfigured, match="LGI_X"):
        env.env_key("LGI_X")
    assert env.env_key("LGI_X", b"default") == b"default"


def test_database_url_for_postgresql_and_sqlite(environ):
    environ("LGI_X", "postgres://lindungi:s3cret@db.internal:5433/lindungi")
    config = env.env_database("LGI_X")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "lindungi", "lindungi", "s3cret", "db.internal", 5433)
    environ("LGI_X", "sqlite:////srv/lindungi/db.sqlite3")
    assert env.env_database("LGI_X")["NAME"] == "/srv/lindungi/db.sqlite3"


@pytest.mark.parametrize("url", ["postgress://db/lindungi", "lindungi", "mysql://db/lindungi", "postgres://db"])
def test_a_database_url_that_lindungi_cannot_use_fails(environ, url):
    environ("LGI_X", url)
    with pytest.raises(ImproperlyConfigured, match="LGI_X"):
        env.env_database("LGI_X")
