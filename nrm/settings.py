"""Settings, read from the environment (every variable is in docs/configuration.md).

Defaults are safe for production: DEBUG off, cookies secure and HttpOnly, HSTS, a strict CSP. `make run`
writes the few local differences (plain HTTP on loopback, demo mode, email to files) into `.env`; the tests
set theirs in pyproject.toml.
"""

import os
import re
from pathlib import Path
from urllib.parse import unquote

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from common import database as database_timeouts
from common import infrastructure, log_formats

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

env = environ.Env()
# `make run` writes local settings to .env; NRM_DOTENV="" (as the tests set) reads none.
DOTENV = os.environ.get("NRM_DOTENV", str(BASE_DIR / ".env"))
if DOTENV:
    environ.Env.read_env(DOTENV, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
NRM_DEMO = env.bool("NRM_DEMO", default=False)
SECRET_KEY = env.str("SECRET_KEY")
# Old keys, still accepted for signatures while sessions signed with them expire (key rotation).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SERVICE_NAME = "Refer a potential victim of modern slavery"

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "crispy_forms",
    "crispy_forms_gds",
    "django_celery_beat",
    "simple_history",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "common",
    "accounts",
    "notifications",
    "referrals",
    "casework",
    "panels",
    "insights",
    "privacy",
    "partners",
    "nrm",
]

MIDDLEWARE = [
    "common.request_context.RequestIdMiddleware",  # first: every log line of a request has its id
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.RefuseNulInAdminQueryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.middleware.DatabaseBusyMiddleware",  # a database timeout: the busy page, 503 (docs/adr/0018)
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.ThrottledUserSessionsMiddleware",  # allauth's, writing at most once a minute
    "accounts.middleware.IdleSessionTimeoutMiddleware",
    "accounts.middleware.StaffMfaRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "nrm.urls"
WSGI_APPLICATION = "nrm.wsgi.application"

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
                "common.context_processors.service",
                "accounts.context_processors.navigation",
                "accounts.context_processors.service_name",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Where PostgreSQL and Redis are: common.infrastructure decides (env URL, local server, or embedded).
DATABASES = {"default": env.db_url_config(infrastructure.database_url())}
# A Unix-socket directory arrives percent-encoded in the URL's host part.
DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
)
# How long one statement may run and wait for a lock, in seconds (0: no limit). A web request's are short, so no
# request hangs on a lock or a slow query (it ends in the "service is busy" page); the jobs' (Celery worker and
# beat, management commands) are long. common.database, docs/adr/0018-database-timeouts.md.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=15)
DATABASE_LOCK_TIMEOUT = env.float("DATABASE_LOCK_TIMEOUT", default=5)
DATABASE_JOB_STATEMENT_TIMEOUT = env.float("DATABASE_JOB_STATEMENT_TIMEOUT", default=30 * 60)
DATABASE_JOB_LOCK_TIMEOUT = env.float("DATABASE_JOB_LOCK_TIMEOUT", default=60)
DATABASES["default"]["OPTIONS"]["options"] = " ".join(
    filter(
        None,
        [
            database_timeouts.timeout_options(
                statement_seconds=DATABASE_STATEMENT_TIMEOUT, lock_seconds=DATABASE_LOCK_TIMEOUT
            ),
            DATABASES["default"]["OPTIONS"].get("options"),  # a DATABASE_URL's own ?options= come last and win
        ],
    )
)
DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default="test_nrm")
REDIS_URL = infrastructure.redis_url()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, for the broker and the cache: a frozen server (connects, never answers) costs a request these few seconds
# at most, then is left alone REDIS_PAUSE_SECONDS by that process (common.broker, common.cache; docs/adr/0019).
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
REDIS_PAUSE_SECONDS = env.float("REDIS_PAUSE_SECONDS", default=15.0)

