"""Hemei settings: one module, driven by the environment.

Every value comes from a ``HEMEI_*`` variable with a default that suits the embedded demo
(SQLite in the data directory). The helpers fail loudly on a value they cannot read, so a
typo in a production environment stops the start instead of running half-configured.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no variable; anything but the usual spellings is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    """Read an integer variable; a non-integer is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _data_dir() -> Path:
    """The data directory: ``HEMEI_DATA_DIR``, else ``./hemei-data`` (the demo's folder).

    A test run never writes into either: pytest loads these settings before any conftest
    runs, so the test process is recognised here and gets a fresh temporary folder, removed
    when it exits. ``HEMEI_DATA_DIR`` points at it too, so that the commands a test starts
    in a subprocess without ``--data-dir`` stay inside it.
    """
    if "pytest" in sys.modules:
        path = Path(tempfile.mkdtemp(prefix="hemei-test-data-")).resolve()
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        os.environ["HEMEI_DATA_DIR"] = str(path)
        return path
    return Path(os.environ.get("HEMEI_DATA_DIR") or "hemei-data").resolve()


DATA_DIR = _data_dir()


def _secret_key() -> str:
    """The secret key from the environment, else one kept in the data directory.

    The demo must run with no configuration, and sessions must survive a restart, so the
    fallback key is generated once and stored beside the SQLite database.
    """
    key = os.environ.get("HEMEI_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Written whole under a temporary name, then linked: when the server's processes and the
    # worker start together on a new data directory, the first link wins and all read it.
    with tempfile.NamedTemporaryFile(
        "w", dir=DATA_DIR, prefix=".secret_key.", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(key)
    try:
        os.link(handle.name, key_file)
    except FileExistsError:
        key = key_file.read_text(encoding="utf-8").strip()
    finally:
        os.unlink(handle.name)
    return key


SECRET_KEY = _secret_key()
DEBUG = envbool("HEMEI_DEBUG", False)
ALLOWED_HOSTS = envlist("HEMEI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("HEMEI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "hemei.core",
    "hemei.divisions",
    "hemei.units",
    "hemei.accounts",
    "hemei.documents",
    "hemei.board",
    "hemei.procedures",
    "hemei.notices",
    "hemei.notifications",
    "hemei.meetings",
    "hemei.tasks",
    "hemei.progress",
    "hemei.supervision",
    "hemei.rankings",
    "hemei.intake",
    "hemei.api",
    "hemei.households",
    "hemei.places",
    "hemei.points",
    "hemei.disclosure",
    "hemei.catalogue",
    "hemei.cases",
    "hemei.homestead",
    "hemei.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hemei.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "hemei.core.replica.ReplicaReadMiddleware",
]

#: Apps whose pages and files show personal data: sent with Cache-Control: no-store.
#: The village's public board is the deliberate opposite: public, cacheable for a few minutes
#: (it shows nothing personal and answers anyone, so it must never be listed here).
NO_STORE_APPS = ("households", "points")

ROOT_URLCONF = "hemei.urls"
WSGI_APPLICATION = "hemei.wsgi.application"

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
                "hemei.home.context_processors.navigation",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = os.environ.get("HEMEI_DATABASE_URL")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        except ValueError as exc:
            raise ImproperlyConfigured(f"HEMEI_DATABASE_URL cannot be read: {exc}") from None
        databases = {"default": dict(config)}
        replica = os.environ.get("HEMEI_DATABASE_REPLICA_URL")
        if replica:
            try:
                replica_config = dj_database_url.parse(
                    replica, conn_max_age=60, conn_health_checks=True
                )
            except ValueError as exc:
                raise ImproperlyConfigured(
                    f"HEMEI_DATABASE_REPLICA_URL cannot be read: {exc}"
                ) from None
            # Tests never get a database of their own for the replica: it mirrors default.
            databases["replica"] = {**replica_config, "TEST": {"MIRROR": "default"}}
        return databases
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "hemei.sqlite3",
            # The web server and the worker write to the same file: WAL lets readers go on
            # while one writes, and IMMEDIATE transactions wait for the lock instead of
            # failing half-way with "database is locked". The page size applies to a new
            # file only: 8 KiB pages suit the 665,000-row division table.
            "OPTIONS": {
                "init_command": (
                    "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            "TEST": {"NAME": os.environ.get("HEMEI_TEST_SQLITE_NAME") or None},
        }
    }


DATABASES = _databases()
#: Reads of GET pages go to the streaming replica when HEMEI_DATABASE_REPLICA_URL is set and
#: it is healthy (hemei/core/replica.py says which reads and when it falls back).
DATABASE_ROUTERS = ["hemei.core.replica.ReplicaRouter"]
HEMEI_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("HEMEI_REPLICA_MAX_LAG_SECONDS", "5"))
HEMEI_REPLICA_CHECK_SECONDS = float(os.environ.get("HEMEI_REPLICA_CHECK_SECONDS", "2"))
HEMEI_REPLICA_PIN_SECONDS = int(os.environ.get("HEMEI_REPLICA_PIN_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): after this many failures for one username from one
# address the account is locked for the cool-off period.
AXES_FAILURE_LIMIT = envint("HEMEI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("HEMEI_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envlist("HEMEI_TIME_ZONE", ["Asia/Shanghai"])[0]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `collectstatic` puts the files (`hemei serve` collects them into the data directory's
# `static/` unless this names another folder, e.g. one a front web server reads).
STATIC_ROOT = os.environ.get("HEMEI_STATIC_ROOT") or None
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
# `hemei serve` collects the static files first (HEMEI_STATIC_COLLECTED): pages then name
# content-hashed copies, which WhiteNoise serves gzipped and cacheable for a year
# (immutable). Elsewhere (the demo, tests, development) WhiteNoise serves the files straight
# from the apps, so no collectstatic step is needed.
STATIC_COLLECTED = envbool("HEMEI_STATIC_COLLECTED", False)
if STATIC_COLLECTED and not STATIC_ROOT:
    raise ImproperlyConfigured("HEMEI_STATIC_COLLECTED needs HEMEI_STATIC_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "hemei.core.storage.StaticStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        "BACKEND": os.environ.get("HEMEI_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get(
    "HEMEI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
#: With HEMEI_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend: one file per
#: connection in this folder (the fault tests count the messages there).
EMAIL_FILE_PATH = os.environ.get("HEMEI_EMAIL_FILE_PATH") or str(DATA_DIR / "outbox")
DEFAULT_FROM_EMAIL = os.environ.get("HEMEI_DEFAULT_FROM_EMAIL", "hemei@localhost")
# With HEMEI_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend:
EMAIL_HOST = os.environ.get("HEMEI_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("HEMEI_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("HEMEI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HEMEI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("HEMEI_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
# The address people reach the platform at, for links in e-mails (e.g. https://hemei.example.gov.cn).
HEMEI_SITE_URL = os.environ.get("HEMEI_SITE_URL", "").rstrip("/")

# Django's cache: the public board's request counter. The default keeps it in the memory of
# one process (the demo's single server process, tests); several server processes need a
# shared cache so the limit counts across them:
# `hemei serve` (several processes) sets HEMEI_CACHE_DIR to the data directory's `cache/`, a
# cache on disk that all its processes share.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["HEMEI_CACHE_DIR"],
        }
        if os.environ.get("HEMEI_CACHE_DIR")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Province-wide figures past their minute are shown while a background thread counts them
# again (hemei.core.lists.cached_rows); off: the request that finds them old counts them.
HEMEI_FIGURES_REFRESH_IN_BACKGROUND = envbool("HEMEI_FIGURES_REFRESH_IN_BACKGROUND", True)

# The village's public board (村务公开栏): requests per minute one address may make to its
# pages (0: no limit), and how long browsers and proxies may keep a page (seconds).
# ⚠ Months after completion within which a household that moved site hands back the old
# homestead (汕尾 requires 3 months; DOMAIN §1.2): the county's rule, configurable.
HEMEI_HOMESTEAD_HANDBACK_MONTHS = envint("HEMEI_HOMESTEAD_HANDBACK_MONTHS", 3)
HEMEI_BOARD_RATE_LIMIT = envint("HEMEI_BOARD_RATE_LIMIT", 60)
HEMEI_BOARD_MAX_AGE = envint("HEMEI_BOARD_MAX_AGE", 300)
# The longest lease (出租、入股、合作) of a rural homestead and house to someone outside the
# collective (城镇居民、工商企业), in years: 20 under 中农发〔2019〕11号; a county whose rules
# are stricter sets less.
HEMEI_HOMESTEAD_LEASE_MAX_YEARS = envint("HEMEI_HOMESTEAD_LEASE_MAX_YEARS", 20)
# Behind a reverse proxy that appends the client's address to X-Forwarded-For: count the
# address it appended (the last one) instead of the proxy's own. Off unless the proxy is
# yours: anyone can send the header.
HEMEI_TRUST_X_FORWARDED_FOR = envbool("HEMEI_TRUST_X_FORWARDED_FOR", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("HEMEI_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors_in_one_line": {"()": "hemei.core.log_filters.ClientErrorsInOneLine"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HEMEI_LOG_LEVEL", "WARNING")},
    # A 403 or 400 is one line on the console, not a traceback.
    "loggers": {"django.request": {"filters": ["client_errors_in_one_line"]}},
}

# Nightly backups by the worker (`hemei worker`): into HEMEI_BACKUP_DIR/YYYY-MM-DD once the
# local time is past HEMEI_BACKUP_HOUR, keeping the HEMEI_BACKUP_KEEP newest. Off when unset.
HEMEI_BACKUP_DIR = os.environ.get("HEMEI_BACKUP_DIR") or None
HEMEI_BACKUP_KEEP = envint("HEMEI_BACKUP_KEEP", 7)
HEMEI_BACKUP_HOUR = envint("HEMEI_BACKUP_HOUR", 2)
if HEMEI_BACKUP_KEEP < 1 or not 0 <= HEMEI_BACKUP_HOUR <= 23:
    raise ImproperlyConfigured("HEMEI_BACKUP_KEEP must be at least 1, HEMEI_BACKUP_HOUR 0-23")

# Rows per page on every list, and the most rows an Excel export may hold.
PAGE_SIZE = envint("HEMEI_PAGE_SIZE", 50)
EXPORT_MAX_ROWS = envint("HEMEI_EXPORT_MAX_ROWS", 200_000)
# A circular export running longer than this is taken for lost with its worker (killed, host
# gone): it is queued once more, then marked failed.
EXPORT_TIMEOUT_MINUTES = envint("HEMEI_EXPORT_TIMEOUT_MINUTES", 15)
