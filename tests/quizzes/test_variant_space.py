"""No learner is marked wrong for a right answer: margins, redraws and the variant space.

The case that made these checks: lesson 18.8's `configuracoes-estaveis` marked a
configuration stable when 0.1 <= |dW1|/|dWL| <= 10, and for ReLU + He a few percent of
variants fell below 0.1, so the key marked ReLU + He wrong while the explanation said He
keeps the gradient's scale.
"""

import logging
import math
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from course.content_files import ContentError, read_courses
from course.importer import import_courses
from quizzes import variant_space, variants
from quizzes.content import parse_question, question_draft
from quizzes.learner_variants import learner_variant
from quizzes.margins import clearance, relative_distance
from quizzes.models import Question

from .test_content import LESSON_88, ROOT, copy_course

OLD_BAND = "0.1 <= grad_ratio_first_to_last <= 10"
RELU_HE = 2  # the choice's index in the question file
COURSE_LEARNERS = 1000  # a failure met by 0.5 % of learners escapes with probability 0.7 %


def course_questions(root: Path = ROOT):
    """Yield every question file's questions, with their stable keys (course/lesson/key)."""
    for path in sorted(root.glob("*/*/*/questions.yaml")):
        course, lesson = path.parents[2].name, path.parent.name.split("-", 1)[1]
        for order, data in enumerate(yaml.safe_load(path.read_text("utf-8"))["questions"]):
            yield f"{course}/{lesson}/{data['key']}", data, order


def stable_question(**changes):
    data = next(data for key, data, _order in course_questions()
                if key.endswith("/configuracoes-estaveis"))
    return {**data, **changes}


def draft_of(data, key="redes-neurais/problemas/configuracoes-estaveis"):
    values, choices = parse_question(data, 0)
    return question_draft(key, values, choices)


@pytest.mark.parametrize(("left", "right", "distance"), [
    (0.105, 0.1, math.log10(1.05)), (1e-3, 1e-2, 1.0), (-1.0, 1.0, 2.0), (0.0, 0.0, 0.0)])
def test_distances_are_relative_in_decades_for_positive_values(left, right, distance):
    assert relative_distance(left, right) == pytest.approx(distance)


def test_clearance_is_the_nearest_boundary_of_every_comparison():
    assert clearance("0.1 <= x <= 10", {"x": 0.2}) == pytest.approx(math.log10(2))
    assert clearance("0.1 <= x <= 10", {"x": 8.0}) == pytest.approx(math.log10(10 / 8))
    assert clearance("x > 1 and y < 2", {"x": 100.0, "y": 1.0}) == pytest.approx(math.log10(2))
    assert clearance("x == 'relu'", {"x": "relu"}) == math.inf  # nothing to cross
    assert clearance("x < 1", {"x": None}) == math.inf


def test_a_variant_within_the_margin_is_redrawn_reproducibly(settings):
    spec = draft_of(stable_question(margin=0.0)).spec()
    near = next(  # a learner whose first draw falls near a boundary of the band
        learner for learner in (f"user:{n}" for n in range(200))
        if variants.compute_variant(spec, variants.variant_seed("k", learner)).clearance < 0.5)
    wide = draft_of(stable_question(margin=0.5)).spec()
    served = variants.served_variant(wide, "k", near)
    assert served.clear and served.clearance >= 0.5
    assert served.answer.seed != variants.variant_seed("k", near)
    assert served.answer.seed in variants.candidate_seeds("k", near)
    assert variants.served_variant(wide, "k", near).answer == served.answer


def test_without_a_clear_draw_the_clearest_is_served_and_logged(caplog):
    spec = draft_of(stable_question(margin=50.0)).spec()  # no value is 50 decades away
    with caplog.at_level(logging.WARNING, logger="quizzes.variants"):
        served = variants.served_variant(spec, "k", "user:1")
    drawn = [variants.compute_variant(spec, seed)
             for seed in variants.candidate_seeds("k", "user:1")]
    assert served.clearance == max(computed.clearance for computed in drawn)
    assert "No clear variant of k for user:1" in caplog.text


def test_the_old_band_misgraded_relu_with_he():
    """Reproduce it: with the old band some served variants leave ReLU + He out."""
    old = draft_of(stable_question(choice_predicate=OLD_BAND, same_answer=False)).spec()
    misgraded = [served for served in (
        variants.served_variant(old, "redes-neurais/problemas/configuracoes-estaveis",
                                f"user:{n}") for n in range(300))
        if RELU_HE not in served.answer.correct_choices]
    assert misgraded, "the old band should misgrade some learner"
    new = draft_of(stable_question()).spec()
    for served in misgraded:  # the same networks are stable under the question's band
        fixed = variants.compute_variant(new, served.answer.seed)
        assert RELU_HE in fixed.answer.correct_choices


def test_the_old_band_cannot_be_imported_and_the_error_names_the_variant(db, tmp_path):
    course = copy_course(tmp_path)
    path = course.parent / LESSON_88 / "questions.yaml"
    content = yaml.safe_load(path.read_text("utf-8"))
    for question in content["questions"]:
        if question["key"] == "configuracoes-estaveis":  # the old band, the default margin
            question["choice_predicate"] = OLD_BAND
            del question["margin"]
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    with translation.override("en"), pytest.raises(ContentError) as error:
        import_courses(read_courses(course))
    problem = error.value.problem
    assert "configuracoes-estaveis" in problem
    assert "The correct choices change between variants" in problem
    assert "{'depth': " in problem and "(seed " in problem
    assert not Question.objects.exists()


def test_a_variant_in_the_margin_refuses_the_question():
    data = stable_question(margin=50.0, same_answer=False)
    with translation.override("en"):
        problems = variant_space.check_variant_space(draft_of(data), learners=3)
    assert len(problems) == 1 and problems[0].startswith("No clear variant in 12 draws")
    assert "(seed " in problems[0] and "within the margin 50" in problems[0]


@pytest.mark.parametrize("key", [key.rsplit("/", 1)[1] for key, _d, _o in course_questions()])
def test_every_question_of_the_course_holds_for_every_sampled_learner(key):
    """The key never contradicts the explanation: sampled as widely as learners are served."""
    found, data = next((found, data) for found, data, _order in course_questions()
                       if found.endswith(f"/{key}"))
    draft = draft_of(data, key=found)
    problems = variant_space.check_variant_space(draft, learners=COURSE_LEARNERS,
                                                 budget=math.inf)
    assert problems == []


def test_every_learner_of_the_stable_configurations_question_gets_the_same_key(
        imported_course, django_user_model):
    question = Question.objects.get(key="configuracoes-estaveis")
    assert question.same_answer and question.margin == 0.15
    keys = set()
    for number in range(20):
        user = django_user_model.objects.create_user(f"learner{number}", password="x" * 12)
        variant = learner_variant(question=question, user=user)
        orders = {choice.order for choice in question.choices.all()
                  if choice.id in variant.answer.correct_choices}
        keys.add(frozenset(orders))
    assert keys == {frozenset({1, RELU_HE, 3})}
