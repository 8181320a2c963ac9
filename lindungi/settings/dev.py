"""Development: works with no configuration. Keys are generated once under var/keys/."""

import base64
import secrets

from lindungi.env import env_key, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret(name: str, size: int) -> str:
    """A random secret kept in var/keys/NAME, created on first use (development only)."""
    path = VAR_DIR / "keys" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(size)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", _local_secret("secret_key", 48))
LINDUNGI_KEK = env_key("LINDUNGI_KEK", base64.urlsafe_b64decode(_local_secret("kek", 32)))
LINDUNGI_AUDIT_SIGNING_KEY = env_key(
    "LINDUNGI_AUDIT_SIGNING_KEY", base64.urlsafe_b64decode(_local_secret("audit_signing", 32))
)
LINDUNGI_ALLOW_FLUSH = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

# Static files straight from the apps (no collectstatic needed); production serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
