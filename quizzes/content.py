"""Import a lesson's questions from its folder under content/ (see docs/authoring.md).

Questions live in ``questions.yaml`` beside ``lesson.yaml`` (or, equivalently, under a
``questions:`` key of lesson.yaml; not both)::

    questions:
      - key: estrategia-nao-mencionada      # stable name within the lesson
        type: single                        # single | multiple | numeric
        prompt: {pt-br: "...", en: "..."}
        explanation: {pt-br: "...", en: "..."}
        choices:
          - text: {pt-br: "...", en: "..."}
            correct: true
            feedback: {pt-br: "...", en: "..."}

Numeric questions give ``answer`` (or a ``simulation`` with ``fixed``, ``vary`` and
``quantity``) and ``rtol``/``atol``/``log10``; every key is listed in :data:`KEYS`.
Called by ``course.importer`` inside the import's transaction, for each lesson: a
question is found by its key and updated only where it differs, so importing twice
changes nothing. A problem raises ContentError naming the file, and the whole import
is rolled back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from course.anchors import check_links
from course.content_files import DEFAULT_LANGUAGE, LANGUAGES, ContentError, LessonFiles
from course.importer import ImportReport, upsert
from course.models import Lesson

from . import grading
from .learner_state import MEASURE, PREDICT
from .margins import DEFAULT_MARGIN
from .models import Choice, Question
from .validation import ChoiceDraft, QuestionDraft, check_choices, check_question

FILE_NAME = "questions.yaml"
KEYS = {
    "key", "type", "published", "prompt", "explanation", "feedback_correct", "feedback_wrong",
    "choices", "partial_credit", "answer", "rtol", "atol", "log10", "simulation", "fixed",
    "vary", "quantity", "choice_predicate", "max_tries", "explanation_after_tries",
    "solution", "solution_after_tries", "margin", "same_answer", "lab",
}
CHOICE_KEYS = {"text", "correct", "feedback", "params", "predicate"}
KINDS = (grading.SINGLE, grading.MULTIPLE, grading.NUMERIC)
POLICIES = (grading.NEVER, grading.AFTER_CORRECT, grading.AFTER_TRIES)
LAB_MODES = (PREDICT, MEASURE)


def read_questions(lesson_files: LessonFiles) -> tuple[Path, list[dict[str, Any]]]:
    """Return the file the questions come from and its list of questions (maybe empty)."""
    path = lesson_files.folder / FILE_NAME
    in_lesson = lesson_files.extra.get("questions")
    if path.is_file():
        if in_lesson is not None:
            raise ContentError(path, "questions are also listed in lesson.yaml; keep one place")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ContentError(path, f"invalid YAML: {exc}") from None
        if not isinstance(data, dict) or set(data) - {"questions"}:
            raise ContentError(path, "expected one key, 'questions', with a list of questions")
        questions = data.get("questions") or []
    else:
        path, questions = lesson_files.folder / "lesson.yaml", in_lesson or []
    if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
        raise ContentError(path, "'questions' must be a list of mappings")
    return path, questions


def _texts(where: str, data: dict, key: str, *, required: bool) -> dict[str, str]:
    value = data.get(key)
    if value is None and not required:
        return {}
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        raise ValueError(f"{where}'{key}' must map languages ({', '.join(LANGUAGES)}) to text")
    if required and not str(value.get(DEFAULT_LANGUAGE) or "").strip():
        raise ValueError(f"{where}'{key}' needs a '{DEFAULT_LANGUAGE}' text")
    return {lang: str(text).strip() for lang, text in value.items() if text}


def _localized(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{lang.replace('-', '_')}": texts.get(lang, "") for lang in LANGUAGES}


def _number(data: dict, key: str, default: Any, where: str, *, whole: bool = False) -> Any:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            whole and (not isinstance(value, int) or value < 1)):
        kind = "a whole number of at least 1" if whole else "a number"
        raise ValueError(f"{where}'{key}' must be {kind}")
    return value


def _mapping(data: dict, key: str, where: str) -> dict:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{where}'{key}' must be a mapping")
    return value


def _parse_choice(data: Any, where: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"{where}must be a mapping")
    unknown = set(data) - CHOICE_KEYS
    if unknown:
        raise ValueError(f"{where}unknown key(s): {', '.join(sorted(unknown))}")
    predicate = data.get("predicate") or ""
    if not isinstance(predicate, str):
        raise ValueError(f"{where}'predicate' must be text")
    return {
        "is_correct": bool(data.get("correct", False)),
        "params": _mapping(data, "params", where),
        "predicate": predicate,
        **_localized("text", _texts(where, data, "text", required=True)),
        **_localized("feedback", _texts(where, data, "feedback", required=False)),
    }


def parse_question(data: dict, order: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return a question's field values and its choices' (ValueError on a problem)."""
    key = data.get("key")
    where = f"question {order + 1}: "
    if not isinstance(key, str) or not key.replace("-", "").isalnum() or key != key.lower():
        raise ValueError(f"{where}'key' must be lowercase letters, digits and hyphens")
    where = f"question '{key}': "
    unknown = set(data) - KEYS
    if unknown:
        raise ValueError(f"{where}unknown key(s): {', '.join(sorted(unknown))}")
    kind = data.get("type", grading.SINGLE)
    if kind not in KINDS:
        raise ValueError(f"{where}'type' must be one of {', '.join(KINDS)}")
    policy = data.get("solution", grading.AFTER_CORRECT)
    if policy not in POLICIES:
        raise ValueError(f"{where}'solution' must be one of {', '.join(POLICIES)}")
    if data.get("lab", PREDICT) not in LAB_MODES:
        raise ValueError(f"{where}'lab' must be one of {', '.join(LAB_MODES)}")
    for text_key in ("simulation", "quantity", "choice_predicate"):
        if not isinstance(data.get(text_key, ""), str):
            raise ValueError(f"{where}'{text_key}' must be text")
    choices = data.get("choices") or []
    if not isinstance(choices, list):
        raise ValueError(f"{where}'choices' must be a list")
    values = {
        "order": order, "kind": kind, "is_published": bool(data.get("published", True)),
        **_localized("prompt", _texts(where, data, "prompt", required=True)),
        **_localized("explanation", _texts(where, data, "explanation", required=True)),
        **_localized("feedback_correct", _texts(where, data, "feedback_correct", required=False)),
        **_localized("feedback_wrong", _texts(where, data, "feedback_wrong", required=False)),
        "partial_credit": bool(data.get("partial_credit", False)),
        "answer": _number(data, "answer", None, where),
        "rtol": _number(data, "rtol", 0.01, where), "atol": _number(data, "atol", 0.0, where),
        "log_scale": bool(data.get("log10", False)),
        "simulation": data.get("simulation", ""),
        "fixed_params": _mapping(data, "fixed", where),
        "varied_params": _mapping(data, "vary", where),
        "quantity": data.get("quantity", ""), "choice_predicate": data.get("choice_predicate", ""),
        "max_tries": _number(data, "max_tries", None, where, whole=True),
        "explanation_after_tries": _number(data, "explanation_after_tries", None, where,
                                           whole=True),
        "solution_policy": policy,
        "solution_after_tries": _number(data, "solution_after_tries", None, where, whole=True),
        "margin": _number(data, "margin", DEFAULT_MARGIN, where),
        "same_answer": bool(data.get("same_answer", False)), "lab_mode": data.get("lab", PREDICT),
    }
    parsed = [_parse_choice(c, f"{where}choice {n + 1}: ") for n, c in enumerate(choices)]
    return values, parsed


