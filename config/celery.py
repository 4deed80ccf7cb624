"""The Celery app of the simulation workers: ``celery -A config worker -Q simulations``.

Its settings are Django's ``CELERY_*`` ones (config/settings.py); tasks are found in each
app's ``tasks.py``. Imported by config/__init__.py, so that the request workers send
tasks with this app's broker too.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("gradiente")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
