"""Settings for the Kraków NGO meetings archive, read from the environment (12-factor).

Local runs need no configuration: SQLite, debug on. Production sets DJANGO_DEBUG=false
and must then provide DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, or start-up fails.
"""

import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_positive_int(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number above zero, not {raw!r}.")
    return value


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=false the archive refuses to "
            "start without a secret key; generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG=false list the host names the "
        "archive answers to, comma-separated (e.g. ngo-archiwum.krakow.pl)."
    )

# The archive's public address, for what is written without a request to take the host from:
# the downloads built ahead of requests (opendata/builds.py). By default https:// and the
# first allowed host (on a developer's machine, runserver's address).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")
if not SITE_URL:
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    elif ALLOWED_HOSTS[0].lstrip(".") not in ("", "*"):
        SITE_URL = f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SITE_URL is not set and the first of DJANGO_ALLOWED_HOSTS is a wildcard: "
            "give the archive's public address, e.g. https://ngo-archiwum.krakow.pl."
        )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Only for its sitemap templates. django.contrib.sites is deliberately absent: sitemaps
    # and feeds take the host from the request (RequestSite), see krakow_ngo/sitemaps.py.
    "django.contrib.sitemaps",
    "django_filters",
    "reversion",
    "departments",
    "organisations",
    "programmes",
    "meetings",
    "postulates",
    "accessibility",
    "editors",
    # After reversion: its revisions keep versions of changed records only (core.history).
    "history",
    "search",
    "permalinks",
    "opendata",
    "api",
    # Request counts of the rate limits, when no shared cache (Redis) keeps them.
    "ratelimits",
    "stats",
    "pagecache",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The queue of the email alerts' messages (a table of this database) and its worker.
    "django_tasks",
    "django_tasks_db",
    "alerts",
    # Last, so the apps' ready() register their models' history (django-reversion) before
    # the admin's autodiscovery instantiates VersionAdmins, which would register them first.
    # The admin site is ours (krakow_ngo/admin_site.py): it asks staff for a second factor.
    "krakow_ngo.apps.ArchiveAdminConfig",
]

MIDDLEWARE = [
    "krakow_ngo.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Headers every response carries, cached ones included, so they sit outside the page cache.
    "csp.middleware.CSPMiddleware",
    "krakow_ngo.middleware.PermissionsPolicyMiddleware",
    "krakow_ngo.middleware.AdminNoIndexMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A request line or header fields too big: 414/431 in the archive's words, before anything
    # reads the request further (gunicorn.conf.py lets through more than these limits).
    "krakow_ngo.request_limits.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions, locale and the database: a cached page or a 304 costs none of them.
    # CORS and the rate limit of /api/, outside the page cache: its answers carry them too.
    "api.middleware.ApiMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    # Inside the page cache, so pages are kept compressed and a hit costs no compression.
    # (Django pads compressed responses against BREACH, which matters for the admin's forms.)
    # Django's, leaving formats compressed already (ZIP, PDF, DOCX) as they are.
    "krakow_ngo.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, leaving downloads without Vary: Accept-Language (core.http).
    "krakow_ngo.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A write to a page that only reads: 405, before CSRF would answer with its 403 page.
    "krakow_ngo.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # It turns 404s at addresses of renamed pages into 301s to their current URLs.
    "permalinks.middleware.MovedPageRedirectMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "krakow_ngo.urls"

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
                "django.template.context_processors.i18n",
                "krakow_ngo.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "krakow_ngo.wsgi.application"

# SQLite is the embedded default; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The archive's queries are short; PostgreSQL's JIT spent seconds compiling aggregates
    # (the statistics) that run in half a second without it.
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    server_options = "-c jit=off"
    # Server-side parameters let psycopg prepare a statement the fifth time it runs, so
    # PostgreSQL stops parsing the pages' queries again. Each is still planned for its own
    # values: a generic plan of the search, blind to how common the words are, was slower
    # than planning it. Off behind a pooler in transaction mode, unless it tracks prepared
    # statements (PgBouncer 1.21 or later with max_prepared_statements above 0).
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        database_options.update(server_side_binding=True, prepare_threshold=5)
        server_options += " -c plan_cache_mode=force_custom_plan"
    database_options["options"] = server_options

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski"), ("en", "English")]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded documents above this size are refused (files.uploads.validate_document_file).
DOCUMENT_MAX_UPLOAD_MB = env_positive_int("DJANGO_DOCUMENT_MAX_UPLOAD_MB", 50)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Downloads (opendata/builds.py): a filtered list export is built during its request only up
# to this many records and this many seconds (well inside the worker timeout); the files of the
# whole archive are built ahead by `manage.py build_exports` once it is bigger than that.
EXPORT_REQUEST_MAX_RECORDS = env_positive_int("DJANGO_EXPORT_REQUEST_MAX_RECORDS", 5_000)
EXPORT_REQUEST_SECONDS = env_positive_int("DJANGO_EXPORT_REQUEST_SECONDS", 15)
# A build holds this lock so two processes never build the same file at once.
EXPORT_BUILD_LOCK_SECONDS = 3600

# Feeds and calendars stay small whatever the archive's size (calendar apps refuse or time
# out on subscriptions of megabytes): an Atom feed lists the newest FEED_ENTRIES materials, each
# summary cut to FEED_SUMMARY_CHARS; the calendar of all meetings holds the upcoming ones and
# those of the last CALENDAR_PAST_MONTHS (a department's or an organisation's calendar goes
# back further); every calendar holds at most CALENDAR_MAX_EVENTS meeting days, the upcoming
# ones first, and never more than CALENDAR_MAX_BYTES (meetings.calendar, core.calendar).
FEED_ENTRIES = 50
FEED_SUMMARY_CHARS = 500
CALENDAR_PAST_MONTHS = 12
CALENDAR_MAX_EVENTS = 1000
CALENDAR_MAX_BYTES = 1_000_000

# Security headers, in every mode (harmless over plain http on a developer's machine).
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The archive uses no camera, microphone, location, payments or other powerful features.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "krakow_ngo.errors.csrf_failure"

if not DEBUG:
    # Production is served over TLS behind a proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_positive_int("DJANGO_HSTS_SECONDS", 31_536_000)  # one year
    # The archive's host and any host under it are TLS-only; preload is only a directive until
    # the domain's owner submits it to the browsers' list.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The reverse proxies in front of the app, as addresses or networks (10.0.0.0/8). Only a request
# that comes from one of them has its X-Forwarded-For read (krakow_ngo/client_ip.py); from
# anywhere else the header is the client's own claim and the peer's address counts.
if "DJANGO_TRUSTED_PROXY_COUNT" in os.environ:
    # A count trusted the header whoever sent it; stopping here beats silently reading it anew.
    raise ImproperlyConfigured(
        "DJANGO_TRUSTED_PROXY_COUNT is replaced by DJANGO_TRUSTED_PROXIES: list the addresses "
        "(or networks) of the proxies in front of the archive, comma-separated."
    )
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", [])
for proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"DJANGO_TRUSTED_PROXIES must list IP addresses or networks, not {proxy!r}."
        ) from None

