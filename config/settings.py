"""Gradiente's one settings module: everything that differs between machines comes
from the environment, with safe local defaults (SQLite, local-memory cache, DEBUG off).

Variables: SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, DATABASE_URL,
REDIS_URL, CELERY_BROKER_URL, SECURE_SSL_REDIRECT, LOG_LEVEL, METRICS_TOKEN, EMAIL_HOST
(and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL).
See README.md, "Configuration".
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A development key only when DEBUG is on; production must set its own.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local development run).")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "drf_standardized_errors",
    "csp",
    "accounts",
    "course",
    "quizzes",
    "exams",
    "progress",
    "simulations",
    "classroom",
]

MIDDLEWARE = [
    # Outermost: a request's duration includes every middleware (ops/request_metrics.py).
    "ops.request_metrics.RequestMetricsMiddleware",
    "ops.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: /api/ requests take ?lang= or Accept-Language instead.
    "api.middleware.ApiLanguageMiddleware",
    # No NUL in a query or form reaches a view (PostgreSQL's text cannot hold it).
    "ops.nul_bytes.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Innermost: a view that lost the database answers 503 (ops/outage.py).
    "ops.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "course.context_processors.language_switch",
                "accounts.context_processors.return_to",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis when configured (shared by every app process); otherwise a per-process cache,
# which is only right for a single process.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, keeping its client (storage/redis_cache.py).
            "BACKEND": "storage.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gradiente"),
            # Short timeouts: an unreachable Redis degrades the cache instead of holding
            # requests; it is tried again a second later (docs/adr/0004-cache-outage.md).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                        "OUTAGE_RETRY_SECONDS": 1.0},
        }
    }
elif env_str("CACHE_DIR"):
    # One machine without Redis (make run): a cache on disk outlives the process, so the
    # figures drawn by warm_figures are there for the first reader.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": env_str("CACHE_DIR"),
                          "OPTIONS": {"MAX_ENTRIES": 20_000}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The login limit is asked first on every login path (accounts/login_guard.py).
AUTHENTICATION_BACKENDS = [
    "accounts.login_guard.LoginGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalization: Portuguese (Brazil) is the original and the fallback.
LANGUAGE_CODE = "pt-br"
# Each language named in itself, as the language switch shows it.
LANGUAGES = [("pt-br", "Português"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "America/Sao_Paulo"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "pt-br"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("pt-br",)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# The API (docs/api.md). Errors are RFC 9457 problems (api/problems.py), tokens are
# django-rest-knox's (docs/adr/0002-api-tokens.md), throttles count in the cache: Redis
# when REDIS_URL is set, so every app process enforces the same limit.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON bodies only, checked for depth, size and UTF-8 (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_str("API_AUTH_THROTTLE_RATE", "10/minute"),
        "attempts": env_str("API_ATTEMPTS_THROTTLE_RATE", "60/minute"),
        # Anonymous answers on the lesson page (classroom/answer_throttle.py).
        "answers": env_str("WEB_ANSWERS_THROTTLE_RATE", "30/minute"),
        # Uncached simulation runs and drawings, API and lab alike (simulations/limits.py).
        "simulations_anonymous": env_str("SIMULATIONS_ANON_THROTTLE_RATE", "12/minute"),
        "simulations_learner": env_str("SIMULATIONS_LEARNER_THROTTLE_RATE", "60/minute"),
    },
    # Throttles count per client address: REMOTE_ADDR, or, behind NUM_PROXIES proxies,
    # the address they appended to X-Forwarded-For (never one the client wrote itself).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}
# Uncached simulation runs and drawings (docs/adr/0005-simulation-queue.md). With a
# broker they run in Celery workers, off the request workers, from the queue named
# SIMULATION_QUEUE; results come back through the shared cache, so a broker needs
# REDIS_URL. Without one (make run, the SQLite tests) they run in the request, at most
# SIMULATION_LOCAL_SLOTS at a time per process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
if CELERY_BROKER_URL and not REDIS_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL needs REDIS_URL: workers hand results "
                               "back through the shared cache.")
SIMULATION_QUEUE = env_str("SIMULATION_QUEUE", "simulations")
# Jobs waiting in the queue beyond which a new one is refused with 503 and Retry-After.
SIMULATION_QUEUE_LIMIT = env_int("SIMULATION_QUEUE_LIMIT", 32)
# How long a request waits for its result before answering 202 (the API) or a page that
# reloads itself (the lab), and how long a job may take before it counts as lost.
SIMULATION_WAIT_SECONDS = env_float("SIMULATION_WAIT_SECONDS", 2.0)
SIMULATION_JOB_TIMEOUT = env_int("SIMULATION_JOB_TIMEOUT", 60)
# Requests of one process that may wait at the same time (each holds a thread); the
# others answer 202 at once.
SIMULATION_WAITERS = env_int("SIMULATION_WAITERS", 1)
SIMULATION_LOCAL_SLOTS = env_int("SIMULATION_LOCAL_SLOTS", 2)
# Anonymous requests may run this share of each simulation's cost bound; learners all of it.
SIMULATIONS_ANON_COST_SHARE = env_float("SIMULATIONS_ANON_COST_SHARE", 0.25)
CELERY_TASK_ROUTES = {"simulations.compute": {"queue": SIMULATION_QUEUE}}
CELERY_TASK_IGNORE_RESULT = True  # results are in the cache, under their content key
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a busy worker leaves queued jobs to idle ones
CELERY_TASK_TIME_LIMIT = SIMULATION_JOB_TIMEOUT
# A broker that does not answer fails the request quickly (a 503), never holds it.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_POOL_LIMIT = 4
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if CELERY_BROKER_URL and CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "api.problems.ProblemExceptionHandler",
    "EXCEPTION_FORMATTER_CLASS": "api.problems.ProblemFormatter",
    "ERROR_SCHEMAS": {
        code: "api.schema.ProblemSerializer"
        for code in ("400", "401", "403", "404", "405", "406", "415", "429", "500")
    },
}
REST_KNOX = {"TOKEN_TTL": timedelta(days=30)}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gradiente API",
    "DESCRIPTION": (
        "Courses, lessons, exercises and live simulations for the Gradiente apps. "
        "A walkthrough with real requests is in docs/api.md.\n\n"
        "**Authentication**: register or log in to get a token, then send "
        "`Authorization: Token <token>`. Tokens last 30 days; logout revokes one at once.\n\n"
        "**Language**: `?lang=en` or `Accept-Language`; Portuguese (`pt-br`) is the "
        "fallback. `Content-Language` names the language of every response.\n\n"
        "**Errors**: every error is an RFC 9457 problem (`application/problem+json`, "
        "schema `Problem`) with a translated `title` and `detail`, and `errors` per field "
        "for invalid input.\n\n"
        "**Lists** are paginated (`?page=`, `?page_size=` up to 100) in a stable order. "
        "**Details** carry an `ETag`: send it back in `If-None-Match` to get 304. "
        "**Throttling**: logins and registrations are limited per client address, answers "
        "per learner; a 429 says when to retry (`Retry-After`).\n\n"
        "**Retries**: send an `Idempotency-Key` with every answer; a retry with the same key "
        "and body is answered with the first response and recorded once."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components, so write-only fields (a password) appear
    # only in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    "TAGS": [
        {"name": "auth", "description": "Accounts and tokens for the app."},
        {"name": "courses", "description": "The catalogue and each course's contents."},
        {"name": "lessons", "description": "A lesson's text, figures, questions and "
                                           "neighbours, and its offline package."},
        {"name": "questions", "description": "A lesson's questions as the learner sees them: "
                                             "never with an answer before it is due."},
        {"name": "attempts", "description": "Answering questions (with Idempotency-Key) and "
                                            "the learner's own attempts."},
        {"name": "progress", "description": "The learner's progress and certificates."},
    ],
    # Swagger UI and Redoc from the project's own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge fetched from validator.swagger.io (config/urls.py drops Redoc's web fonts).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Two fields named like the certificate's status take different values: a course's
    # progress can also say "not_issued". One enum each, so neither schema lies.
    "ENUM_NAME_OVERRIDES": {
        "CertificateStatusEnum": "progress.serializers.CERTIFICATE_VALIDITY",
        "ProgressCertificateStatusEnum": "progress.serializers.CERTIFICATE_STATUSES",
    },
}

# Prometheus scrapes /metrics with this bearer token; unset, /metrics is a 404
# (ops/metrics_endpoint.py, docs/deploy.md "Metrics").
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# E-mail (password reset): printed to the console unless EMAIL_HOST names an SMTP server.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Gradiente <no-reply@localhost>")
# Reset e-mails one client address may ask for per window (accounts/password_reset.py).
PASSWORD_RESETS_PER_ADDRESS = env_int("PASSWORD_RESETS_PER_ADDRESS", 5)
PASSWORD_RESET_WINDOW_SECONDS = 3600

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "course:course_list"
LOGOUT_REDIRECT_URL = "course:course_list"

# Security: strict unless DEBUG; behind a TLS-terminating proxy set SECURE_SSL_REDIRECT.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer checks health, and Prometheus scrapes, over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Defence in depth behind the HTML sanitizer: scripts, styles, images and fonts only from
# this site, no inline script or style, no plugins, no framing (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

# One JSON object per line with the request id (ops/request_log.py); LOG_FORMAT=text for
# people reading a terminal (the default with DEBUG).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ops.request_log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {
        "class": "logging.StreamHandler", "filters": ["request_id"],
        "formatter": env_str("LOG_FORMAT", "text" if DEBUG else "json"),
    }},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per request is the access log; runserver's own would repeat it.
    "loggers": {"django.server": {"level": "WARNING"}},
}
