"""Settings for the 异地就医 portal, read from the environment in this one place.

Every value has a development default except the ones that must never have one in
production: with DEBUG off, SECRET_KEY is required and the portal refuses to start
without it. A malformed value raises ImproperlyConfigured (django-environ does that).
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


class StrictEnv(environ.Env):
    """django-environ, but a malformed value stops start-up with ImproperlyConfigured."""

    BOOLEAN_FALSE_STRINGS = ("false", "off", "no", "0", "")

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        raw = self.ENVIRON.get(var)
        if (
            cast is bool
            and raw is not None
            and raw.strip().lower()
            not in (
                *self.BOOLEAN_TRUE_STRINGS,
                *self.BOOLEAN_FALSE_STRINGS,
            )
        ):
            raise ImproperlyConfigured(f"{var}={raw!r} is not a boolean (use true or false).")
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"{var}={raw!r} is not valid: {exc}") from exc


env = StrictEnv()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # DEBUG only  # noqa: S105  # nosec B105

# Keys the national ID numbers at rest (hash for look-up, encryption for reading). Set it
# apart from SECRET_KEY in production so that rotating one does not orphan the other.
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="") or SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo accounts are a convenience of the local run, never of production.
DEMO_ACCOUNTS = DEBUG and env.bool("DEMO_ACCOUNTS", default=True)
# bench/http.py's two baseline views (config/bench_views.py); never on in production.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "django_ratelimit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "common",
    "accounts",
    "offices",
    "policy",
    "registrations",
    "claims",
    "notifications",
    "review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",  # after messages: it says why someone was logged out
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "common.middleware.NoStoreForPersonalDataMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by the backend into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread",
                "accounts.context_processors.elder_mode",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite file in the project by default; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections: without them a database-backed view ran 17x slower here.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for staff reports (docs/scaling.md): code that may read slightly old data asks
# for common.db.reports_db(); without DATABASE_REPLICA_URL that is the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in the local run: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker ----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # Redis down degrades to misses instead of errors (django-redis): rate limits let
                # calls through (common.throttling logs it), the dashboard counts afresh. Nothing
                # the portal needs to answer is only in the cache, and no request waits long for it.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    # The embedded default: web, worker and beat are separate processes, and what one counts in
    # the cache (rate limits) or keeps there (the dashboard's figures) the others must read, so a
    # folder of files, not each process's memory. The tests use locmemcache:// (pyproject.toml).
    CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# Per process: the base template's fragments that are the same for everyone of a role and language
# (links, language buttons, footer). Nothing personal is kept between requests, here or in Redis.
CACHES["process"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "process",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Rate limits (the API's throttles, the status check) count in the cache (common.throttling):
# shared and atomic in production (Redis); without it the embedded default's folder or the tests'
# local memory, which django-ratelimit warns about. A count the cache cannot make lets the call
# through (logged).
SILENCED_SYSTEM_CHECKS = [] if REDIS_URL else ["django_ratelimit.W001", "django_ratelimit.E003"]
RATELIMIT_FAIL_OPEN = True
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

# Without Redis, Celery uses kombu's filesystem transport: no server, and the worker and
# beat of `make run` really run the periodic tasks.
CELERY_QUEUE_DIR = Path(env.str("CELERY_QUEUE_DIR", default=str(VAR_DIR / "celery")))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
    }
else:
    # Fail fast instead of hanging a web request when the broker is down: one retry, at once
    # (kombu waits 2 s before it otherwise). What was not queued waits in the outbox.
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 1, "interval_start": 0}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "common.tasks.heartbeat", "schedule": 60.0},
    "expire-registrations": {
        "task": "registrations.tasks.expire_registrations",
        "schedule": crontab(hour=0, minute=10),
    },
    # Hourly, so a day's reminders still go out soon after a worker comes back.
    "sweep-reminders": {"task": "notifications.tasks.sweep_reminders", "schedule": crontab(minute=5)},
    "deliver-pending": {"task": "notifications.tasks.deliver_pending", "schedule": 60.0},
    "purge-registration-documents": {
        "task": "registrations.tasks.purge_closed_documents",
        "schedule": crontab(hour=2, minute=30),
    },
    "purge-claim-documents": {"task": "claims.tasks.purge_closed_documents", "schedule": crontab(hour=2, minute=40)},
}
HEARTBEAT_STALE_AFTER_SECONDS = 180

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads live outside static/ and are never served from a public URL: only
# permission-checked views read them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Object storage for uploads (docs/scaling.md): with UPLOADS_BUCKET set, private documents go to
# an S3-compatible bucket (django-storages, requirements-s3.txt) instead of MEDIA_ROOT/private, so
# web containers share no disk. They are still read only through the permission-checked views.
UPLOADS_BUCKET = env.str("UPLOADS_BUCKET", default="")
UPLOADS_S3_OPTIONS = {
    "bucket_name": UPLOADS_BUCKET,
    "endpoint_url": env.str("UPLOADS_S3_ENDPOINT", default="") or None,
    "region_name": env.str("UPLOADS_S3_REGION", default="") or None,
    "location": "private",
    "default_acl": "private",
    "file_overwrite": False,
    "querystring_auth": True,
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_BACKEND", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}

# --- E-mail -----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# A hung mail server must not outlive the ten minutes after which a claimed delivery is retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Documents of closed cases (rejected, cancelled, expired, paid…) are removed after this many days;
# the history of the case stays.
DOCUMENT_RETENTION_DAYS = env.int("DOCUMENT_RETENTION_DAYS", default=3 * 365)
# Links in e-mails and text messages point here.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.LoggingSmsBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="异地就医服务 <noreply@localhost>")

# --- Auth -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.RoleMinimumLengthValidator"},  # staff and admins 12, enrollees 8
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
# django-axes first: it refuses a locked-out account before the password is even checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.NationalIdOrPhoneBackend"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # per account and client: no mass lockout
AXES_USERNAME_CALLABLE = "accounts.lockout.username_key"  # never the typed ID number
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Second factor for staff and admins (django-otp, TOTP; accounts.middleware.SecondFactorMiddleware).
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="异地就医")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin lists devices without their keys
# API tokens end: staff after a working day (a new code to get another), enrollees after 30 days.
STAFF_API_TOKEN_HOURS = env.int("STAFF_API_TOKEN_HOURS", default=9)
ENROLLEE_API_TOKEN_HOURS = env.int("ENROLLEE_API_TOKEN_HOURS", default=30 * 24)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Security ---------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Sessions live in the database alone: a log-in does not depend on Redis, and a session ended
# (log-out, new password) ends everywhere at once.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STAFF_IDLE_TIMEOUT_SECONDS = env.int("STAFF_IDLE_TIMEOUT_SECONDS", default=15 * 60)
ENROLLEE_IDLE_TIMEOUT_SECONDS = env.int("ENROLLEE_IDLE_TIMEOUT_SECONDS", default=30 * 60)
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every page loads its code from /static/. The review screen
# frames documents from this site only; a document response sets its own, stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Closed by default: public endpoints opt in with AllowAny, one by one.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "common.api.PortalAutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttling.ClientRateThrottle",
        "common.throttling.AuthenticatedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("THROTTLE_ANON", default="120/minute"),
        "user": env.str("THROTTLE_USER", default="600/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # API.md: JSON, and multipart only where a file is uploaded (those views say so themselves).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "异地就医 Portal API",
    "DESCRIPTION": "Registrations (备案), claims (零星报销) and policy answers for Jiangsu enrollees.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies get their own components, so a required text field says minLength 1 there
    # (an empty string is refused) while answers may still carry empty strings.
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the installed package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"InstitutionLevelEnum": "offices.constants.InstitutionLevel"},
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# With LOG_DIR set the portal also writes portal.log, rotated at midnight and kept for
# LOG_RETENTION_DAYS (MLPS level 3 asks for at least 180 days of logs). The handler locks the
# file, so gunicorn's workers, Celery's worker and beat can share one folder.
LOG_DIR = env.str("LOG_DIR", default="")
LOG_RETENTION_DAYS = env.int("LOG_RETENTION_DAYS", default=180)
if LOG_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("LOG_RETENTION_DAYS must be at least 180 (logs are kept for half a year).")
if LOG_DIR:
    Path(LOG_DIR).mkdir(parents=True, exist_ok=True)
    LOGGING["handlers"]["file"] = {
        "class": "concurrent_log_handler.ConcurrentTimedRotatingFileHandler",
        "filename": str(Path(LOG_DIR) / "portal.log"),
        "when": "midnight",
        "backupCount": LOG_RETENTION_DAYS,
        "encoding": "utf-8",
        "formatter": "plain",
    }
    LOGGING["root"]["handlers"].append("file")

# --- Uploads ----------------------------------------------------------------------------
# Document uploads (registrations, claims) share the rules of common/uploads.py: PDF, JPEG or
# PNG by content, images re-encoded, stored by common/storage.py under MEDIA_ROOT/private with
# generated names and served only through common/downloads.py.
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# Decoded size cap: a 600 dpi A4 scan is 35 megapixels; a "bomb" of a few KiB can claim billions.
UPLOAD_MAX_IMAGE_PIXELS = 40_000_000
# One file and its form fields per request; a bigger body is answered 413 before Django reads
# it (common.uploads.RequestSizeLimitMiddleware). Raise it for an endpoint taking several files.
UPLOAD_MAX_REQUEST_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
# Uploads above 2.5 MiB stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Non-file fields and JSON bodies: the largest form of the portal is a few KiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Dotted path of a scanner callable(bytes) -> "clean" | "infected", e.g.
# common.uploads.clamd_scan; empty = no scan. Any error refuses the upload (fail closed).
UPLOAD_VIRUS_SCANNER = env.str("UPLOAD_VIRUS_SCANNER", default="") or None
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")  # unix socket; wins over host and port
CLAMD_HOST = env.str("CLAMD_HOST", default="127.0.0.1")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=30.0)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "common.uploads.RequestSizeLimitMiddleware",
)
