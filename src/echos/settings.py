"""Settings for echos, read from environment variables with laptop-safe defaults."""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes", "on" are true)."""
    value = os.getenv(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    """Read an integer from the environment."""
    value = os.getenv(name)
    return int(value) if value is not None and value != "" else default


def envlist(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.getenv("ECHOS_DATA_DIR", "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Return ECHOS_SECRET_KEY, or a key generated once into the data directory."""
    if os.getenv("ECHOS_SECRET_KEY"):
        return os.environ["ECHOS_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("ECHOS_DEBUG")
ALLOWED_HOSTS = envlist("ECHOS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("ECHOS_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.getenv("ECHOS_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "echos.core",
    "echos.questionnaires",
    "echos.hubs",
    "echos.assessment",
    "echos.synergies",
    "echos.events",
    "echos.participation",
    "echos.engagement",
    "echos.library",
    "echos.continuity",
    "echos.exchange",
    "echos.consortium",
    "echos.reports",
    "echos.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "echos.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Language from the URL prefix (/el/events/), else cookie, else Accept-Language (core/i18n.py).
    "echos.core.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Refuses an oversized batch-matching body by its Content-Length, before anything parses it.
    "echos.synergies.limits.MatchBodyLimitMiddleware",
    "echos.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A signed-in user's own language on unprefixed URLs, once the user is known.
    "echos.core.i18n.UserLanguageMiddleware",
    "echos.core.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "echos.core.ratelimit.RateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
    # Public pages for anonymous visitors from the shared page cache (core/pagecache.py): after
    # sessions, locale, auth, messages and htmx, which it reads; inside CSRF, which sets the
    # cookie for the token it puts into a cached page.
    "echos.core.pagecache.PageCacheMiddleware",
    # Innermost, so a view's lock timeout becomes a 503 with Retry-After (echos/core/dblock.py).
    "echos.core.dblock.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "echos.urls"
WSGI_APPLICATION = "echos.wsgi.application"

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
                "echos.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in WAL mode under the data directory unless DATABASE_URL is set.
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.getenv("ECHOS_SQLITE_PATH", str(DATA_DIR / "echos.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis in production.
CACHES: dict[str, dict[str, object]]
if os.getenv("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
    # Sessions live in Redis (backed by the database), so any app process can answer any request.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Room for each event's VEVENT (events/feeds.py: a feed holds up to 2,000 events) and the
    # views' own caches; the default of 300 entries would drop a feed's VEVENTs as it stores them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": envint("ECHOS_CACHE_ENTRIES", 20_000)},
        }
    }

# --- shared page cache (core/pagecache.py) --------------------------------
# Anonymous public pages, invalidated on commit of any write to what they show. Page bodies live
# in Redis, or in each process's memory on the embedded default; the topic versions must be seen
# by every process (app workers, cron commands), so without Redis they are files in the data dir.
ECHOS_PAGE_CACHE = envbool("ECHOS_PAGE_CACHE", True)
ECHOS_PAGE_CACHE_SECONDS = envint("ECHOS_PAGE_CACHE_SECONDS", 600)
ECHOS_PAGE_CACHE_MAX_BYTES = envint("ECHOS_PAGE_CACHE_MAX_BYTES", 5_000_000)
# Seconds a visitor waits for a page another request is rendering (core/pagecache_flight.py).
ECHOS_PAGE_CACHE_WAIT = envint("ECHOS_PAGE_CACHE_WAIT", 10)
if os.getenv("REDIS_URL"):
    CACHES["pagecache"] = CACHES["pagecache_versions"] = CACHES["default"]
else:
    CACHES["pagecache"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "echos-pages",
        "OPTIONS": {"MAX_ENTRIES": envint("ECHOS_PAGE_CACHE_ENTRIES", 2000)},
    }
    CACHES["pagecache_versions"] = {
        "BACKEND": "echos.core.pagecache_files.GenerationFileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "page-versions"),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }

# Background tasks (huey). Without Redis they run at once, in the process that queued them; with
# REDIS_URL they are queued in Redis and run by `echos worker`, which also runs the periodic ones
# (waitlist offers and reminders every five minutes, retention once a day).
HUEY = {
    "name": "echos",
    "huey_class": "huey.RedisHuey" if os.getenv("REDIS_URL") else "huey.MemoryHuey",
    "immediate": envbool("ECHOS_TASKS_IMMEDIATE", not os.getenv("REDIS_URL")),
    "connection": {"url": os.environ["REDIS_URL"]} if os.getenv("REDIS_URL") else {},
    "consumer": {"workers": envint("ECHOS_WORKER_THREADS", 2), "worker_type": "thread"},
}

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "hubs:home"
LOGOUT_REDIRECT_URL = "hubs:home"

# Network coordinators must confirm a TOTP app; anyone who enrolled one is asked for a code at sign-in.
ECHOS_REQUIRE_2FA = envbool("ECHOS_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "echos"

# Requests per client (token or address) and minute; counted in the shared cache.
ECHOS_RATE_LIMITS = envbool("ECHOS_RATE_LIMITS", True)
ECHOS_RATE_API_READ = envint("ECHOS_RATE_API_READ", 600)
ECHOS_RATE_API_WRITE = envint("ECHOS_RATE_API_WRITE", 120)
ECHOS_RATE_FORMS = envint("ECHOS_RATE_FORMS", 60)
# Public submissions per hour and client (address and account), per action; see core/abuse.py.
ECHOS_RATE_PUBLIC = {
    action: envint(f"ECHOS_RATE_PUBLIC_{action.upper()}", default)
    for action, default in {
        "register": 20,
        "consultation": 10,
        "proposal": 10,
        "support": 120,
        "comment": 30,
        "report": 30,
    }.items()
}

# POST /api/v1/synergies/match (echos/synergies/limits.py). Anonymous callers: a small batch and a
# budget of work units (one per item and per started 1,000 characters of its text) per address and
# minute. Token holders: a larger synchronous cap and budget; past it (or with "background": true)
# the batch becomes a job read at /api/v1/synergies/match/jobs/<id>, with caps of its own and a
# number of unfinished jobs per user. Bodies in bytes, items per list, characters per item. The CLI
# (`echos synergies match`) has no limits.
ECHOS_MATCH_ANON_MAX_BODY = envint("ECHOS_MATCH_ANON_MAX_BODY", 1024 * 1024)
ECHOS_MATCH_ANON_MAX_ITEMS = envint("ECHOS_MATCH_ANON_MAX_ITEMS", 50)
ECHOS_MATCH_ANON_MAX_CHARS = envint("ECHOS_MATCH_ANON_MAX_CHARS", 3_000)
ECHOS_MATCH_ANON_BUDGET = envint("ECHOS_MATCH_ANON_BUDGET", 300)
ECHOS_MATCH_SYNC_MAX_BODY = envint("ECHOS_MATCH_SYNC_MAX_BODY", 2 * 1024 * 1024)
ECHOS_MATCH_SYNC_MAX_ITEMS = envint("ECHOS_MATCH_SYNC_MAX_ITEMS", 100)
ECHOS_MATCH_SYNC_MAX_CHARS = envint("ECHOS_MATCH_SYNC_MAX_CHARS", 5_000)
ECHOS_MATCH_TOKEN_BUDGET = envint("ECHOS_MATCH_TOKEN_BUDGET", 1_000)
ECHOS_MATCH_JOB_MAX_BODY = envint("ECHOS_MATCH_JOB_MAX_BODY", 16 * 1024 * 1024)
ECHOS_MATCH_JOB_MAX_ITEMS = envint("ECHOS_MATCH_JOB_MAX_ITEMS", 2_000)
ECHOS_MATCH_JOB_MAX_CHARS = envint("ECHOS_MATCH_JOB_MAX_CHARS", 20_000)
ECHOS_MATCH_JOB_MAX_ACTIVE = envint("ECHOS_MATCH_JOB_MAX_ACTIVE", 2)
ECHOS_MATCH_JOB_KEEP_DAYS = envint("ECHOS_MATCH_JOB_KEEP_DAYS", 7)

# Public aggregates about people (the participation gap) show counts below this as "<N".
ECHOS_SMALL_COUNT = envint("ECHOS_SMALL_COUNT", 5)

# Reverse proxies in front of the app that append the client to X-Forwarded-For (docs/deploy.md:
# 1 behind nginx). Rate limits and the login lockout count clients by the address they give.
ECHOS_TRUSTED_PROXIES = envint("ECHOS_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "echos.core.ratelimit.client_address"

AXES_FAILURE_LIMIT = envint("ECHOS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("ECHOS_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_COOKIE_AGE = envint("ECHOS_SESSION_AGE_SECONDS", 60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_BEHIND_TLS = envbool("ECHOS_TLS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_BEHIND_TLS
SECURE_SSL_REDIRECT = SECURE_BEHIND_TLS
SECURE_HSTS_SECONDS = 31536000 if SECURE_BEHIND_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_BEHIND_TLS
SECURE_HSTS_PRELOAD = SECURE_BEHIND_TLS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_BEHIND_TLS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
# The 24 official languages of the EU plus Norwegian Bokmål and Icelandic (issue #17), in the
# order of their codes; `make messages` keeps a catalogue for each (LANGS in the Makefile).
LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("et", _("Estonian")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("hu", _("Hungarian")),
    ("is", _("Icelandic")),
    ("it", _("Italian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("mt", _("Maltese")),
    ("nb", _("Norwegian Bokmål")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
]
# Django knows every one of them but Maltese: its name for the language menu.
LANG_INFO.setdefault("mt", {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"})
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates (issue #16): pages write them through echos.core.dates (CLDR via Babel); what Django writes
# itself follows these overrides, British English rather than Django's American "Dec. 25, 2026".
FORMAT_MODULE_PATH = ["echos.core.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Member and organisation imports: larger files are refused before they are parsed
# (`echos import --max-bytes/--max-rows` may raise them for one run).
ECHOS_IMPORT_MAX_BYTES = envint("ECHOS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
ECHOS_IMPORT_MAX_ROWS = envint("ECHOS_IMPORT_MAX_ROWS", 20_000)
# Library uploads (#13): a larger file is refused with a message naming the field.
ECHOS_LIBRARY_MAX_UPLOAD_BYTES = envint("ECHOS_LIBRARY_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)

# Privacy: retention rules applied by `echos privacy retention --apply` (0 switches a rule off).
ECHOS_RETENTION_DRAFT_DAYS = envint("ECHOS_RETENTION_DRAFT_DAYS", 365)
ECHOS_RETENTION_TOKEN_DAYS = envint("ECHOS_RETENTION_TOKEN_DAYS", 365)
ECHOS_RETENTION_SIGNIN_DAYS = envint("ECHOS_RETENTION_SIGNIN_DAYS", 90)
ECHOS_RETENTION_AUDIT_YEARS = envint("ECHOS_RETENTION_AUDIT_YEARS", 5)
ECHOS_PRIVACY_CONTACT = os.getenv("ECHOS_PRIVACY_CONTACT", "")
# Accessibility statement (/accessibility/): who answers accessibility feedback (default: the
# privacy contact), the national enforcement body's page, and the date of the last review.
ECHOS_ACCESSIBILITY_CONTACT = os.getenv("ECHOS_ACCESSIBILITY_CONTACT", "")
ECHOS_ACCESSIBILITY_ENFORCEMENT_URL = os.getenv("ECHOS_ACCESSIBILITY_ENFORCEMENT_URL", "")
ECHOS_ACCESSIBILITY_REVIEWED = os.getenv("ECHOS_ACCESSIBILITY_REVIEWED", "2026-12-04")

EMAIL_BACKEND = os.getenv("ECHOS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.getenv("ECHOS_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = os.getenv("ECHOS_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("ECHOS_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("ECHOS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("ECHOS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("ECHOS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.getenv("ECHOS_FROM_EMAIL", "echos@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A 4xx refusal logs one line, not a traceback (core.logfilters); 5xx keep theirs.
    "filters": {"expected_refusals": {"()": "echos.core.logfilters.ExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["expected_refusals"]}},
    "root": {"handlers": ["console"], "level": os.getenv("ECHOS_LOG_LEVEL", "WARNING")},
}

# --- tests ---------------------------------------------------------------
# pytest sets ECHOS_TESTING; ECHOS_TEST_DATABASE_URL points the suite at PostgreSQL.
TESTING = envbool("ECHOS_TESTING", default="pytest" in sys.modules)
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Personas sign in with force_login; tests/core/test_twofactor.py switches enforcement on.
    ECHOS_REQUIRE_2FA = False
    # The suite sends hundreds of requests a minute from one address; tests/core/test_ratelimit.py turns limits on.
    ECHOS_RATE_LIMITS = False
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    HUEY = {**HUEY, "huey_class": "huey.MemoryHuey", "immediate": True, "connection": {}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The page cache is off in the suite (writes inside a test's transaction never commit);
    # tests/core/test_pagecache.py and tests/site/test_pagecache_pages.py switch it on.
    ECHOS_PAGE_CACHE = envbool("ECHOS_PAGE_CACHE", False)
    CACHES["pagecache"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "echos-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    CACHES["pagecache_versions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "echos-page-versions",
    }
    if os.getenv("ECHOS_TEST_REDIS_URL"):  # the page cache's tests on Redis (docs/performance.md)
        CACHES["pagecache"] = CACHES["pagecache_versions"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["ECHOS_TEST_REDIS_URL"],
        }
    if os.getenv("ECHOS_TEST_DATABASE_URL"):
        DATABASES = {"default": dj_database_url.parse(os.environ["ECHOS_TEST_DATABASE_URL"])}
