"""``manage.py import_course [PATH]``: load the course files into the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from course.content_files import ContentError, read_courses
from course.importer import import_courses


class Command(BaseCommand):
    help = "Import courses from content/ (idempotent; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(Path(settings.BASE_DIR) / "content"),
            help="A content folder, or one course folder (default: content/).",
        )

    # Messages about content files are for whoever maintains them: one language, English.
    @translation.override("en")
    def handle(self, *args, path: str, **options):
        try:
            courses = read_courses(Path(path))
            report = import_courses(courses)
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {len(courses)} course(s): {report}."
        ))
