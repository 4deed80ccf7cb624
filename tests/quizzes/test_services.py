"""record_attempt and variants: snapshots, tries, repeated answers, engine versions."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from progress.models import LessonProgress
from quizzes import learner_variants
from quizzes.learner_variants import learner_variant
from quizzes.models import Attempt, Question, Variant
from quizzes.services import record_attempt
from simulations import registry

pytestmark = pytest.mark.django_db

SIMULATED = {
    "simulation": "mlp_gradient_flow",
    "fixed_params": {"activation": "sigmoid", "init_std": 0.05, "width": 64},
    "varied_params": {"depth": {"min": 4, "max": 10}},
    "quantity": "hidden_grad_ratio_first_to_last",
    "log_scale": True, "rtol": 0.0, "atol": 0.5,
    "prompt_pt_br": "Com {depth} camadas, qual a razão?",
    "prompt_en": "With {depth} layers, what is the ratio?",
}


def answer(question, user, value, language="pt-br", **options):
    return record_attempt(question=question, user=user, answer=value, language=language,
                          **options)


def test_logged_in_attempt_is_stored_with_a_snapshot(single_question, learner, choice_ids):
    wrong, right = choice_ids(single_question)[:2]
    result = answer(single_question, learner, wrong)
    attempt = result.attempt
    assert attempt.user == learner and attempt.answer == [wrong] and not attempt.is_correct
    assert attempt.counts_as_try and attempt.language == "pt-br"
    snapshot = attempt.snapshot["question"]
    assert snapshot["prompt"] == "Pergunta?" and snapshot["choices"][1]["is_correct"]
    assert attempt.snapshot["outcome"]["feedback"] == "Você errou! Tente novamente."
    assert result.tries_used == 1 and result.tries_left is None


def test_editing_a_question_does_not_rewrite_history(single_question, learner, choice_ids):
    first = choice_ids(single_question)[0]
    attempt = answer(single_question, learner, first).attempt
    single_question.prompt_pt_br = "Outra pergunta?"
    single_question.save()
    single_question.choices.filter(pk=first).update(text_pt_br="Mudou", is_correct=True)
    attempt.refresh_from_db()
    assert attempt.snapshot["question"]["prompt"] == "Pergunta?"
    assert attempt.snapshot["question"]["choices"][0]["text"] == "Errada"
    assert not attempt.is_correct


def test_the_same_wrong_answer_again_is_not_another_try(single_question, learner, choice_ids):
    wrong = choice_ids(single_question)[0]
    answer(single_question, learner, wrong)
    again = answer(single_question, learner, str(wrong))
    assert again.repeated and again.tries_used == 1
    assert not again.outcome.correct and again.attempt.counts_as_try is False
    other = answer(single_question, learner, choice_ids(single_question)[2])
    assert not other.repeated and other.tries_used == 2


def test_the_same_number_written_differently_is_the_same_answer(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, answer=0.05, rtol=0.0)
    answer(question, learner, "0,04")
    assert answer(question, learner, "4e-2").repeated
    assert answer(question, learner, "0.040").tries_used == 1


def test_a_format_error_is_neither_stored_nor_counted(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, answer=0.05)
    result = answer(question, learner, "zero vírgula cinco")
    assert result.outcome.format_error == "not_a_number" and result.attempt is None
    assert result.tries_used == 0 and not Attempt.objects.exists()


def test_max_tries_locks_the_question_and_shows_the_solution_when_due(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, answer=0.05, rtol=0.0, max_tries=2,
                             solution_policy="after_tries", solution_after_tries=2)
    first = answer(question, learner, "1")
    assert first.tries_left == 1 and first.outcome.solution == ""
    second = answer(question, learner, "2")
    assert second.tries_left == 0 and second.outcome.solution == "0,05"
    locked = answer(question, learner, "0.05")
    assert not locked.outcome.correct and locked.attempt is None and locked.tries_left == 0
    assert locked.outcome.feedback == "Você não tem mais tentativas para este exercício."
    assert Attempt.objects.count() == 2


def test_answers_after_a_correct_one_are_practice(single_question, learner, choice_ids):
    wrong, right = choice_ids(single_question)[:2]
    answer(single_question, learner, right)
    later = answer(single_question, learner, wrong)
    assert later.solved and not later.attempt.counts_as_try and later.tries_used == 1


def test_explanation_after_n_wrong_tries(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, answer=1.0, rtol=0.0,
                             explanation_after_tries=2)
    assert answer(question, learner, "2").outcome.explanation == ""
    assert answer(question, learner, "2").outcome.explanation == ""  # repeated: still 1
    assert answer(question, learner, "3").outcome.explanation == "Porque sim."


def test_anonymous_learners_get_feedback_and_nothing_is_stored(make_question, single_question,
                                                               choice_ids):
    simulated = make_question(Question.Kind.NUMERIC, **SIMULATED)
    result = answer(single_question, AnonymousUser(), choice_ids(single_question)[1], "en")
    assert result.outcome.correct and result.outcome.feedback.startswith("You got it right!")
    assert result.attempt is None
    value = learner_variant(question=simulated, user=AnonymousUser()).answer.value
    assert answer(simulated, None, value).outcome.correct
    assert not Attempt.objects.exists() and not Variant.objects.exists()


def test_variant_is_stored_per_learner_and_agrees_with_the_engine(make_question, learner,
                                                                   other_learner):
    question = make_question(Question.Kind.NUMERIC, **SIMULATED)
    mine = learner_variant(question=question, user=learner)
    assert learner_variant(question=question, user=learner).answer == mine.answer
    row = Variant.objects.get(question=question, user=learner)
    assert row.params["depth"] == mine.answer.params["depth"] and row.seed == mine.answer.seed
    simulation = registry.get("mlp_gradient_flow")
    result = simulation.run(simulation.validate(row.params), row.seed).to_dict()
    assert row.value == pytest.approx(result["hidden_grad_norms"][0]
                                      / result["hidden_grad_norms"][-1])
    theirs = learner_variant(question=question, user=other_learner)
    assert theirs.answer.seed != mine.answer.seed


def test_simulated_answer_is_graded_against_the_learners_variant(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, **SIMULATED)
    value = learner_variant(question=question, user=learner).answer.value
    result = answer(question, learner, f"{value * 2:.3e}")  # a factor 2: within 0.5 decades
    assert result.outcome.correct
    assert result.attempt.variant.value == value
    assert result.attempt.snapshot["variant"]["value"] == value
    depth = result.attempt.variant.params["depth"]
    assert result.snapshot.prompt == f"Com {depth} camadas, qual a razão?"


def test_a_new_engine_version_recomputes_and_flags_attempts_graded_differently(
        make_question, learner, monkeypatch):
    question = make_question(Question.Kind.NUMERIC, **SIMULATED)
    value = learner_variant(question=question, user=learner).answer.value
    attempt = answer(question, learner, f"{value:.4e}").attempt
    assert attempt.is_correct
    # Pretend the old engine had computed another value, then upgrade the engine.
    Variant.objects.update(value=value * 1e3, engine_version="0.9.0")
    Attempt.objects.update(is_correct=False)
    monkeypatch.setattr(learner_variants, "ENGINE_VERSION", "9.9.9")
    report = learner_variants.refresh_variants()
    assert report == {"checked": 1, "recomputed": 1, "flagged": 1}
    row = Variant.objects.get()
    assert row.engine_version == "9.9.9" and row.value == pytest.approx(value)
    assert row.history[-1]["engine_version"] == "0.9.0"
    assert Attempt.objects.get().needs_review


def test_an_edited_question_gets_new_variants_without_flagging_old_attempts(
        make_question, learner):
    question = make_question(Question.Kind.NUMERIC, **SIMULATED)
    value = learner_variant(question=question, user=learner).answer.value
    answer(question, learner, f"{value:.4e}")
    question.varied_params = {"depth": {"min": 11, "max": 12}}
    question.save()
    variant = learner_variant(question=question, user=learner)
    assert variant.answer.params["depth"] in (11, 12)
    assert len(variant.row.history) == 1 and not Attempt.objects.get().needs_review


def test_an_answer_to_a_variant_that_changed_is_not_graded(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, **SIMULATED)
    shown = learner_variant(question=question, user=learner).token
    question.fixed_params = {**question.fixed_params, "width": 128}
    question.save()
    result = answer(question, learner, "1e-3", shown_token=shown)
    assert result.outcome.format_error == "changed" and result.attempt is None


def test_the_same_idempotency_key_records_one_attempt(single_question, learner, choice_ids):
    wrong = choice_ids(single_question)[0]
    first = answer(single_question, learner, wrong, idempotency_key="abc")
    retry = answer(single_question, learner, wrong, idempotency_key="abc")
    assert retry.attempt.pk == first.attempt.pk and Attempt.objects.count() == 1
    assert retry.outcome.feedback == first.outcome.feedback


def test_snapshot_is_in_the_learners_language(single_question, learner, choice_ids):
    result = answer(single_question, learner, choice_ids(single_question)[1], "en")
    assert result.attempt.snapshot["question"]["prompt"] == "Question?"
    assert result.outcome.feedback == "You got it right! Well done, now go on to the next page"


def test_custom_feedback_in_one_language_leaves_the_others_default(make_question, learner):
    question = make_question(Question.Kind.NUMERIC, answer=1.0, feedback_wrong_pt_br="Quase!")
    assert answer(question, learner, "2").outcome.feedback == "Quase!"
    assert answer(question, learner, "3", "en").outcome.feedback == \
        "That's not right! Try again."


def test_refresh_variants_command_reports_what_it_did(make_question, learner):
    learner_variant(question=make_question(Question.Kind.NUMERIC, **SIMULATED), user=learner)
    out = StringIO()
    call_command("refresh_variants", stdout=out)
    assert "1 variant(s) checked, 0 recomputed, 0 attempt(s) flagged" in out.getvalue()


def test_a_right_answer_completes_the_lesson_for_the_learner(single_question, learner,
                                                             choice_ids):
    wrong, right = choice_ids(single_question)[:2]
    answer(single_question, learner, wrong)
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    answer(single_question, learner, right)
    progress = LessonProgress.objects.get(user=learner, lesson=single_question.lesson)
    assert progress.completed_at is not None
