"""Tests: fixed, obviously fake keys and a fast password hasher (Argon2 is asserted elsewhere)."""

import base64

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS, REST_FRAMEWORK

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-" + "x" * 32
LINDUNGI_KEK = base64.urlsafe_b64decode(b"dGVzdC1rZWstMDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY=")
LINDUNGI_AUDIT_SIGNING_KEY = bytes(range(32))
LINDUNGI_ALLOW_FLUSH = True
INSTALLED_APPS = [*INSTALLED_APPS, "lindungi.crypto.tests.testapp"]  # noqa: F405 (test-only encrypted models)
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from the apps (no collectstatic needed); production serves STATIC_ROOT.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The permission matrix sends many requests as the same users; throttling has its own tests.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
