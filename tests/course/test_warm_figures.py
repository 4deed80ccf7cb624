"""``manage.py warm_figures``: after it, no lesson figure is drawn on a reader's request."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from course.lesson_figures import figure_image
from course.models import Lesson
from simulations.plots import LAYOUTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_cache(settings, tmp_path):
    """Redis when the run has it; else a cache in files, which processes share too."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        settings.CACHES = {"default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache")}}


def _refuse_to_draw(*args, **kwargs):
    raise AssertionError("a figure was drawn on request")


def test_every_figure_of_every_lesson_is_in_the_cache_in_every_language(
    imported_course, shared_cache, monkeypatch,
):
    specs = [spec for lesson in Lesson.objects.filter(course=imported_course)
             for spec in lesson.figures]
    assert specs, "the course's lessons declare figures"
    out = StringIO()

    call_command("warm_figures", stdout=out)

    # Each figure in each language, for a page column and for a phone.
    images = len(specs) * len(settings.LANGUAGES) * len(LAYOUTS)
    assert out.getvalue().startswith(f"{images} figure images")
    monkeypatch.setattr("simulations.plots.render", _refuse_to_draw)
    for spec in specs:
        for language, _name in settings.LANGUAGES:
            for layout in LAYOUTS:
                _planned, image = figure_image(spec, language, layout=layout)
                assert image.content_type == "image/png" and image.alt


def test_a_second_run_draws_nothing(imported_course, shared_cache, monkeypatch):
    call_command("warm_figures", stdout=StringIO())
    monkeypatch.setattr("simulations.plots.render", _refuse_to_draw)

    call_command("warm_figures", stdout=StringIO())  # only cache reads


def test_without_a_shared_cache_it_says_so_and_draws_nothing(imported_course, settings,
                                                            monkeypatch):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr("simulations.plots.render", _refuse_to_draw)
    out = StringIO()

    call_command("warm_figures", stdout=out)

    assert "REDIS_URL" in out.getvalue()


def test_it_draws_every_figure_the_course_files_declare_in_every_language(
    imported_course, shared_cache, monkeypatch,
):
    """Read from content/ as the import reads it, so a new lesson's figures are covered."""
    import json
    from pathlib import Path

    from course.content_files import read_courses

    content = Path(__file__).resolve().parents[2] / "content"
    declared = {(json.dumps(spec, sort_keys=True), language, layout)
                for course in read_courses(content) for chapter in course.chapters
                for lesson in chapter.lessons for spec in lesson.figures
                for language, _name in settings.LANGUAGES for layout in LAYOUTS}
    drawn = set()

    def record(spec, language, fmt="png", layout="wide"):
        drawn.add((json.dumps(spec, sort_keys=True), language, layout))
        return figure_image(spec, language, fmt, layout)

    monkeypatch.setattr("course.management.commands.warm_figures.figure_image", record)
    call_command("warm_figures", stdout=StringIO())
    assert declared and drawn == declared