# The admin's address, e.g. "redakcja-7f3k/": an unguessable one keeps bots off the login form.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
if not re.fullmatch(r"[a-z0-9][a-z0-9_/-]*/", ADMIN_URL):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a path of lowercase letters, digits, - and _, not {ADMIN_URL!r}."
    )
# Staff confirm logins with a one-time code (TOTP, django-otp). Only tests turn this off.
ADMIN_REQUIRE_OTP = env_bool("DJANGO_ADMIN_REQUIRE_OTP", True)
OTP_TOTP_ISSUER = "Archiwum NGO Kraków"

# Login throttling. django-axes: five failures lock the account name, from any address, for an
# hour; a successful login resets the count. An address is not locked for every account at five:
# behind the city's proxy or an office's NAT all editors share one, and a few typos (or one
# stranger) would lock them all out. An address is throttled instead by LOGIN_ADDRESS_LIMIT
# login attempts in a window, far above what an office makes, far below what guessing needs.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_positive_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when its parameters leave the address out: LOGIN_ADDRESS_LIMIT throttles addresses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "krakow_ngo.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

# Content Security Policy: everything from our own origin, nothing inline, nothing eval'd.
# JSON-LD blocks are data, not scripts, so they need no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({} if DEBUG else {"upgrade-insecure-requests": True}),
    }
}

# The cache: Redis when REDIS_URL is set (shared by every app server), otherwise this process's
# memory. Whole public pages are kept in it (pagecache/), keyed by the content generation.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "archiwum",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# Where the rate limits count requests (ratelimits/counting.py): the shared cache when it is
# Redis, else the database. Never a process's own memory: each gunicorn worker would allow the
# whole limit again.
RATE_LIMIT_STORE = "cache" if REDIS_URL else "database"
# Requests one client address may make to /api/ in a window: (requests, seconds).
API_RATE_LIMIT = (
    env_positive_int("DJANGO_API_RATE_LIMIT", 600),
    env_positive_int("DJANGO_API_RATE_LIMIT_SECONDS", 60),
)
# Login attempts (password posts) one client address may make in a window: (attempts, seconds).
LOGIN_ADDRESS_LIMIT = (
    env_positive_int("DJANGO_LOGIN_ADDRESS_LIMIT", 60),
    env_positive_int("DJANGO_LOGIN_ADDRESS_LIMIT_SECONDS", 3600),
)
# The largest request the app serves (krakow_ngo/request_limits.py): the request line
# (method, address, protocol) in characters, the number of header fields, one field's
# length (name, colon, space, value) and all fields' together (a browser sends 1-4 kB; 100
# fields of 8 kB each would be 800 kB). gunicorn.conf.py and the nginx site file let more
# through, so a bigger request is answered by the app (JSON under /api/, a Polish page
# elsewhere).
REQUEST_LINE_MAX = 4096
REQUEST_HEADER_FIELDS_MAX = 100
REQUEST_HEADER_FIELD_MAX = 8190
REQUEST_HEADERS_TOTAL_MAX = 32768

