"""Questions in content/: the course's own, idempotent import, and clear errors for bad files."""

import math
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from course.content_files import ContentError, read_courses
from course.importer import import_courses
from quizzes import variants
from quizzes.expressions import evaluate
from quizzes.learner_variants import simulation_spec
from quizzes.models import Choice, Question
from simulations import registry

SEED_KEY = "estrategia-nao-mencionada"
ROOT = Path(__file__).resolve().parents[2] / "content"
LESSON_88 = "redes-neurais/18-backpropagation/08-problemas-de-vanishing-e-exploding-gradient"
LESSON_89 = "redes-neurais/18-backpropagation/09-inicializacao-de-pesos"


def test_the_course_brings_its_exercises_in_both_languages(imported_course):
    lesson_88 = Question.objects.filter(lesson__slug="problemas-de-vanishing-e-exploding-gradient")
    lesson_89 = Question.objects.filter(lesson__slug="inicializacao-de-pesos")
    assert lesson_88.filter(simulation="").count() >= 1
    assert lesson_88.exclude(simulation="").count() >= 2
    assert lesson_89.count() >= 3
    for question in Question.objects.all():
        assert question.prompt_pt_br and question.prompt_en
        assert question.explanation_pt_br and question.explanation_en
        for choice in question.choices.all():
            assert choice.text_pt_br and choice.text_en


def test_the_seed_exercise_has_one_answer_the_text_does_not_mention(imported_course):
    question = Question.objects.get(key=SEED_KEY)
    assert question.prompt_pt_br.startswith("Qual das seguintes estratégias **NÃO** é")
    correct = question.choices.filter(is_correct=True)
    assert correct.count() == 1 and "dropout" in correct.get().text_pt_br
    body = question.lesson.body_pt_br.lower()
    assert "dropout" not in body
    for distractor in ("glorot", "relu", "clipping", "batch normalization", "lstm"):
        assert distractor in body
    assert all(c.feedback_pt_br and c.feedback_en for c in question.choices.filter(
        is_correct=False))


def test_importing_twice_changes_nothing(imported_course):
    before = list(Question.objects.values_list("pk", "key", "prompt_pt_br"))
    choices = Choice.objects.count()
    report = import_courses(read_courses(ROOT))
    assert report.created == 0 and report.updated == 0
    assert list(Question.objects.values_list("pk", "key", "prompt_pt_br")) == before
    assert Choice.objects.count() == choices


@pytest.mark.parametrize("key", ["razao-do-gradiente-sigmoid", "configuracoes-estaveis",
                                 "relu-com-glorot"])
def test_simulated_content_questions_work_for_many_learners(imported_course, key):
    question = Question.objects.get(key=key)
    spec = simulation_spec(question)
    simulation = registry.get(spec.simulation)
    for learner in range(12):
        seed = variants.variant_seed(question.stable_key, f"user:{learner}")
        answer = variants.compute_variant(spec, seed).answer
        if question.kind == Question.Kind.NUMERIC:
            assert answer.value is not None and math.isfinite(answer.value) and answer.value > 0
            result = simulation.run(simulation.validate(answer.params), seed).to_dict()
            formula = simulation.quantities[question.quantity]
            assert answer.value == pytest.approx(evaluate(formula, result))
        else:
            assert answer.correct_choices


def test_the_sigmoid_question_can_be_answered_from_the_texts_reasoning(imported_course):
    """The explanation's estimate (0.25 * 0.05 * sqrt(width))^(depth - 1) is within tolerance."""
    question = Question.objects.get(key="razao-do-gradiente-sigmoid")
    spec = simulation_spec(question)
    for learner in range(20):
        answer = variants.compute_variant(
            spec, variants.variant_seed(question.stable_key, str(learner))).answer
        depth, width = answer.params["depth"], answer.params["width"]
        estimate = (0.25 * 0.05 * math.sqrt(width)) ** (depth - 1)
        assert abs(math.log10(estimate) - math.log10(answer.value)) <= question.atol


