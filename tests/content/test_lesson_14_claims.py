"""Lesson 18.14: every number and comparison the text states, recomputed from the engine."""

import functools

import pytest
import yaml

from quizzes.grading import is_close
from simulations.engine import regularization
from simulations.engine.core import validate

from .conftest import LESSONS, read_lesson

FOLDER = next(LESSONS.glob("14-*"))
FIGURES = {spec["name"]: spec for spec in
           yaml.safe_load((FOLDER / "lesson.yaml").read_text(encoding="utf-8"))["figures"]}


@functools.cache
def run(figure: str, regularizer: str, seed: int = 0, **extra) -> dict:
    raw = {**FIGURES[figure]["params"], "regularizer": regularizer, **extra}
    return regularization.run(validate(regularization.RegularizationParams, raw),
                              seed).to_dict()


def says(pt: str, en: str) -> None:
    assert pt in read_lesson("14", "pt-br")
    assert en in read_lesson("14", "en")


def two_digits(value: float) -> tuple[str, str]:
    text = f"{float(f'{value:.2g}'):g}"
    return text.replace(".", ","), text


def scientific(value: float) -> tuple[str, str]:
    mantissa, exponent = f"{value:.1e}".split("e")
    superscript = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return (f"{mantissa.replace('.', ',')} × 10{superscript}", f"{mantissa} × 10{superscript}")


def test_the_network_has_more_than_four_thousand_parameters_for_thirty_examples():
    params = FIGURES["loss-by-regularizer"]["params"]
    sizes = [params["features"]] + [params["width"]] * params["depth"] + [1]
    count = sum((a + 1) * b for a, b in zip(sizes, sizes[1:], strict=False))
    assert 4000 < count < 5000 and params["train_samples"] == 30
    says("mais de 4 mil parâmetros, e vê só 30 exemplos",
         "more than 4 thousand parameters, and sees only 30 examples")


def test_without_regularization_the_validation_loss_turns_back_up():
    data = run("loss-by-regularizer", "none")
    best_pt, best_en = two_digits(data["best_validation_loss"])
    final_pt, final_en = two_digits(data["final_validation_loss"])
    step = data["best_validation_step"]
    says(f"a perda de validação é mínima no passo {step}, com {best_pt}, e depois sobe até "
         f"{final_pt}",
         f"the validation loss is lowest at step {step}, at {best_en}, and then climbs to "
         f"{final_en}")
    assert data["final_validation_loss"] > 1.5 * data["best_validation_loss"]
    assert data["final_train_loss"] < 0.1 * data["noise_floor"]
    says("termina abaixo de um décimo de $\\sigma^2/2$", "ends below a tenth of $\\sigma^2/2$")


def test_weight_decay_ends_lower_and_shrinks_the_weights():
    plain, decayed = run("loss-by-regularizer", "none"), run("loss-by-regularizer",
                                                               "weight_decay")
    final = two_digits(decayed["final_validation_loss"])
    before, after = two_digits(plain["weight_norm"]), two_digits(decayed["weight_norm"])
    says(f"a perda de validação termina em {final[0]}; a norma de todos os pesos, que sem "
         f"regularização chega a {before[0]}, fica em {after[0]}",
         f"the validation loss ends at {final[1]}; the norm of all the weights, which reaches "
         f"{before[1]} without regularization, stays at {after[1]}")
    assert decayed["final_validation_loss"] < plain["final_validation_loss"]
    assert decayed["final_train_loss"] > 10 * plain["final_train_loss"]


def test_dropout_ends_lower():
    plain, dropped = run("loss-by-regularizer", "none"), run("loss-by-regularizer", "dropout")
    final = two_digits(dropped["final_validation_loss"])
    says(f"com $p = 0{{,}}5$, a perda de validação termina em {final[0]}",
         f"with $p = 0.5$, the validation loss ends at {final[1]}")
    assert dropped["final_validation_loss"] < plain["final_validation_loss"]


@pytest.mark.parametrize("seed", range(1, 5))
@pytest.mark.parametrize("regularizer", ["weight_decay", "dropout"])
def test_other_seeds_agree_that_both_regularizers_help(seed, regularizer):
    plain = run("loss-by-regularizer", "none", seed)
    regularized = run("loss-by-regularizer", regularizer, seed)
    assert regularized["final_validation_loss"] < plain["final_validation_loss"]


def test_dropout_leaves_the_gradient_vanishing_by_more_than_five_decades():
    without = run("dropout-gradient", "none")["initial_grad_ratio_first_to_last"]
    with_dropout = run("dropout-gradient", "dropout")["initial_grad_ratio_first_to_last"]
    (without_pt, without_en), (with_pt, with_en) = scientific(without), scientific(with_dropout)
    says(f"é {without_pt} vezes a da última sem dropout, e {with_pt} vezes com dropout",
         f"is {without_en} times that of the last one without dropout, and {with_en} times "
         "with dropout")
    assert without < with_dropout < 1e-5
    says("continua desaparecendo por mais de cinco ordens de grandeza",
         "still vanishes by more than five orders of magnitude")


def question(key: str) -> dict:
    text = (FOLDER / "questions.yaml").read_text(encoding="utf-8")
    return next(q for q in yaml.safe_load(text)["questions"] if q["key"] == key)


def test_the_scale_question_accepts_one_over_keep_and_no_slip():
    asked = question("escala-do-dropout")
    tolerance = {"rtol": asked["rtol"], "atol": asked["atol"], "log_scale": False}
    assert is_close(1 / (1 - 0.2), asked["answer"], **tolerance)
    for slip in (1 - 0.2, 0.2, 1 / 0.2, 1.2):  # keep, p, 1/p, 1 + p
        assert not is_close(slip, asked["answer"], **tolerance), slip


def test_every_variant_of_the_gradient_question_stays_far_below_a_thousandth():
    asked = question("dropout-salva-o-gradiente")
    depths = range(asked["vary"]["depth"]["min"], asked["vary"]["depth"]["max"] + 1)
    for depth in depths:
        for drop in asked["vary"]["dropout"]:
            for seed in range(3):
                raw = {**asked["fixed"], "depth": depth, "dropout": drop}
                data = regularization.run(
                    validate(regularization.RegularizationParams, raw), seed).to_dict()
                # Clear of the 10^-3 boundary by more than the margin, in decades.
                assert data["initial_grad_ratio_first_to_last"] < 1e-3 / 10 ** 1, (
                    depth, drop, seed)
