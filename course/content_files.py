"""Read a course from its files under content/ and check it, without touching the database.

Layout (one course per folder; see docs/authoring.md)::

    content/<course-slug>/course.yaml
    content/<course-slug>/<NN-chapter>/chapter.yaml
    content/<course-slug>/<NN-chapter>/<NN-lesson>/lesson.yaml, pt-br.md, en.md

Every problem raises :class:`ContentError` naming the file and what is wrong, before
anything is written, so a bad file never leaves a course half-imported.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import yaml

from .anchors import check_body_anchors, check_same_anchors, lesson_anchors
from .content_errors import ContentError
from .lesson_figures import validate_figure_specs

LANGUAGES = ("pt-br", "en")
DEFAULT_LANGUAGE = "pt-br"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n?(.*)\Z", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class LessonFiles:
    number: int
    slug: str
    page: int
    figures: list[dict[str, Any]]
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str]
    folder: Path
    extra: dict[str, Any]  # other keys of lesson.yaml, for other apps (questions)
    # The ids links can point to, per language: {#id} lines and fig-NAME (course/anchors.py).
    anchors: dict[str, set[str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class ChapterFiles:
    number: int
    slug: str
    title: dict[str, str]
    lessons: list[LessonFiles]
    # The chapter's folder, for other apps' files beside chapter.yaml (exams: exam.yaml).
    folder: Path | None = None


@dataclasses.dataclass(frozen=True)
class CourseFiles:
    slug: str
    order: int
    title: dict[str, str]
    summary: dict[str, str]
    chapters: list[ChapterFiles]


def load_yaml(path: Path) -> dict[str, Any]:
    """Read a content YAML file that must hold a mapping; ContentError names the problem."""
    if not path.is_file():
        raise ContentError(path, "file is missing")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContentError(path, f"invalid YAML: {exc}") from None
    except UnicodeDecodeError:
        raise ContentError(path, "not UTF-8 text") from None
    if not isinstance(data, dict):
        raise ContentError(path, "expected a mapping of keys to values")
    return data


def _require(path: Path, data: dict, key: str, kind: type) -> Any:
    if key not in data:
        raise ContentError(path, f"missing key '{key}'")
    value = data[key]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ContentError(path, f"'{key}' must be a non-negative whole number")
    if kind is not int and not isinstance(value, kind):
        raise ContentError(path, f"'{key}' must be a {kind.__name__}")
    return value


def _slug(path: Path, data: dict) -> str:
    slug = _require(path, data, "slug", str)
    if not _SLUG.match(slug):
        raise ContentError(path, f"slug '{slug}' must be lowercase letters, digits and hyphens")
    return slug


def _translations(path: Path, data: dict, key: str, *, required: bool = True) -> dict[str, str]:
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ContentError(path, f"'{key}' must map languages ({', '.join(LANGUAGES)}) to text")
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        raise ContentError(path, f"'{key}' has unknown language(s): {', '.join(sorted(unknown))}")
    if required and not (isinstance(value.get(DEFAULT_LANGUAGE), str) and value[DEFAULT_LANGUAGE]):
        raise ContentError(path, f"'{key}' needs a '{DEFAULT_LANGUAGE}' text")
    return {lang: str(text).strip() for lang, text in value.items() if text}


def _read_markdown(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, "not UTF-8 text") from None
    match = _FRONT_MATTER.match(text)
    if not match:
        raise ContentError(path, "must start with front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ContentError(path, f"invalid front matter: {exc}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter must be a mapping")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ContentError(path, "front matter needs a 'title'")
    return meta, match.group(2).strip() + "\n"


def _read_lesson(folder: Path) -> LessonFiles:
    meta_path = folder / "lesson.yaml"
    data = load_yaml(meta_path)
    figures = data.get("figures") or []
    title: dict[str, str] = {}
    summary: dict[str, str] = {}
    body: dict[str, str] = {}
    for lang in LANGUAGES:
        path = folder / f"{lang}.md"
        if not path.exists():
            if lang == DEFAULT_LANGUAGE:
                raise ContentError(path, "file is missing (Portuguese is required)")
            continue
        meta, text = _read_markdown(path)
        title[lang] = meta["title"].strip()
        summary[lang] = str(meta.get("summary") or "").strip()
        body[lang] = text
    _check_figures(meta_path, figures, body)
    anchors = _check_anchors(folder, body)
    known = {"number", "slug", "page", "figures"}
    return LessonFiles(
        number=_require(meta_path, data, "number", int),
        slug=_slug(meta_path, data),
        page=_require(meta_path, data, "page", int),
        figures=figures,
        title=title,
        summary=summary,
        body=body,
        folder=folder,
        extra={key: value for key, value in data.items() if key not in known},
        anchors=anchors,
    )


_FIGURE_MARKER = re.compile(r"^\[\[figure:([^\]]*)\]\]\s*$", re.MULTILINE)


def _check_figures(meta_path: Path, figures: list[dict[str, Any]], body: dict[str, str]) -> None:
    """Check each figure's simulation and parameters, and that every marker is declared."""
    validate_figure_specs(figures, meta_path)
    declared = {figure["name"] for figure in figures}
    for lang, text in body.items():
        for name in _FIGURE_MARKER.findall(text):
            if name not in declared:
                raise ContentError(meta_path.parent / f"{lang}.md",
                                   f"[[figure:{name}]] is not declared in lesson.yaml 'figures'")


