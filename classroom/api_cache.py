"""A lesson as the API serves it, cached: its text per language, its questions per learner.

A lesson detail is what the app reads most, and most of it is the same for everyone:
the text rendered, its figures described (each description reads a plot from the cache),
its neighbours. Its ``questions`` are the learner's own (their variant, their state). So
the body is cached in two parts, in Django's cache (Redis when ``REDIS_URL`` is set, so
every app process shares it), each as the JSON that DRF's renderer writes:

- the lesson's text: everything but ``questions``, per lesson, language and origin,
  rendered in two halves (before and after where the questions go);
- its questions as one learner sees them, per lesson, language, origin and learner.

Entries are never invalidated in place: each carries the *generations* it was built
under, random tokens renewed when what the entry depends on changes, and is rebuilt
when they are no longer current. The content generation is renewed on every save or
delete of a course, chapter, lesson, question or choice; a learner's generation on every
save or delete of their attempts and variants (signals connected in ``classroom.apps``,
the only job of signals here). Renewal happens at once and again when
the transaction commits, so a request that read the database before the commit cannot
leave its stale copy under the new generation; an answer, whose transaction commits
within the view, renews the learner's once, after the commit
(:func:`learner_renewed_after`). Unread entries expire. (Without
``REDIS_URL`` the cache is each process's own: run one app process then, as settings
say, or another process would keep serving what it cached before a change.)

A warm lesson detail is one round trip to the cache (the generations and both parts at
once) and no SQL; its ETag (a hash of both parts, so it changes with the learner's state
too) was computed when the parts were cached. :func:`cached_content` keeps other values
derived from the course content the same way (the question an answer is for, see
``classroom.api_views``).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.http import Http404, HttpRequest
from django.utils.cache import quote_etag
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from course.models import Lesson
from ops.metrics import CacheName, count_cache_lookup
from quizzes.learner_questions import lesson_questions
from quizzes.serializers import QuestionSerializer
from simulations.engine.core import ENGINE_VERSION

from .serializers import LessonDetailSerializer

# Bump when what the API serves changes shape (a deploy must not serve old-shaped bodies).
BODY_VERSION = 2
ENTRY_SECONDS = 3600
# A generation that expires is simply started again (every entry is then rebuilt once).
GENERATION_SECONDS = 30 * 24 * 3600
CONTENT_GENERATION_KEY = "api:content-generation"
# cached_content's values kept in this process: entry key -> (content generation, value).
_in_process: dict[str, tuple[str, Any]] = {}
IN_PROCESS_ENTRIES = 4096
# The learners' generation keys to renew when a learner_renewed_after() block ends.
_renew_after: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "learner generations renewed after a block", default=None)


def _learner_generation_key(user_id: int) -> str:
    return f"api:learner-generation:{user_id}"


def _renew(key: str, timeout: int) -> None:
    cache.set(key, uuid.uuid4().hex, timeout)


def renew_content_generation(**_signal: Any) -> None:
    """Forget every cached lesson body (a signal receiver: course content changed)."""
    _renew(CONTENT_GENERATION_KEY, GENERATION_SECONDS)
    transaction.on_commit(lambda: _renew(CONTENT_GENERATION_KEY, GENERATION_SECONDS))


def renew_learner_generation(*, instance: Any, **_signal: Any) -> None:
    """Forget the questions cached for the learner who owns ``instance`` (an attempt...)."""
    key = _learner_generation_key(instance.user_id)
    if (after := _renew_after.get()) is not None:
        after.add(key)
        return
    _renew_now_and_at_commit(key)


def _renew_now_and_at_commit(key: str) -> None:
    _renew(key, GENERATION_SECONDS)
    transaction.on_commit(lambda: _renew(key, GENERATION_SECONDS))


@contextlib.contextmanager
def learner_renewed_after() -> Iterator[None]:
    """Renew the generations of the learners whose attempts the block writes once, when it
    ends, instead of at once and again at the commit: one round trip to the cache less.

    For a block that commits its own transaction (an answer's): it ends after the commit,
    so that one renewal does what the two do, provided nothing in the block reads the
    learners' cached questions after writing (the answer's does not). If the block ends
    inside a transaction that goes on (a caller's, a test's), it is no commit: the
    renewals are then made at once and at the commit, as everywhere else.
    """
    keys: set[str] = set()
    token = _renew_after.set(keys)
    try:
        yield
    finally:
        _renew_after.reset(token)
        for key in keys:
            if connection.in_atomic_block:
                _renew_now_and_at_commit(key)
            else:
                _renew(key, GENERATION_SECONDS)


@dataclasses.dataclass(frozen=True)
class ServedLesson:
    etag: str
    rendered: tuple[bytes, bytes, bytes]  # the JSON body: before, questions, after

    @property
    def json(self) -> bytes:
        """Return the lesson detail as DRF's JSON renderer writes it."""
        return b"".join(self.rendered)

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.json)

    @property
    def questions(self) -> list[dict[str, Any]]:
        return json.loads(self.rendered[1])


