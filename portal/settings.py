"""Settings for Godt på vej, read from the environment.

Development runs on embedded defaults (SQLite and a file broker in ``var/``, mail written to
``var/mail/``); production sets ``DJANGO_ENV=production`` and real services by URL. Every
variable is listed in the README.
"""

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"
DEBUG = env.bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "development-only-secret-key-never-use-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (
    len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured("Production needs a real SECRET_KEY of at least 50 random characters.")
# Old keys that still verify signatures (sessions, reset links) and decrypt MFA secrets during a change.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: use REMOTE_ADDR). The one setting
# for the client address: the access log, rate limits and session list all use portal.client_address.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES
# The portal's name and public address, in every page title and every mail (never the request's host).
SITE_NAME = env.str("SITE_NAME", default="Godt på vej")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:{}".format(env.int("PORT", default=8000))).rstrip(
    "/"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.humanize",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "portal.accounts",
    "portal.organisation",
    "portal.audit",
    "portal.meetings",
    "portal.community",
    "portal.api",
    "portal.privacy",
    "portal.roster",
    "portal.notices",
    "children",
    "expectations",
    "transitions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.middleware.refuse_nul_bytes",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.languages.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "portal.middleware.RequireStaffMFAMiddleware",
    "portal.middleware.PupilOnlyMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "portal.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL is set. Persistent connections with health checks.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles "expensive" plans; for our reports it costs more than it saves (measured:
    # the review figures halve without it).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts: invitation only, e-mail as identity, login by password or e-mailed code.
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "portal.accounts.adapter.SocialAccountAdapter"
MFA_ADAPTER = "portal.accounts.adapter.MFAAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# An unknown address gets no mail (allauth's would point to a closed sign-up); the page is the same.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"{SITE_NAME}: "
# One address per person: a new address replaces the old one once it is confirmed, and the old address
# is told (README: Access and security).
ACCOUNT_CHANGE_EMAIL = True
# Changing the e-mail address, the password, two-step verification, the calendar address or logging out
# the other sessions asks for the password (or an e-mailed code) again, within the last five minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# A mail to every confirmed address when the password, e-mail address or two-step verification changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Rate limits use the default cache: Redis in production, so they hold across processes. Limits per
# address are high: a whole school or town hall can share one address.
ACCOUNT_RATE_LIMITS = {
    "login": "200/m/ip",
    # Wrong passwords per address, and per account from one address (key); also allauth's MFA code
    # check, per person (key).
    "login_failed": "100/m/ip,5/5m/key",
    # Wrong passwords per account from anywhere, with longer waits as they add up (AccountAdapter).
    "login_failed_account": "10/15m/key,20/h/key,50/d/key",
    # Mails anyone can ask for: a few per address (key) an hour, and a bound per client address.
    "confirm_email": "1/3m/key,3/h/key,30/h/ip",
    "reset_password": "3/h/key,30/h/ip",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "3/h/key,30/h/ip",
    "change_password": "5/m/user",
    # Codes mailed before the first authenticator is set up (portal/accounts/views.py), per person.
    "mfa_setup_code": "3/m/key,10/h/key",
    # Pupils typing the code from their teacher ("I'm a pupil"), per client address: a class shares one.
    "pupil_code": "30/m/ip,300/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Wrong two-step codes in a row end the login, mail the person and at last lock two-step login.
MFA_FORMS = {"authenticate": "portal.accounts.forms.MFAAuthenticateForm"}
MFA_TOTP_ISSUER = SITE_NAME
# Fernet keys for the MFA secrets at rest, kept apart from the database: the first encrypts, all decrypt
# (rotation: README). Unset, a key is derived from SECRET_KEY; `check --deploy` warns about that.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
USERSESSIONS_ADAPTER = "portal.accounts.adapter.UserSessionsAdapter"
# Staff and administrators must have MFA set up and used it in this session before child data.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)
USERSESSIONS_TRACK_ACTIVITY = False
SOCIALACCOUNT_ONLY = False
# A broker identity is never matched to an account by e-mail address: it is linked through an
# invitation link or by its signed-in owner (SocialAccountAdapter), and never creates an account.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
# Linking (or unlinking) a broker identity asks for the password again.
SOCIALACCOUNT_REAUTHENTICATION_REQUIRED = True

# A MitID broker (or any OpenID Connect provider) is off until OIDC_SERVER_URL is set.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
# The lowest NSIS assurance level (low, substantial, high) a broker login must vouch for (acr or loa).
OIDC_MIN_ASSURANCE = env.str("OIDC_MIN_ASSURANCE", default="substantial").lower()
if OIDC_MIN_ASSURANCE not in {"low", "substantial", "high"}:
    raise ImproperlyConfigured("OIDC_MIN_ASSURANCE must be low, substantial or high.")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env.str("OIDC_PROVIDER_ID", default="mitid"),
                "name": env.str("OIDC_PROVIDER_NAME", default="MitID"),
                "client_id": env.str("OIDC_CLIENT_ID"),
                "secret": env.str("OIDC_CLIENT_SECRET"),
                "settings": {
                    "server_url": OIDC_SERVER_URL,
                    "fetch_userinfo": True,
                    # Asks the broker for the level; the portal checks what it answers.
                    "auth_params": {
                        "acr_values": "https://data.gov.dk/concept/core/nsis/loa/"
                        + OIDC_MIN_ASSURANCE.capitalize()
                    },
                },
            }
        ],
    }