def question_draft(key: str, values: dict, choices: list[dict]) -> QuestionDraft:
    """Return what :mod:`.validation` checks of a parsed question (``key``: its stable key)."""
    return QuestionDraft(
        kind=values["kind"], key=key,
        answer=values["answer"], rtol=values["rtol"], atol=values["atol"],
        log_scale=values["log_scale"], simulation=values["simulation"],
        fixed=values["fixed_params"], vary=values["varied_params"],
        quantity=values["quantity"], choice_predicate=values["choice_predicate"],
        solution_policy=values["solution_policy"],
        solution_after_tries=values["solution_after_tries"],
        margin=values["margin"], same_answer=values["same_answer"],
        choices=tuple(ChoiceDraft(str(n + 1), c["is_correct"], c["predicate"], c["params"])
                      for n, c in enumerate(choices)),
    )


def _check_anchor_links(lesson_files: LessonFiles, key: str, values: dict,
                        choices: list[dict]) -> list[str]:
    """Return a problem for each ``](#x)`` link of the question's texts (prompt, explanation,
    feedback, choices) to an anchor its lesson does not have in that language."""
    problems = []
    for lang in LANGUAGES:
        suffix = "_" + lang.replace("-", "_")
        anchors = lesson_files.anchors.get(lang)
        if anchors is None:  # no text in that language: the Portuguese one is shown
            anchors = lesson_files.anchors.get(DEFAULT_LANGUAGE, set())
        for number, fields in enumerate([values, *choices]):
            where = f" of choice {number}" if number else ""
            for name, text in fields.items():
                if name.endswith(suffix) and isinstance(text, str):
                    problems += [f"question '{key}', {name.removesuffix(suffix)}{where} "
                                 f"({lang}): {problem}" for problem in check_links(text, anchors)]
    return problems


def _check(lesson: Lesson, key: str, values: dict, choices: list[dict]) -> list[str]:
    draft = question_draft(f"{lesson.course.slug}/{lesson.slug}/{key}", values, choices)
    problems = [f"{field}: {message}" if field else message
                for field, message in check_question(draft)]
    return problems + check_choices(draft)


def import_lesson_questions(lesson: Lesson, lesson_files: LessonFiles,
                            report: ImportReport) -> None:
    """Create or update the lesson's questions and their choices from its folder."""
    path, questions = read_questions(lesson_files)
    keys = [q.get("key") for q in questions]
    duplicates = sorted({str(key) for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ContentError(path, f"two questions share the key {duplicates[0]!r}")
    for order, data in enumerate(questions):
        try:
            values, choices = parse_question(data, order)
        except ValueError as exc:
            raise ContentError(path, str(exc)) from None
        broken_links = _check_anchor_links(lesson_files, data["key"], values, choices)
        if broken_links:
            raise ContentError(path, broken_links[0])
        problems = _check(lesson, data["key"], values, choices)
        if problems:
            raise ContentError(path, f"question '{data['key']}': {'; '.join(problems)}")
        question, outcome = upsert(Question, {"lesson": lesson, "key": data["key"]}, values)
        report.count(outcome)
        for position, choice_values in enumerate(choices):
            _choice, outcome = upsert(Choice, {"question": question, "order": position},
                                      choice_values)
            report.count(outcome)
        Choice.objects.filter(question=question, order__gte=len(choices)).delete()