# Filtered list exports (built during the request, unlike the prebuilt files of the whole
# lists) one client address may ask for in a window: each can hold a worker for seconds.
EXPORT_RATE_LIMIT = (
    env_positive_int("DJANGO_EXPORT_RATE_LIMIT", 10),
    env_positive_int("DJANGO_EXPORT_RATE_LIMIT_SECONDS", 60),
)
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", True)
# The generation token lives in Redis when every server shares it, else in the database.
PAGE_CACHE_SHARED = bool(REDIS_URL)
# How long an unchanged page may stay in the server's cache (a save ends it sooner).
PAGE_CACHE_SECONDS = env_positive_int("DJANGO_PAGE_CACHE_SECONDS", 24 * 3600)
# Seconds a process trusts the generation it last read before reading it again: a visitor
# sees an editor's save at most this late, and a cache hit within it costs no round trip.
PAGE_CACHE_TOKEN_SECONDS = float(os.environ.get("DJANGO_PAGE_CACHE_TOKEN_SECONDS", "1"))
# The query parameters public pages read; a request with any other is never cached.
PAGE_CACHE_QUERY_PARAMETERS = "krakow_ngo.query_parameters.PAGE_QUERY_PARAMETERS"
# Seconds a CDN may serve a page without revalidating; 0: always revalidate (ETag, cheap 304).
PAGE_CACHE_MAX_AGE = int(os.environ.get("DJANGO_CDN_MAX_AGE", "0"))

# Uploaded documents in S3-compatible object storage when a bucket is configured, so app
# servers keep no files of their own (django-storages). Files are private: the download view
# checks publication and streams them.
AWS_STORAGE_BUCKET_NAME = os.environ.get("DJANGO_S3_BUCKET", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("DJANGO_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("DJANGO_S3_REGION") or None
    AWS_ACCESS_KEY_ID = os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None
    AWS_DEFAULT_ACL = None  # the bucket's policy (private) applies
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    AWS_LOCATION = os.environ.get("DJANGO_S3_PREFIX", "")

# Email alerts (alerts/): messages are queued in the database (django-tasks-db) and sent by
# `manage.py alerts_worker`, never during a request.
# "documents": OCR of scanned uploads (accessibility.tasks), run by the same worker.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "alerts", "documents"],
    }
}
# Mail goes through Django's email backends: SMTP in production; on a developer's machine each
# message is written to a file under sent-mail/, so nothing leaves the machine.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = Path(os.environ.get("DJANGO_EMAIL_FILE_PATH", BASE_DIR / "sent-mail"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_positive_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
# STARTTLS on the submission port by default; DJANGO_EMAIL_USE_SSL for implicit TLS (465).
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", not EMAIL_USE_SSL)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of DJANGO_EMAIL_USE_TLS and DJANGO_EMAIL_USE_SSL.")
EMAIL_TIMEOUT = env_positive_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DJANGO_DEFAULT_FROM_EMAIL",
    f"Archiwum spotkań z NGO <powiadomienia@{SITE_URL.split('://', 1)[-1].split(':')[0].split('/')[0]}>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Named in the alerts' information clause (RODO art. 13(1)(b)): the city's data protection
# officer, who answers for every personal datum the archive keeps (the subscribers' addresses).
DATA_PROTECTION_OFFICER_EMAIL = os.environ.get(
    "DJANGO_DATA_PROTECTION_OFFICER_EMAIL", "iod@um.krakow.pl"
)
# Where a resident asks for a document in an accessible form (accessibility/contact.py): the
# address kept in the accessibility statement, or this one; without either, the pages send
# residents to the city's own contact details, CITY_CONTACT_URL.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("DJANGO_ACCESSIBILITY_CONTACT_EMAIL", "")
CITY_CONTACT_URL = os.environ.get("DJANGO_CITY_CONTACT_URL", "https://www.bip.krakow.pl/")
# Where reusers ask about the open data (the DCAT catalogue's contact point, opendata/dcat.py):
# the city's, named by the deployment; neither of the two addresses above answers for data.
OPEN_DATA_CONTACT_EMAIL = os.environ.get("DJANGO_OPEN_DATA_CONTACT_EMAIL", "")

# Logs: one JSON object per line in production (for a collector), readable text locally; each
# line carries the request id also sent to the client as X-Request-ID.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "krakow_ngo.request_id.RequestIdFilter"},
        "warning_without_traceback": {"()": "krakow_ngo.log_format.WarningWithoutTraceback"},
    },
    "formatters": {
        "json": {"()": "krakow_ngo.log_format.JsonFormatter"},
        "text": {
            "()": "krakow_ngo.log_format.TextFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # runserver's request lines too, so that they pass the same redaction of tokens.
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A request naming a host not in ALLOWED_HOSTS is refused (400); it is the client's
        # mistake or a scan, not an error of the site, and its traceback says nothing.
        "django.security.DisallowedHost": {"filters": ["warning_without_traceback"]},
    },
}