# A password reset link is good for an hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
INVITATION_TTL = timedelta(days=env.int("INVITATION_TTL_DAYS", default=14))

# Sessions: a fresh id at login (Django), idle and absolute time-outs (portal middleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers. CSP uses Django's built-in middleware with nonces; no inline script anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # gunicorn decides whether a request came over https: it believes X-Forwarded-Proto only from the
    # proxy addresses in FORWARDED_ALLOW_IPS. Django would believe it from anyone.
    if "TRUST_X_FORWARDED_PROTO" in env:
        raise ImproperlyConfigured(
            "TRUST_X_FORWARDED_PROTO is gone: set FORWARDED_ALLOW_IPS to the proxy's address for gunicorn."
        )
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# E-mail through Django's MAILERS: files in var/mail/ unless EMAIL_URL is set
# (smtp://user:password@host:port, smtp+tls://…, smtp+ssl://…, console://).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{SITE_NAME} <no-reply@godtpaavej.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env.str("EMAIL_URL", default="")
# The right-hand side of every Message-ID the portal writes (reminders' are stable across resends).
MESSAGE_ID_DOMAIN = env.str(
    "MESSAGE_ID_DOMAIN", default=urlsplit(SITE_URL).hostname or "godtpaavej.localhost"
)


def _mailer_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme in {"console", "consolemail"}:
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtp+tls://, smtp+ssl:// or console://"
        )
    options = {
        "host": parts.hostname,
        "port": parts.port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": parts.scheme == "smtp+tls",
        "use_ssl": parts.scheme == "smtp+ssl",
        "timeout": 20,
    }
    return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}


if EMAIL_URL:
    MAILERS = {"default": _mailer_from_url(EMAIL_URL)}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Internationalisation: Danish first, English complete.
LANGUAGE_CODE = "da"
# Staff and administrators work in Danish or English. Parents may also read their pages, messages and
# summaries in the languages most spoken by families new to Denmark; texts there not yet reviewed by a
# native speaker say so on every page (UNREVIEWED_LANGUAGES), and a text not yet translated is shown in
# English.
STAFF_LANGUAGES = ["da", "en"]
LANGUAGES = [
    ("da", _("Danish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
]
UNREVIEWED_LANGUAGES = env.list("UNREVIEWED_LANGUAGES", default=["ar", "uk", "tr", "pl", "so", "ti"])
# Django knows Arabic, Ukrainian, Turkish and Polish; Somali and Tigrinya are added here.
LANG_INFO.update(
    {
        "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    }
)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("4. dec.", "onsdag den 16. december"): portal/formats/.
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Evidence in learning plans (photos, drawings, short videos): private storage, never under a public URL;
# the portal streams each file through an authorized, audited view. S3-compatible object storage when
# EVIDENCE_S3_BUCKET is set, else files in var/evidence/ (outside static and media).
EVIDENCE_S3_BUCKET = env.str("EVIDENCE_S3_BUCKET", default="")
if EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "children.storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env.str("EVIDENCE_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("EVIDENCE_S3_REGION", default="") or None,
            "access_key": env.str("EVIDENCE_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("EVIDENCE_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("EVIDENCE_S3_PREFIX", default="evidence"),
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "children.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": env.str("EVIDENCE_DIR", default=str(VAR_DIR / "evidence"))},
    }
# The accessibility statement (webtilgængelighedsloven § 4): the municipality's statement made in
# Digitaliseringsstyrelsen's WAS-Tool, if it has one (the footer then links there), else the portal's own
# page, with the contacts the law asks for (phone and written) and the date it was last reviewed.
ACCESSIBILITY_STATEMENT_URL = env.str("ACCESSIBILITY_STATEMENT_URL", default="")
ACCESSIBILITY_EMAIL = env.str("ACCESSIBILITY_EMAIL", default="")
ACCESSIBILITY_PHONE = env.str("ACCESSIBILITY_PHONE", default="")
try:
    ACCESSIBILITY_REVIEWED_ON = date.fromisoformat(env.str("ACCESSIBILITY_REVIEWED_ON", default="2026-12-05"))
except ValueError as error:
    raise ImproperlyConfigured("ACCESSIBILITY_REVIEWED_ON must be a date, e.g. 2027-01-31.") from error

# A family's data exports (portal/privacy): private like evidence, offered for EXPORT_TTL_DAYS, then deleted.
STORAGES["exports"] = {
    "BACKEND": "children.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": env.str("EXPORTS_DIR", default=str(VAR_DIR / "exports"))},
}
EXPORT_TTL_DAYS = env.int("EXPORT_TTL_DAYS", default=7)
# Uploaded roster files (portal/roster) wait here for the dry run to read them, then are deleted.
STORAGES["imports"] = {
    "BACKEND": "children.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": env.str("IMPORTS_DIR", default=str(VAR_DIR / "imports"))},
}