def _check_anchors(folder: Path, body: dict[str, str]) -> dict[str, set[str]]:
    """Check each language's anchors and links, and that both languages have the same ids."""
    for lang, text in body.items():
        problems = check_body_anchors(text)
        if problems:
            raise ContentError(folder / f"{lang}.md", str(problems[0]))
    anchors = {lang: lesson_anchors(text) for lang, text in body.items()}
    problems = check_same_anchors(anchors)
    if problems:
        lacking = next(lang for lang, ids in anchors.items() if problems[0].anchor not in ids)
        raise ContentError(folder / f"{lacking}.md", str(problems[0]))
    return anchors


def _check_unique(path: Path, items: list, attribute: str, what: str) -> None:
    seen: set = set()
    for item in items:
        value = getattr(item, attribute)
        if value in seen:
            raise ContentError(path, f"two {what} share the {attribute} {value!r}")
        seen.add(value)


def _read_chapter(folder: Path) -> ChapterFiles:
    meta_path = folder / "chapter.yaml"
    data = load_yaml(meta_path)
    lessons = [_read_lesson(sub) for sub in sorted(folder.iterdir()) if sub.is_dir()]
    _check_unique(folder, lessons, "number", "lessons")
    _check_unique(folder, lessons, "slug", "lessons")
    return ChapterFiles(
        number=_require(meta_path, data, "number", int),
        slug=_slug(meta_path, data),
        title=_translations(meta_path, data, "title"),
        lessons=sorted(lessons, key=lambda lesson: lesson.number),
        folder=folder,
    )


def read_course(folder: Path) -> CourseFiles:
    """Read and check one course folder; raise ContentError on the first problem."""
    meta_path = folder / "course.yaml"
    data = load_yaml(meta_path)
    chapters = [_read_chapter(sub) for sub in sorted(folder.iterdir()) if sub.is_dir()]
    _check_unique(folder, chapters, "number", "chapters")
    _check_unique(folder, chapters, "slug", "chapters")
    all_lessons = [lesson for chapter in chapters for lesson in chapter.lessons]
    _check_unique(folder, all_lessons, "slug", "lessons of the course")
    return CourseFiles(
        slug=_slug(meta_path, data),
        order=data.get("order", 0) if isinstance(data.get("order", 0), int) else 0,
        title=_translations(meta_path, data, "title"),
        summary=_translations(meta_path, data, "summary", required=False),
        chapters=sorted(chapters, key=lambda chapter: chapter.number),
    )


def read_courses(root: Path) -> list[CourseFiles]:
    """Read every course folder under ``root`` (a folder with course.yaml is a course)."""
    if (root / "course.yaml").is_file():
        return [read_course(root)]
    if not root.is_dir():
        raise ContentError(root, "content folder not found")
    return [read_course(sub) for sub in sorted(root.iterdir()) if (sub / "course.yaml").is_file()]
