"""Settings, all read from the environment so one build serves every body.

Development: TEJUN_DEBUG=1 (``make run`` sets it). Production: leave it unset,
set TEJUN_ALLOWED_HOSTS and put the app behind TLS; ``manage.py check --deploy``
is then clean. On a closed network without TLS set TEJUN_INSECURE_HTTP=1 and
accept the warnings it brings.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TEJUN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """TEJUN_SECRET_KEY, or a key generated once into var/ so restarts keep sessions."""
    if os.environ.get("TEJUN_SECRET_KEY"):
        return os.environ["TEJUN_SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("TEJUN_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("TEJUN_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "localhost")
CSRF_TRUSTED_ORIGINS = env_list("TEJUN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "tejun.lib",
    "tejun.orgs",
    "tejun.audit",
    "tejun.workflow",
    "tejun.notify",
    "tejun.media",
    "tejun.assets",
    "tejun.vendors",
    "tejun.incidents",
    "tejun.backups",
    "tejun.governance",
    "tejun.dashboard",
    "tejun.ops",
    "tejun.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tejun.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tejun.web.middleware.IdleSessionMiddleware",
    "tejun.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tejun.audit.middleware.RequestContextMiddleware",
    "tejun.orgs.middleware.SecondFactorMiddleware",
    "tejun.orgs.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # AxesMiddleware last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tejun.urls"
WSGI_APPLICATION = "tejun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tejun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tejun.web.context_processors.navigation",
            ],
            "builtins": ["tejun.lib.templatetags.wareki"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'tejun.sqlite3'}",
        conn_max_age=int(os.environ.get("TEJUN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and `tejun tick` share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_MIN_LENGTH = int(os.environ.get("TEJUN_PASSWORD_MIN_LENGTH", "12"))
PASSWORD_HISTORY_COUNT = 5
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tejun.orgs.passwords.BirthDateValidator"},
    {"NAME": "tejun.orgs.passwords.PersonalInfoValidator"},
    {"NAME": "tejun.orgs.passwords.PasswordHistoryValidator", "OPTIONS": {"count": PASSWORD_HISTORY_COUNT}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-tasks"
LOGOUT_REDIRECT_URL = "login"

# django-axes: 5 failures within 15 minutes lock the login id for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock per login id: guessing one account's password is the threat on a closed office network, and
# locking by address would lock out every clerk behind the same router. Hence axes.W006 is silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tejun" / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: SMTP from the environment; in development written to files under var/.
EMAIL_HOST = os.environ.get("TEJUN_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("TEJUN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("TEJUN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TEJUN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TEJUN_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("TEJUN_EMAIL_FROM", "tejun@localhost")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("TEJUN_SESSION_IDLE_MINUTES", "30")) * 60
# Up to this many usable media the carry-out and disposal forms offer a list; above it, a 登録番号 field.
TEJUN_MEDIUM_SELECT_MAX = int(os.environ.get("TEJUN_MEDIUM_SELECT_MAX", "300"))
# Idle timeout: a request extends the session, written at most once a minute (IdleSessionMiddleware),
# not on every request: a page costs no session write.
SESSION_SAVE_EVERY_REQUEST = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG and not env_bool("TEJUN_INSECURE_HTTP"):
    SECURE_SSL_REDIRECT = env_bool("TEJUN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("TEJUN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tejun.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tejun API",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "tejun.api.schema_hooks.postprocess"],
    "DESCRIPTION": _("Tejun (手順) 情報セキュリティ運用システムの API"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The map of every operation is for the body's own people and scripts, not for anyone on the network.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Served by the app itself: the docs page works on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("kind", "status") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "tejun.orgs.roles.Role",  # the role keys, wherever a field holds one
        "MediumKindEnum": "tejun.media.models.Medium.Kind",
        "MediumStatusEnum": "tejun.media.models.Medium.Status",
        "MediumExceptionKindEnum": "tejun.media.models.MediumException.Kind",
        "StocktakeStatusEnum": "tejun.media.models.Stocktake.Status",
        "IncidentKindEnum": "tejun.incidents.models.Incident.Kind",  # incidents
        "EquipmentDisposalKindEnum": "tejun.vendors.models.EquipmentDisposal.Kind",  # vendors
        "EquipmentDisposalMethodEnum": "tejun.vendors.models.EquipmentDisposal.Method",  # vendors
        "ProvisionAccidentKindEnum": "tejun.vendors.services.ACCIDENT_KIND_CHOICES",  # vendors
        # vendors: P-09 has a "method" too, so media's destruction methods need their own name.
        "DestructionMethodEnum": "tejun.media.models.DestructionRecord.Method",
        "BackupTargetKindEnum": "tejun.backups.models.BackupTarget.Kind",  # backups
        "CheckInKindEnum": "tejun.backups.models.CheckIn.Kind",  # backups
        "RestoreTestResultEnum": "tejun.backups.models.RestoreTest.Result",  # backups
        "BackupReportResultEnum": "tejun.backups.models.BackupReport.Result",  # backups
        # backups: RestoreTest has a "result" too, so the stock-take's results need their own name.
        "StocktakeItemResultEnum": "tejun.media.models.StocktakeItem.Result",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TEJUN_LOG_LEVEL", "WARNING")},
}

# Behind the body's nginx (deploy/nginx-tejun.conf): the audit log records the address nginx saw.
TEJUN_BEHIND_PROXY = env_bool("TEJUN_BEHIND_PROXY")

# Used in e-mailed links; the app itself never calls out.
TEJUN_BASE_URL = os.environ.get("TEJUN_BASE_URL", "http://127.0.0.1:8000")