# The cache lives in its own Redis database, apart from Celery's queues; a Redis error there is a miss. The sign-in
# rate limits and lockout counters are kept in PostgreSQL instead (accounts.RateLimitCounter), so sign-in works
# and lockouts hold while Redis is down (common.cache).
CACHES = {
    "default": {
        "BACKEND": "common.cache.ResilientRedisCache",
        "LOCATION": env.str("CACHE_URL", default=infrastructure.with_database(REDIS_URL, 1)),
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="nrm"),
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
            "socket_timeout": REDIS_SOCKET_TIMEOUT,
            "PAUSE_SECONDS": REDIS_PAUSE_SECONDS,
            "RATE_LIMITS_TABLE": "accounts_rate_limit_counter",
        },
    }
}
SESSION_ENGINE = "accounts.sessions"  # Django's database sessions, read in one written statement (ADR 0034)

# --- Sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, refusing a partner API client's service user (it never signs in to a page).
    "accounts.backends.SignInModelBackend",
    "accounts.backends.SignInAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# No Revert button on any history page; common.admin.HistoryAdmin also refuses the post itself (the button alone
# does not stop one), and a start-up check makes every history admin use it.
SIMPLE_HISTORY_REVERT_DISABLED = True

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# The sign-in, code and sign-up forms in GOV.UK wording (accounts.sign_in_forms).
ACCOUNT_FORMS = {
    "login": "accounts.sign_in_forms.SignInForm",
    "signup": "accounts.sign_in_forms.SignUpForm",
    "request_login_code": "accounts.sign_in_forms.LoginCodeRequestForm",
    "confirm_login_code": "accounts.sign_in_forms.LoginCodeConfirmForm",
    "confirm_email_verification_code": "accounts.sign_in_forms.EmailVerificationCodeForm",
    "reset_password": "accounts.sign_in_forms.PasswordResetRequestForm",
    "reset_password_from_key": "accounts.sign_in_forms.PasswordResetSetForm",
    "reauthenticate": "accounts.sign_in_forms.PasswordReauthenticateForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "NRM Digital: "
ACCOUNT_CHANGE_EMAIL = False
# Throttling and lockout: after LOGIN_FAILURES_BEFORE_LOCKOUT failed attempts on one account the account is
# locked for LOGIN_LOCKOUT_SECONDS, whatever the password (counted in PostgreSQL by common.cache, so across every
# web process and through a Redis outage).
LOGIN_FAILURES_BEFORE_LOCKOUT = env.int("LOGIN_FAILURES_BEFORE_LOCKOUT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,{LOGIN_FAILURES_BEFORE_LOCKOUT}/{LOGIN_LOCKOUT_SECONDS}s/key",
    "request_login_code": "20/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.adapters.MfaAdapter"
MFA_FORMS = {
    "authenticate": "accounts.sign_in_forms.AuthenticatorCodeForm",
    "reauthenticate": "accounts.sign_in_forms.AuthenticatorReauthenticateForm",
    "activate_totp": "accounts.sign_in_forms.AuthenticatorActivateForm",
}
MFA_TOTP_ISSUER = "NRM Digital"
# Staff must set up TOTP outside demo mode (accounts.middleware.StaffMfaRequiredMiddleware).
NRM_REQUIRE_STAFF_MFA = env.bool("NRM_REQUIRE_STAFF_MFA", default=not NRM_DEMO)
# Every first responder must set up an authenticator app (an organisation can also require it of its own).
NRM_REQUIRE_FIRST_RESPONDER_MFA = env.bool("NRM_REQUIRE_FIRST_RESPONDER_MFA", default=False)
# A request to join an organisation that no one approves within this many days expires.
NRM_MEMBERSHIP_REQUEST_DAYS = env.int("NRM_MEMBERSHIP_REQUEST_DAYS", default=30)
# An invitation to a new member of staff (choose a password, set up the authenticator app) expires after this.
NRM_INVITATION_DAYS = env.int("NRM_INVITATION_DAYS", default=7)
USERSESSIONS_TRACK_ACTIVITY = True

STAFF_IDLE_TIMEOUT_SECONDS = 30 * 60
FIRST_RESPONDER_IDLE_TIMEOUT_SECONDS = 2 * 60 * 60
SESSION_COOKIE_AGE = FIRST_RESPONDER_IDLE_TIMEOUT_SECONDS
# The idle expiry and allauth's "last seen" move on at most this often, so a plain GET writes nothing (ADR 0022).
SESSION_ACTIVITY_REFRESH_SECONDS = 60

# --- Security. HTTPS_ONLY=false only for plain HTTP on loopback (make run, make test).
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=True)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS_ONLY and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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
    },
}

