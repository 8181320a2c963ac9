"""Settings shared by every environment. Environment-specific modules import * from here.

Secrets and keys are not read here: `dev`, `test` and `production` each decide where they come
from, and `production` refuses to start without real ones.
"""

from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from lindungi.api.enum_names import ModelEnumNames
from lindungi.env import env_database, env_int, env_key, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("LINDUNGI_VAR_DIR", str(BASE_DIR / "var")))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Our apps come first so that their management commands (e.g. audit's `flush`) win.
    "lindungi.core",
    "lindungi.accounts",
    "lindungi.crypto",
    "lindungi.audit",
    "lindungi.geo",
    "lindungi.cases",
    "lindungi.incidents",
    "lindungi.legal",
    "lindungi.programs",
    "lindungi.reports",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lindungi.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lindungi.accounts.middleware.SessionLifetimeMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, updating a session's "last active" at most once a minute.
    "lindungi.core.session_activity.ThrottledUserSessionsMiddleware",
    "lindungi.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lindungi.core.middleware.PrivateCacheMiddleware",
    "lindungi.core.middleware.DeniedAccessAuditMiddleware",
]

ROOT_URLCONF = "lindungi.urls"
WSGI_APPLICATION = "lindungi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lindungi.core.context_processors.shell",
            ],
        },
    },
]
# Django's renderer with select lists drawn in Python (lindungi/core/forms_renderer.py).
FORM_RENDERER = "lindungi.core.forms_renderer.Renderer"

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lindungi.sqlite3'}", conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction begins, so two writers never both read the
    # audit chain head and then collide; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # Argon2id
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

# Sessions: idle timeout through a short cookie age renewed on every request; the absolute limit
# is enforced by SessionLifetimeMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_AGE = 12 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False  # renewed by activity at most once a minute (accounts.middleware)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-allauth
ACCOUNT_ADAPTER = "lindungi.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 1  # the sign-in address is set by the organisation's administrator
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Per IP and per account, with a cool-off: the limit lifts by itself, so an attacker cannot lock
# a real user out for good.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
MFA_ADAPTER = "lindungi.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Lindungi"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
USERSESSIONS_TRACK_ACTIVITY = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env_str("LINDUNGI_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LINDUNGI_MAX_ATTACHMENT_BYTES = env_int("LINDUNGI_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024, minimum=1)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL", ""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lindungi <no-reply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lindungi.api.authentication.PersonalTokenAuthentication",
        "lindungi.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lindungi.api.permissions.IsAuthenticatedWithMFA"],
    "DEFAULT_PAGINATION_CLASS": "lindungi.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lindungi.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    # Per signed-in user (or per IP when anonymous), in the cache: Redis makes it shared by all workers.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("LINDUNGI_API_RATE_ANON", "60/minute"),
        "user": env_str("LINDUNGI_API_RATE_USER", "1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lindungi API",
    "DESCRIPTION": "Case management, legal cases, programs and statistics for child-protection networks.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Schema and documentation pages for signed-in users; everything is served from our own static files.
    "SERVE_PERMISSIONS": ["lindungi.api.permissions.IsAuthenticatedWithMFA"],
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "filter": True, "validatorUrl": None, "persistAuthorization": False},
    # Choice sets shared by name across apps get explicit names (apps add theirs here).
    "ENUM_NAME_OVERRIDES": ModelEnumNames(),
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lindungi.api.schema.add_error_responses",
    ],
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "lindungi.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Paths that carry a secret (a calendar token, a reset key) are logged with a placeholder.
    "filters": {"without_secret_paths": {"()": "lindungi.core.logging.WithoutSecretPaths"}},
    "formatters": {"server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                              "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["without_secret_paths"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["without_secret_paths"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Request lines can carry query strings; Django's own 4xx warnings stay, bodies never logged.
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        # Django's default handlers (its console while DEBUG is on, the development server's
        # request lines) would write paths unfiltered: Django's records go through ours instead.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}

# Lindungi
LINDUNGI_AUDIT_CHECKPOINT_EVERY = env_int("LINDUNGI_AUDIT_CHECKPOINT_EVERY", 500, minimum=1)
LINDUNGI_SUPPRESSION_THRESHOLD = env_int("LINDUNGI_SUPPRESSION_THRESHOLD", 5, minimum=3)  # "<2" would mean exactly 1
# Reverse proxies of ours in front of Lindungi (production: 1); see core.middleware.client_ip.
LINDUNGI_TRUSTED_PROXY_COUNT = 0
LINDUNGI_ALLOW_FLUSH = False
# KEK rotation: the previous key-encryption key, only while `rotate_keys --rewrap-only` runs.
LINDUNGI_KEK_PREVIOUS = env_key("LINDUNGI_KEK_PREVIOUS", None)
