"""Settings of the club portal, read from the environment (see .env.example)."""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off: "
            "set it in the environment (see .env.example)."
        )
    # Only for a local start with debug on; never used in production.
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # django.contrib.admin, whose site guards every page against hostile addresses.
    "kernel.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    # django-ninja's templates and static files: the API's docs page from the package, no CDN.
    "ninja",
    "django_tasks",
    # django_tasks_db with a Russian name; its tables exist whichever backend runs.
    "kernel.tasks_app.TasksDatabaseConfig",
    "kernel",
    "clubportal",
    "members",
    "meetings",
    "resolutions",
    "minutes",
    "stats",
    "chronicle",
    "notices",
    "opendata",
    "demo",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kernel.security.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (CSRF's check reads it in process_view), after the
    # middleware whose headers its 413 page should carry.
    "kernel.security.RequestBodyLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses a locked-out user and address before the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "clubportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clubportal.context_processors.club",
            ],
        },
    },
]

WSGI_APPLICATION = "clubportal.wsgi.application"
ASGI_APPLICATION = "clubportal.asgi.application"

# Without DATABASE_URL the portal starts on an embedded SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends tens of milliseconds compiling the dashboard's grouped
    # queries, which then run in a few: a web application's short queries never repay it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on the embedded database: readers never wait for a writer (WAL), a
    # transaction takes the write lock when it begins (IMMEDIATE) instead of failing at its
    # first write when another one got there first («database is locked», a 500), and a
    # writer waits up to 20 s for the lock instead of giving up at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
if os.environ.get("DJANGO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DJANGO_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Novokuznetsk"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def _bootstrap_dir() -> str:
    # Bootstrap's files come from the xstatic-bootstrap package: the portal never uses a CDN.
    import xstatic.pkg.bootstrap

    return xstatic.pkg.bootstrap.BASE_DIR


STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", _bootstrap_dir())]
# Files browsers ask for at the site's root (/favicon.ico), served by whitenoise as well.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# A day: their addresses carry no content hash, but every page's first visit asks for the icon.
ROOT_FILES_MAX_AGE = 24 * 60 * 60


def _root_file_headers(headers, path: str, url: str) -> None:
    if not url.startswith(STATIC_URL):
        headers["Cache-Control"] = f"max-age={ROOT_FILES_MAX_AGE}, public"


WHITENOISE_ADD_HEADERS_FUNCTION = _root_file_headers
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Rendered PDFs, keyed by content; never under MEDIA_ROOT, which the proxy serves.
    "pdf_cache": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("DJANGO_PDF_CACHE_ROOT", str(BASE_DIR / "var" / "cache"))
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("DJANGO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache: local memory per process by default; Redis (shared by every instance) with REDIS_URL.
# Cached pages and rendered PDFs are keyed by PublicContentVersion, so either is correct.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "clubportal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database by default; "cache" or "cached_db" once Redis is shared.
SESSION_ENGINE = os.environ.get("DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.db")

# Uploads and rendered PDFs in an S3-compatible object store when a bucket is named, so
# no instance keeps state on its own disk (pip install '.[s3]' brings django-storages).
if os.environ.get("DJANGO_S3_BUCKET"):
    _s3 = {
        "bucket_name": os.environ["DJANGO_S3_BUCKET"],
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("DJANGO_S3_REGION") or None,
        "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY") or None,
        "secret_key": os.environ.get("DJANGO_S3_SECRET_KEY") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "media"},
    }
    STORAGES["pdf_cache"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3, "location": "pdf-cache"},
    }

# Background tasks (django-tasks, the backport of Django 6.0's django.tasks). "database":
# queued in the database and run by `manage.py db_worker` (see docs/deploy.md), the default
# in production; "immediate": run at once inside the request, the default with debug on, so
# `make run` needs no worker. A minutes PDF with more resolutions than the threshold is
# rendered by a task while the visitor sees a progress page; smaller ones render in the request.
_task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("DJANGO_TASKS_BACKEND") or ("immediate" if DEBUG else "database")
if _tasks_backend not in _task_backends:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(_task_backends)}, not {_tasks_backend!r}."
    )