# --- Static files: GOV.UK Frontend's dist/ is copied into static/vendor by the Makefile (not committed).
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence and documents about people: never under a URL of their own, only through permission-checked views.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=DATA_DIR / "private"), "base_url": None},
    },
    # Infected uploads, moved out of "private" by common.virus_scan: nothing serves or downloads from here.
    "quarantine": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("QUARANTINE_MEDIA_ROOT", default=DATA_DIR / "quarantine"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# With S3_BUCKET, files live in an S3-compatible object store that the web and worker processes of every machine
# share (django-storages): "private", "quarantine" and "default" each under a prefix of its own (the quarantine in
# a bucket of its own with S3_QUARANTINE_BUCKET), private ACL, never a public URL. Credentials: boto3's usual
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role. common.storage, docs/adr/0020.
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    from common.storage import s3_storages

    STORAGES |= s3_storages(
        bucket=S3_BUCKET,
        buckets={"quarantine": env.str("S3_QUARANTINE_BUCKET", default="")},
        prefixes={
            "private": env.str("S3_PRIVATE_PREFIX", default="private"),
            "quarantine": env.str("S3_QUARANTINE_PREFIX", default="quarantine"),
            "default": env.str("S3_MEDIA_PREFIX", default="media"),
        },
        endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
        region=env.str("S3_REGION", default=""),
        addressing_style=env.str("S3_ADDRESSING_STYLE", default=""),
        default_acl=env.str("S3_DEFAULT_ACL", default="private"),
        server_side_encryption=env.str("S3_SERVER_SIDE_ENCRYPTION", default=""),
        kms_key_id=env.str("S3_KMS_KEY_ID", default=""),
        connect_timeout=env.float("S3_CONNECT_TIMEOUT", default=3),
        read_timeout=env.float("S3_READ_TIMEOUT", default=10),
    )

# --- Malware scanning of uploads (common.virus_scan; docs/adr/0008-upload-checks-and-malware-scanning.md):
# ClamAV's daemon on a Unix socket (CLAMD_SOCKET) or TCP (CLAMD_HOST, CLAMD_PORT). `make run` starts one on
# .data/clamav/clamd.sock when clamd is installed, which demo mode uses unless CLAMD_HOST names a daemon (compose's
# demo stack: a socket set wins over a host, and `make run`'s is not in a container); CLAMD_ENABLED=false (demo mode
# only) marks uploads clean with a "not scanned" note.
CLAMD_ENABLED = env.bool("CLAMD_ENABLED", default=True)
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_SOCKET = env.str(
    "CLAMD_SOCKET", default=str(DATA_DIR / "clamav" / "clamd.sock") if NRM_DEMO and not CLAMD_HOST else ""
)
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=60.0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Email: SMTP in production; `make run` writes files to .data/mail (see README). GOV.UK Notify instead when
# NOTIFY_API_KEY is set (common.email_backends): the same templates, through one generic Notify template.
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env.str("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env.float("NOTIFY_TIMEOUT", default=10.0)
if NOTIFY_API_KEY:
    if not NOTIFY_TEMPLATE_ID or not re.search(r"-[0-9a-f-]{36}-[0-9a-f-]{36}$", NOTIFY_API_KEY):
        raise ImproperlyConfigured("NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID, and is Notify's whole key (name-...-...)")
    EMAIL_BACKEND = "common.email_backends.NotifyEmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NRM Digital <no-reply@nrm.example>")
SERVICE_URL = env.str("SERVICE_URL", default="http://127.0.0.1:8000")

# --- Celery on Redis; periodic jobs in nrm/celery.py, scheduled from the database.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="nrm")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a dead worker held goes back to the queue after the visibility timeout: minutes, not the default hour
# (must-happen tasks are also swept from the outbox every minute; docs/adr/0023). It must stay above the longest
# task and the longest retry countdown (10 minutes), or Redis hands a task still running to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900)}
# A publish never hangs on a frozen Redis: socket timeouts, and one quick retry (which rides out a Redis restart).
# Worst case about (1 + 2 * CELERY_PUBLISH_RETRIES) * REDIS_SOCKET_TIMEOUT; common.broker then pauses publishing.
CELERY_BROKER_TRANSPORT_OPTIONS |= {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env.int("CELERY_PUBLISH_RETRIES", default=1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Personal data never goes into logs: our own messages at INFO, with the request id, user id and role (never a name
# or an address), and no request bodies. JSON lines in production, plain text under `make run` and the tests.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = log_formats.logging_config(log_format=LOG_FORMAT, level=env.str("LOG_LEVEL", default="INFO"))

# --- Error reports through Sentry's SDK when SENTRY_DSN is set, scrubbed of personal data (common.sentry).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from common.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default=""),
        release=env.str("SENTRY_RELEASE", default=""),
    )
CSRF_FAILURE_VIEW = "common.views.csrf_failure"

# --- The partner API (issue 14, partners): REST framework on OAuth2 client credentials; problem details for errors.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.api.authentication.ClientCredentialsAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "partners.api.permissions.HasClientScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["partners.api.throttling.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "partners.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
PARTNER_API_RATE_PER_MINUTE = env.int("PARTNER_API_RATE_PER_MINUTE", default=120)
# Webhooks (partners.webhooks): HTTPS only; plain http to this machine only with DEBUG or this (the tests' receiver).
PARTNER_WEBHOOKS_ALLOW_HTTP = env.bool("PARTNER_WEBHOOKS_ALLOW_HTTP", default=False)
PARTNER_WEBHOOK_CONNECT_TIMEOUT = env.float("PARTNER_WEBHOOK_CONNECT_TIMEOUT", default=3.0)
PARTNER_WEBHOOK_READ_TIMEOUT = env.float("PARTNER_WEBHOOK_READ_TIMEOUT", default=5.0)
PARTNER_WEBHOOK_MAX_ATTEMPTS = env.int("PARTNER_WEBHOOK_MAX_ATTEMPTS", default=8)
# DOT's own models, named for the migrations' swappable dependency (partners.ApiClient -> Application).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105 (a model's name)
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "partners.oauth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "partners.oauth.PartnerOAuth2Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("PARTNER_API_TOKEN_SECONDS", default=3600),
    # RFC 9700 (the OAuth 2.0 Security Best Current Practice), ahead of django-oauth-toolkit 4.0's defaults: tokens
    # stored as their SHA-256 only (a copy of the table gives no usable token), never taken from a URL's query
    # string (where access logs would keep them), no implicit or password grant, no PKCE "plain", https redirect
    # URIs only, refresh-token replay revokes the family. Partners use client credentials alone (docs/adr/0031);
    # `check --deploy` fails on a setting that undoes any of this.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NRM Digital partner API",
    "DESCRIPTION": "Send referrals and Duty to Notify reports to the National Referral Mechanism, upload their "
    "evidence, read their status and outcomes, and answer requests for information.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each choice set partners see more than once (without these, "EventEnum" and "EventsEnum" were
    # the same list, and a referral's status was "Status00bEnum").
    "ENUM_NAME_OVERRIDES": {
        "ChangeEventEnum": "partners.events.ChangeEvent.choices",
        "ReferralStatusEnum": "partners.api.referrals.STATUS_CODES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The problem responses every call may get (401, 403, 429; 404, 400, 413, 415 where they apply).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partners.api.schema.add_common_problem_responses",
    ],
}
