"""Settings, root URLs and the Celery app (loaded here so that tasks bind to it)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
