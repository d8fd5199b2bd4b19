"""Settings for the portal. Everything that differs between deployments comes from the
environment (see README); nothing here is edited per deployment."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET = "django-insecure-local-development-only"
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (
    SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5 or len(SECRET_KEY) < 50
):
    raise ImproperlyConfigured("SECRET_KEY is too weak: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

# The portal's address as its users reach it. Every absolute link (e-mails, calendar feeds,
# PDFs) is made from it, never from a request's Host header, which a client chooses.
SITE_URL = (env_str("SITE_URL") or "").rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address, not {SITE_URL!r}")
SITE_URL_SET = bool(SITE_URL)  # `check --deploy` warns when it is not
SITE_URL = SITE_URL or "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "template_partials",
    "simple_history",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "portal",
    "partnarskap",
    "avtalar",
    "handlingsplan",
    "moter",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # ETag on every page, and 304 when the browser has it already.
    "django.middleware.http.ConditionalGetMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached anonymous page is answered without them (portal.sidebuffer).
    "portal.sidebuffer.SidebufferMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Closed papers asked for without logging in: to the login page and back.
    "portal.middleware.LoginRequiredMiddleware",
    # 413 for a body over the limit (smaller for anonymous visitors), before it is read.
    "portal.middleware.RequestSizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Pages for logged-in users, per audience (portal.sidebuffer); needs the three above.
    "portal.sidebuffer.InnloggaSidebufferMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # request.htmx, and Vary: HX-Request wherever a view asked for it.
    "portal.htmx.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # PDF exports once per data stamp; every PDF sandboxed (replaces the page policy below).
    "portal.pdfcache.PdfMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.access.context",
            ],
            # {% url %} that reverses each address once per process (portal/templatetags).
            "builtins": ["portal.templatetags.lenkjer"],
        },
    },
]
FORM_RENDERER = "portal.forms.PortalFormRenderer"

# The cache (CACHE_URL): local memory in each process by default; redis://host:port/db for
# several workers or servers, which then share pages, fragments, PDF exports and sessions.
# Whatever it holds is keyed on the data stamp (portal.sidebuffer), so a cache of its own per
# process is never stale, only colder.
CACHE_URL = env_str("CACHE_URL") or "locmem://"
SIDEBUFFER = env_bool("SIDEBUFFER", True)  # 0: render every page every time
SIDEBUFFER_CACHE = "sider"


def _cache(url: str, name: str, max_entries: int) -> dict:
    scheme = url.split("://", 1)[0]
    if scheme in ("redis", "rediss", "unix"):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"helsefellesskap:{name}",
            # A Redis that is down costs a render, never an error page.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": name,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must be locmem://, dummy:// or redis://…, not {url!r}")


CACHES = {
    "default": _cache(CACHE_URL, "default", 1000),
    # Pages are ~5–40 kB: some 40 MB a worker in local memory.
    SIDEBUFFER_CACHE: _cache(CACHE_URL, "sider", 1000),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# With a shared cache (Redis), sessions are read from it and written through to the
# database, so a cache that is emptied or restarted logs nobody out. A cache of each
# process's own would keep a session alive in one worker after a logout in another, so
# then they stay in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].startswith("django_redis")
    else "django.contrib.sessions.backends.db"
)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A form's select of records reads them with QuerySet.iterator(), which on PostgreSQL opens
# a server-side cursor that is held past the transaction: three round trips and a copy of
# the rows for a list of a few dozen, on every page with a filter or an editor. Nothing
# the portal reads is too large to fetch at once.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for the same account from the
# same address, or from the same address across accounts (so one address cannot try a few
# passwords on every account), the address is locked out for AXES_COOLOFF_MINUTES. A name
# that is no account counts the same, so the lockout says nothing about which accounts exist.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/sperra.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "portal.access.throttle_username"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "nn"
LANGUAGES = [("nn", "Nynorsk")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"  # never served directly: uploads go through views that check access
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Uploaded files and built meeting packs: MEDIA_ROOT on this machine, or S3-compatible
# object storage shared by every server and worker (django-storages, `pip install -e .[s3]`).
# The code reads and writes them through Django's storage API only (portal/lagring.py).
STORAGE_BACKEND = env_str("STORAGE_BACKEND") or "django.core.files.storage.FileSystemStorage"
_S3_OPTIONS = {
    "bucket_name": env_str("S3_BUCKET"),
    "endpoint_url": env_str("S3_ENDPOINT_URL"),
    "region_name": env_str("S3_REGION"),
    "access_key": env_str("S3_ACCESS_KEY_ID"),
    "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
    "location": env_str("S3_PREFIX"),
}
STORAGES = {
    "default": {
        "BACKEND": STORAGE_BACKEND,
        # Files are served through views that check access, never from the bucket's URL.
        "OPTIONS": {k: v for k, v in _S3_OPTIONS.items() if v} | {"default_acl": "private"}
        if STORAGE_BACKEND.startswith("storages.backends.s3")
        else {},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True  # serve static/ straight from the checkout without collectstatic

# Where `manage.py backup` puts a new backup when it is given no directory.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or BASE_DIR / "backups")

# Largest upload accepted (agreement documents, meeting attachments), in megabytes.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 25)
# Meeting packs estimated at more pages than this are built by the background worker.
MOTEPAKKE_SYNC_MAX_PAGES = env_int("MOTEPAKKE_SYNC_MAX_PAGES", 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 5  # every form takes one file

# Transport security: safe production values unless DEBUG, each can be set to 0 for a
# local benchmark on plain http.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# No inline scripts or styles and no eval anywhere; htmx is configured for that in base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND") or "django_tasks_db.DatabaseBackend",
    }
}

# SMTP when a mail server is named, the console (the message printed) otherwise;
# EMAIL_BACKEND overrides both. Meeting mail is sent by the background worker, which
# retries a temporary failure (moter/utsending.py), so the timeout only bounds one attempt.
EMAIL_HOST = env_str("EMAIL_HOST") or ""
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS (STARTTLS, usually port 587) and EMAIL_USE_SSL (TLS from the start, "
        "usually port 465) cannot both be on."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "helsefellesskap@localhost"
EMAIL_USE_LOCALTIME = True  # the Date header in Norwegian time, as everything else

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "WARNING"},
}

# An agreement version that not every party has signed this many weeks after its approval
# is on the secretariat's follow-up list (avtalar/signering.py).
SIGNERING_OPPFOLGING_VEKER = 8