def copy_course(tmp_path) -> Path:
    target = tmp_path / "redes-neurais"
    shutil.copytree(ROOT / "redes-neurais", target)
    return target


def write_questions(course: Path, lesson: str, questions) -> Path:
    path = course.parent / lesson / "questions.yaml"
    path.write_text(yaml.safe_dump({"questions": questions}, allow_unicode=True),
                    encoding="utf-8")
    return path


BASE = {"key": "q", "type": "single", "prompt": {"pt-br": "P?", "en": "Q?"},
        "explanation": {"pt-br": "E.", "en": "E."},
        "choices": [{"text": {"pt-br": "a"}, "correct": True}, {"text": {"pt-br": "b"}}]}


@pytest.mark.parametrize(("change", "message"), [
    ({"colour": "red"}, "unknown key(s): colour"),
    ({"type": "essay"}, "'type' must be one of single, multiple, numeric"),
    ({"key": "Bad Key"}, "'key' must be lowercase letters"),
    ({"prompt": {"en": "Only English"}}, "'prompt' needs a 'pt-br' text"),
    ({"choices": [{"text": {"pt-br": "a"}, "correct": True},
                  {"text": {"pt-br": "b"}, "correct": True}]},
     "needs exactly one correct choice (it has 2)"),
    ({"type": "numeric", "choices": [], "simulation": "nope", "quantity": "loss"},
     "Unknown simulation “nope”"),
    ({"type": "numeric", "choices": [], "answer": "five"}, "'answer' must be a number"),
    ({"max_tries": 0}, "'max_tries' must be a whole number of at least 1"),
])
def test_a_bad_question_file_names_the_file_and_the_problem(db, tmp_path, change, message):
    course = copy_course(tmp_path)
    path = write_questions(course, LESSON_89, [{**BASE, **change}])
    with translation.override("en"), pytest.raises(ContentError) as error:
        import_courses(read_courses(course))
    assert error.value.path == path and message in error.value.problem
    assert not Question.objects.exists()  # all or nothing


def test_invalid_yaml_is_reported_with_the_file(db, tmp_path):
    course = copy_course(tmp_path)
    path = course.parent / LESSON_89 / "questions.yaml"
    path.write_text("questions: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="questions.yaml: invalid YAML"):
        call_command("import_course", str(course), verbosity=0)


def test_duplicate_keys_are_refused(db, tmp_path):
    course = copy_course(tmp_path)
    write_questions(course, LESSON_89, [BASE, BASE])
    with pytest.raises(ContentError, match="two questions share the key 'q'"):
        import_courses(read_courses(course))


def test_questions_in_lesson_yaml_work_but_not_in_both_places(db, tmp_path):
    course = copy_course(tmp_path)
    lesson_yaml = course.parent / LESSON_89 / "lesson.yaml"
    (course.parent / LESSON_89 / "questions.yaml").unlink()
    data = yaml.safe_load(lesson_yaml.read_text(encoding="utf-8"))
    lesson_yaml.write_text(yaml.safe_dump({**data, "questions": [BASE]}, allow_unicode=True),
                           encoding="utf-8")
    import_courses(read_courses(course))
    assert Question.objects.filter(lesson__slug="inicializacao-de-pesos").get().key == "q"
    write_questions(course, LESSON_89, [BASE])
    with pytest.raises(ContentError, match="also listed in lesson.yaml"):
        import_courses(read_courses(course))


def test_a_changed_file_updates_the_question_and_drops_removed_choices(db, tmp_path):
    course = copy_course(tmp_path)
    three = {**BASE, "choices": [*BASE["choices"], {"text": {"pt-br": "c"}}]}
    write_questions(course, LESSON_89, [three])
    import_courses(read_courses(course))
    question = Question.objects.get(key="q")
    write_questions(course, LESSON_89, [{**BASE, "prompt": {"pt-br": "Nova?", "en": "New?"}}])
    report = import_courses(read_courses(course))
    question.refresh_from_db()
    assert question.prompt_pt_br == "Nova?" and question.choices.count() == 2
    assert report.updated >= 1 and Question.objects.filter(key="q").get().pk == question.pk