# The private file storages a backup copies beside the database (manage.py backup).
BACKUP_STORAGES = env.list("BACKUP_STORAGES", default=["evidence"])
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
# Largest upload: photos, drawings and PDFs; short videos (MP4). Images larger than this many pixels
# are refused before they are decoded.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=15 * 1024 * 1024)
EVIDENCE_MAX_VIDEO_BYTES = env.int("EVIDENCE_MAX_VIDEO_BYTES", default=60 * 1024 * 1024)
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=50_000_000)

# Celery: Redis in production, a file broker in var/ for the quick start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "celery-queue"
    for _sub in ("queue", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
else:
    # Longer than any task, far shorter than an hour: unacknowledged work comes back quickly.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 15 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits for Redis as long as it is down (the default gives up after 100 tries) and, when the
# connection drops, stops the tasks it was running: Redis hands their messages out again anyway, and
# the reminders' leases and journal make the second run send only what is missing.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A queue of its own lets a test or benchmark run a worker beside others on one Redis.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Celery's Django fix-up closes the database connection around every task unless told to reuse it;
# reuse it (with CONN_MAX_AGE and CONN_HEALTH_CHECKS applied before each task in portal/celery.py).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "portal.tasks.clear_expired_sessions", "schedule": 60 * 60},
    "purge-stale-invitations": {"task": "accounts.purge_stale_invitations", "schedule": 60 * 60},
    "send-agreement-reminders": {"task": "expectations.send_agreement_reminders", "schedule": 60 * 60},
    "sweep-meeting-reminders": {"task": "meetings.sweep_reminders", "schedule": 60},
    "sweep-notices": {"task": "notices.sweep", "schedule": 60},
    "send-scheduled-group-messages": {"task": "community.send_scheduled_messages", "schedule": 60},
    "close-contact-parent-votes": {"task": "community.close_elections", "schedule": crontab(minute="*/5")},
    "refresh-review-figures": {
        "task": "expectations.refresh_review_figures",
        "schedule": crontab(hour=2, minute=30),
    },
    "refresh-municipality-figures": {
        "task": "organisation.refresh_municipality_figures",
        "schedule": crontab(minute=5),
    },
    "apply-retention": {"task": "privacy.apply_retention", "schedule": crontab(hour=3, minute=15)},
    "expire-data-exports": {"task": "privacy.expire_exports", "schedule": crontab(minute=20)},
}

# Meetings: reminder times (minutes before; a municipality can choose its own) and the SMS channel.
MEETING_REMINDER_OFFSETS = env.list("MEETING_REMINDER_OFFSETS", cast=int, default=[7 * 24 * 60, 24 * 60])
SMS_BACKEND = env.str("SMS_BACKEND", default="portal.meetings.sms.ConsoleBackend")
# How long a sweep's claim on a reminder lasts: longer than any send task, short enough that a lost
# task's reminders go out again soon. The journal remembers which messages the SMTP server accepted.
MEETING_REMINDER_LEASE_SECONDS = env.int("MEETING_REMINDER_LEASE_SECONDS", default=10 * 60)
MEETING_SENT_JOURNAL = env.str("MEETING_SENT_JOURNAL", default="meetings:sent")
# SMTP connections each send task keeps open at once: one sends while another waits for a reply.
MEETING_SMTP_CONNECTIONS = env.int("MEETING_SMTP_CONNECTIONS", default=2)
# The notification centre (portal/notices): quiet hours unless a person chose their own ("20:00-07:00";
# empty: none), and the hour of the daily summary unless a person chose theirs.
NOTICE_QUIET_HOURS = env.str("NOTICE_QUIET_HOURS", default="20:00-07:00")
NOTICE_DIGEST_HOUR = env.int("NOTICE_DIGEST_HOUR", default=16)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The read API for municipal systems (portal/api, README: API for municipal systems). Only API keys
# authenticate there (never a session); API_RATE_LIMIT is requests per client, in the default cache.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.api.authentication.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["portal.api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttling.ApiClientThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME}: API for municipal systems",
    "DESCRIPTION": "Read-only access for the municipality's own systems. Authenticate with "
    "`Authorization: Bearer <key>`; a key reads only its own municipality, within its scopes.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

ADMINS = [("Admin", a) for a in env.list("ADMIN_EMAILS", default=[])]
ADMIN_URL = env.str("ADMIN_URL", default="django-admin/")
FORM_RENDERER = "portal.forms.PortalFormRenderer"
