"""gunicorn's settings for Gradiente (read by itself from the working directory, so plain
``gunicorn config.wsgi`` in the project's folder uses them; ``-c`` names another file).

Only what the metrics need (docs/deploy.md, "Metrics"): each worker is a process with
its own counters, so they are written to files in one folder, which a scrape of any
worker adds up (prometheus_client's multiprocess mode). That folder is
``PROMETHEUS_MULTIPROC_DIR`` when the environment sets it, else a new temporary one made
here; either way it is emptied when gunicorn starts (counts of an earlier run must not be
added to this one's) and it must belong to this gunicorn alone. Workers, the application
included, are started after this file runs, so they inherit the variable before they
import prometheus_client, as its multiprocess mode requires.

Everything else (bind, workers, threads) stays on the command line.
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile

# Remembered in the environment: gunicorn reads this file again on SIGHUP.
_MADE_HERE = "GRADIENTE_TEMPORARY_METRICS_DIR"
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ[_MADE_HERE] = tempfile.mkdtemp(
        prefix="gradiente-metrics-")


def on_starting(server):
    """Forget the metrics files of an earlier run in the same folder."""
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        os.remove(path)


def child_exit(server, worker):
    """Let a dead worker's live gauges go (its counters stay: the totals must not drop)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the folder if it was made here."""
    if os.environ.get(_MADE_HERE):
        shutil.rmtree(os.environ[_MADE_HERE], ignore_errors=True)