TASKS = {"default": {"BACKEND": _task_backends[_tasks_backend], "QUEUES": ["default"]}}
# Minutes longer than either of these get their PDF rendered by the worker, not in the
# request. Measured on the development machine (2 shared cores, WeasyPrint 70): the seed
# minutes with their text repeated as the preamble render in 0.2 s as they are, 1.7 s at
# 50,000 characters, 3.8 s at 100,000, 8.4 s at 200,000 and 18 s at 400,000, about 45 µs
# a character; 60 items of 2,000 characters (120,000) take 7.3 s, 200 of 1,000 take 11 s.
# So 40,000 characters keep a render in the request under about 2 s; 60 short items (100
# characters each) take 0.9 s.
PDF_BACKGROUND_THRESHOLD = int(os.environ.get("DJANGO_PDF_BACKGROUND_THRESHOLD", "60"))
PDF_BACKGROUND_CHARACTERS = int(os.environ.get("DJANGO_PDF_BACKGROUND_CHARACTERS", "40000"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Failed logins: after 5 for the same user name from the same address, 15 minutes' wait.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, by django-ipware. Behind DJANGO_PROXY_COUNT reverse proxies (nginx in
# front of gunicorn: 1) it is the entry the proxies added last to X-Forwarded-For, counted
# from the right, so that entries a client forges on the left change nothing (not strict:
# a forged header does not send its sender to the proxy's own address either). Without a
# proxy the connection's address counts and the header, which anyone can send, is ignored.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_PROXY_COUNT is a number of proxies: 0 or more.")
# ipware counts the proxies listed in the header after the client: the nearest one is not.
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1 if PROXY_COUNT else None
# Behind proxies the header alone: given REMOTE_ADDR too, ipware would prefer a proxy's public
# address to a client's private one (the library's own network), and everyone there would
# share it. A request that reached gunicorn without the proxy has no address (one for all).
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR",) if PROXY_COUNT else ("REMOTE_ADDR",)
IPWARE_STRICT = False
AXES_VERBOSE = False
# Login names longer than any user's are cut before axes stores them (its column is 255).
AXES_USERNAME_CALLABLE = "kernel.security.axes_username"

# Content Security Policy: nothing inline, nothing from elsewhere (the portal works offline).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The open-data API (opendata/http.py): requests per client address in a window of seconds.
OPENDATA_RATE_LIMIT = (int(os.environ.get("DJANGO_API_RATE_LIMIT") or "120"), 60)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after_login"
LOGOUT_REDIRECT_URL = "home"

# Production hardening; harmless with debug on.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload commits the whole domain to HTTPS in browsers; set DJANGO_HSTS_PRELOAD=0 to opt out.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploaded attachments: a single file's size is checked by the forms, not by this limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request body above this is refused by its Content-Length before it is read (413): one
# attachment (20 MB) with the rest of the largest form. nginx's client_max_body_size goes a
# little above it (docs/deploy.md), so that the portal's own page answers.
MAX_REQUEST_BYTES = int(os.environ.get("DJANGO_MAX_REQUEST_MB", "25")) * 1024 * 1024

# Outgoing mail (password reset letters) through an SMTP server from the environment. With
# debug on and no server the letters are printed to the console; in production without one
# the portal does not offer the password reset (kernel/accounts.py).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured(
        "DJANGO_EMAIL_USE_SSL and DJANGO_EMAIL_USE_TLS exclude each other: set one of them."
    )
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT") or (465 if EMAIL_USE_SSL else 587))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
# A server that does not answer must not hold a worker until gunicorn's timeout.
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = (
    os.environ.get("DJANGO_DEFAULT_FROM_EMAIL") or EMAIL_HOST_USER or "webmaster@localhost"
)
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL") or DEFAULT_FROM_EMAIL
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

CLUB_NAME = "Клуб деловых встреч методистов Кузбасса"


# Subscriptions and reminders by e-mail (notices/, docs/deploy.md): letters go out through the
# task queue and the SMTP server above; `manage.py send_reminders` runs once a day.
def env_int(name: str, default: int, *, least: int = 0) -> int:
    value = int(os.environ.get(name) or default)
    if value < least:
        raise ImproperlyConfigured(f"{name} must be a whole number, {least} or more.")
    return value


# An operator hears of a report this many days before its due date; the responsible person of
# a decision this many days before its deadline (and both again once it is overdue).
NOTICES_REPORT_DAYS = env_int("DJANGO_REMINDER_REPORT_DAYS", 3)
NOTICES_DECISION_DAYS = env_int("DJANGO_REMINDER_DECISION_DAYS", 14)
# Hours a subscription's confirmation link works.
NOTICES_CONFIRM_HOURS = env_int("DJANGO_SUBSCRIBE_LINK_HOURS", 48, least=1)
# Subscription requests an hour from one client, and confirmation letters an hour to one
# address; letters of any kind a day to one address (the rest wait for the next day's run).
NOTICES_SUBSCRIBE_PER_CLIENT = env_int("DJANGO_SUBSCRIBE_LIMIT_PER_CLIENT", 10, least=1)
NOTICES_SUBSCRIBE_PER_ADDRESS = env_int("DJANGO_SUBSCRIBE_LIMIT_PER_ADDRESS", 3, least=1)
NOTICES_DAILY_LIMIT = env_int("DJANGO_MAIL_LIMIT_PER_ADDRESS", 10, least=1)


# The portal's own address, for links in files that leave it (the resolutions workbook's
# «Страница на портале»): a file is read where no request names the host. Without the
# variable: the first of DJANGO_ALLOWED_HOSTS over HTTPS, or the local server with debug on.
def _site_url() -> str:
    configured = os.environ.get("DJANGO_SITE_URL", "").strip().rstrip("/")
    if configured:
        if not configured.startswith(("https://", "http://")) or " " in configured:
            raise ImproperlyConfigured(
                "DJANGO_SITE_URL must be an address such as https://club.example.ru "
                "(see .env.example)."
            )
        return configured
    hosts = [h for h in ALLOWED_HOSTS if h not in ("*", "testserver") and not h.startswith(".")]
    if DEBUG or not hosts:
        return "http://127.0.0.1:8000"
    return f"https://{hosts[0]}"


SITE_URL = _site_url()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