def served_lesson(request: HttpRequest, *, course_slug: str, lesson_slug: str) -> ServedLesson:
    """Return a published lesson's detail for this request's learner and language.

    Raise Http404 if there is no such lesson.
    """
    user = request.user
    learner = user.pk if user.is_authenticated else None
    names = (BODY_VERSION, ENGINE_VERSION, request.build_absolute_uri("/"), get_language(),
             course_slug, lesson_slug)
    text_key, questions_key = _entry_key("lesson", *names), _entry_key("questions", *names,
                                                                      learner)
    learner_key = _learner_generation_key(learner) if learner else None
    found = cache.get_many([key for key in (CONTENT_GENERATION_KEY, learner_key, text_key,
                                            questions_key) if key])
    content = found.get(CONTENT_GENERATION_KEY) or _start(CONTENT_GENERATION_KEY,
                                                           GENERATION_SECONDS)
    learner_generation = "" if learner_key is None else (
        found.get(learner_key) or _start(learner_key, GENERATION_SECONDS))
    text, questions = found.get(text_key), found.get(questions_key)
    lesson = None
    text_current = text is not None and text["generations"] == [content]
    count_cache_lookup(CacheName.LESSON_TEXT, hit=text_current)
    if not text_current:
        lesson = _published_lesson(course_slug, lesson_slug)
        text = _text_entry(_lesson_text(request, lesson), [content])
        cache.set(text_key, text, ENTRY_SECONDS)
    questions_current = (questions is not None
                         and questions["generations"] == [content, learner_generation])
    count_cache_lookup(CacheName.LESSON_QUESTIONS, hit=questions_current)
    if not questions_current:
        lesson = lesson or _published_lesson(course_slug, lesson_slug)
        questions = _entry(_lesson_questions(request, lesson), [content, learner_generation])
        cache.set(questions_key, questions, ENTRY_SECONDS)
    etag = hashlib.sha256(
        f"{get_language()}\n{text['digest']}\n{questions['digest']}".encode()).hexdigest()
    return ServedLesson(quote_etag(etag[:32]), (text["head"], questions["json"], text["tail"]))


def cached_content(kind: str, *parts: Any, build: Callable[[], Any]) -> Any:
    """Return ``build()``, cached until the course content changes (None is not cached).

    For what is read on every request and changes only when an instructor edits the
    course; ``parts`` name the entry (say, a question's id and the language). The value
    is also kept in this process, checked against the shared content generation: then
    it costs one small read of the cache instead of unpickling the entry. The process's
    threads share that value: callers must not change it.
    """
    key = _entry_key(kind, BODY_VERSION, ENGINE_VERSION, *parts)
    kept = _in_process.get(key)
    if kept is not None:
        content = cache.get(CONTENT_GENERATION_KEY)
        if content == kept[0]:
            count_cache_lookup(CacheName.CONTENT, hit=True)
            return kept[1]
    found = cache.get_many([CONTENT_GENERATION_KEY, key])
    content = found.get(CONTENT_GENERATION_KEY) or _start(CONTENT_GENERATION_KEY,
                                                           GENERATION_SECONDS)
    entry = found.get(key)
    current = entry is not None and entry["generations"] == [content]
    count_cache_lookup(CacheName.CONTENT, hit=current)
    if current:
        value = entry["value"]
    else:
        value = build()
        if value is None:
            return None
        cache.set(key, {"value": value, "generations": [content]}, ENTRY_SECONDS)
    if len(_in_process) >= IN_PROCESS_ENTRIES:
        _in_process.clear()
    _in_process[key] = (content, value)
    return value


def _start(key: str, timeout: int) -> str:
    """Start a generation (first use, or evicted); another process may win the race."""
    cache.add(key, uuid.uuid4().hex, timeout)
    return cache.get(key)


def _entry_key(kind: str, *parts: Any) -> str:
    digest = hashlib.sha256("\x00".join(str(part) for part in parts).encode()).hexdigest()
    return f"api:{kind}:{digest[:40]}"


def _entry(data: Any, generations: list[str]) -> dict[str, Any]:
    """Return the data rendered as DRF renders it, with a digest of its content."""
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return {"json": JSONRenderer().render(data), "generations": generations,
            "digest": hashlib.sha256(canonical.encode()).hexdigest()}


def _text_entry(text: dict[str, Any], generations: list[str]) -> dict[str, Any]:
    """Return the lesson's text entry, rendered in two halves around its questions."""
    entry = _entry(text, generations)
    marker = f"\x00questions-{uuid.uuid4().hex}\x00"
    data: dict[str, Any] = {}
    for name, value in json.loads(entry.pop("json")).items():
        data[name] = value
        if name == "figures":
            data["questions"] = marker
    rendered = JSONRenderer().render(data)
    entry["head"], entry["tail"] = rendered.split(JSONRenderer().render(marker))
    return entry


def _published_lesson(course_slug: str, lesson_slug: str) -> Lesson:
    lesson = Lesson.objects.select_related("chapter", "course").filter(
        course__slug=course_slug, course__is_published=True, slug=lesson_slug).first()
    if lesson is None:
        raise Http404
    return lesson


def _lesson_text(request: HttpRequest, lesson: Lesson) -> dict[str, Any]:
    serializer = LessonDetailSerializer(lesson, context={"request": request})
    del serializer.fields["questions"]  # the learner's part, cached on its own
    return serializer.data


def _lesson_questions(request: HttpRequest, lesson: Lesson) -> list[dict[str, Any]]:
    questions = lesson_questions(lesson=lesson, user=request.user, language=get_language())
    return QuestionSerializer(questions, many=True, context={"request": request}).data
