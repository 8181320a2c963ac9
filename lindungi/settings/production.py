"""Production: refuses to start without real secrets; passes `manage.py check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from lindungi.env import env_bool, env_int, env_key, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
# No silent fallback to a SQLite file under var/: name the database (postgres://... recommended).
env_str("DATABASE_URL")
LINDUNGI_KEK = env_key("LINDUNGI_KEK")
# During a KEK rotation only: the old KEK, so `rotate_keys --rewrap-only` can unwrap the data keys.
LINDUNGI_KEK_PREVIOUS = env_key("LINDUNGI_KEK_PREVIOUS", None)
LINDUNGI_AUDIT_SIGNING_KEY = env_key("LINDUNGI_AUDIT_SIGNING_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) Lindungi is served on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"https://{host}" for host in ALLOWED_HOSTS])

# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For
# (deploy/nginx.conf). The client address in the audit trail and in the per-IP rate limits is
# taken from X-Forwarded-For as the nearest of our proxies saw it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LINDUNGI_TRUSTED_PROXY_COUNT = env_int("LINDUNGI_TRUSTED_PROXY_COUNT", 1, minimum=0)
ALLAUTH_TRUSTED_PROXY_COUNT = LINDUNGI_TRUSTED_PROXY_COUNT
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": LINDUNGI_TRUSTED_PROXY_COUNT}  # noqa: F405
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000, minimum=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# `__Host-` cookies are only accepted over HTTPS, for path /, without a Domain: no subdomain can set them.
SESSION_COOKIE_NAME = "__Host-lindungi-session"
CSRF_COOKIE_NAME = "__Host-lindungi-csrf"
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
