"""Fixtures shared by the whole suite."""

import copy
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from api.throttling import ScopedRateThrottle
from course.models import Chapter, Course, Lesson

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


@pytest.fixture(scope="session", autouse=True)
def own_cache_prefix():
    """Keep this run's cache keys apart from those of other runs sharing the same Redis."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"gradiente-test-{uuid.uuid4().hex}"
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def fresh_throttle_counters(monkeypatch):
    """Give each test its own throttle counters: nothing counted before it (the same
    client address, or the same learner id in another test's rolled-back data)."""
    monkeypatch.setattr(ScopedRateThrottle, "cache_format",
                        f"throttle_{uuid.uuid4().hex}_%(scope)s_%(ident)s")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Hash test passwords with a fast hasher: PBKDF2's cost is for attackers, not tests
    (one login would take a second of this shared machine)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def fresh_login_limits(monkeypatch):
    """Give each test its own failed-login counters (all tests log in from one address)."""
    monkeypatch.setattr("accounts.login_guard.KEY_PREFIX", f"login-{uuid.uuid4().hex}")


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Collect static files once, as a deployment does: pages use the hashed manifest."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


@pytest.fixture
def imported_course(db):
    """The real course from content/, imported as `make run` does."""
    call_command("import_course", str(CONTENT_DIR), verbosity=0)
    return Course.objects.get(slug="redes-neurais")


@pytest.fixture
def make_lesson(db):
    """Build a lesson (and its course and chapter when missing) with both languages."""

    def make(chapter_number=1, number=1, *, course_slug="course", body_pt="Texto.",
             body_en="Text.", page=None, **fields):
        course, _ = Course.objects.get_or_create(
            slug=course_slug, defaults={"title_pt_br": "Curso", "title_en": "Course"}
        )
        chapter, _ = Chapter.objects.get_or_create(
            course=course, number=chapter_number,
            defaults={"slug": f"chapter-{chapter_number}",
                      "title_pt_br": f"Capítulo {chapter_number}",
                      "title_en": f"Chapter {chapter_number}"},
        )
        return Lesson.objects.create(
            chapter=chapter, number=number, slug=f"lesson-{chapter_number}-{number}",
            page=page if page is not None else chapter_number * 10 + number,
            title_pt_br=fields.pop("title_pt_br", f"Lição {chapter_number}.{number}"),
            title_en=fields.pop("title_en", f"Lesson {chapter_number}.{number}"),
            body_pt_br=body_pt, body_en=body_en, **fields,
        )

    return make
