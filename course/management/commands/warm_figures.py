"""``manage.py warm_figures``: draw every published lesson's figures into the cache.

The first reader of a lesson after a deploy (or a change to the engine, whose version is
in every cache key) would otherwise wait while its figures are simulated and drawn, 0.1
to 0.5 s each. Run it after ``import_course`` and after each deploy; figures already in
the cache cost a read. It needs the shared cache (``REDIS_URL``): a process-local one
would be gone when the command ends.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from course.lesson_figures import figure_image
from course.models import Lesson
from simulations.plots import LAYOUTS


class Command(BaseCommand):
    help = "Draw every published lesson's figures, in every language, into the cache."

    def add_arguments(self, parser):
        parser.add_argument("--formats", nargs="+", default=["png"], choices=["png", "svg"],
                            help="Image formats to draw (the lesson pages use png).")

    def handle(self, *args, formats, **options):
        if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
            # This process's own memory: the app's processes would never see the figures.
            self.stdout.write("Nothing to do: the cache is each process's own (set "
                              "REDIS_URL to share one).")
            return
        started, drawn, invalid = time.perf_counter(), 0, 0
        for lesson in Lesson.objects.filter(course__is_published=True).only("figures"):
            for spec in lesson.figures:
                for language, _name in settings.LANGUAGES:
                    for fmt in formats:
                        # The pages show the wide image, phones the narrow one.
                        for layout in LAYOUTS:
                            if figure_image(spec, language, fmt, layout) is None:
                                invalid += 1
                            else:
                                drawn += 1
        self.stdout.write(f"{drawn} figure images in the cache "
                          f"({time.perf_counter() - started:.1f} s)"
                          + (f"; {invalid} invalid, see the log" if invalid else "") + ".")
