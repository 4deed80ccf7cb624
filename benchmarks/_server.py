"""The project as a WSGI app with benchmark-only URLs in front of its own URLs.

A benchmark script that gunicorn loads as ``script:application`` (with
``--pythonpath benchmarks``) sets ``__getattr__ = project_with_routes(__name__, ...)``:
the script is then its own URLconf, so the extra views never enter the product's URLs,
and importing the script to run it needs no Django set-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# What every benchmark's app server runs with: production settings (DEBUG off), on
# loopback, quiet logs. Scripts add their own (thread counts, lifted throttles).
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
# The load of a benchmark is a few clients far past any per-learner limit: lift them.
UNTHROTTLED = {
    "API_AUTH_THROTTLE_RATE": "100000000/minute",
    "API_ATTEMPTS_THROTTLE_RATE": "100000000/minute",
}


def project_with_routes(module_name: str, routes: dict[str, Callable[[], Any]]):
    """Return a module ``__getattr__`` serving ``routes`` (route: what makes its view)
    first, then the project's URLs."""

    def __getattr__(name: str) -> Any:
        if name == "urlpatterns" or name.startswith("handler"):
            from django.urls import path

            from config import urls

            if name != "urlpatterns":
                return getattr(urls, name)
            return [*(path(route, make()) for route, make in routes.items()),
                    *urls.urlpatterns]
        if name == "application":
            import django
            from django.conf import settings

            django.setup()
            settings.ROOT_URLCONF = module_name  # the calling module's urlpatterns
            from django.core.wsgi import get_wsgi_application

            return get_wsgi_application()
        raise AttributeError(name)

    return __getattr__
