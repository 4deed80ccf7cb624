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
         "more than 4,000 parameters, and sees only 30 examples")


def test_without_regularization_the_validation_loss_turns_back_up():
    data = run("loss-by-regularizer", "none")
    best_pt, best_en = two_digits(data["best_validation_loss"])
    final_pt, final_en = two_digits(data["final_validation_loss"])
    step, every = data["best_validation_step"], data["steps"][1] - data["steps"][0]
    says(f"a perda de validação atinge o mínimo, {best_pt}, por volta do passo {step} (as "
         f"perdas são registradas a cada {every} passos) e depois sobe até {final_pt}",
         f"the validation loss bottoms out at {best_en} around step {step} (the losses are "
         f"recorded every {every} steps) and then climbs to {final_en}")
    assert data["final_validation_loss"] > 1.5 * data["best_validation_loss"]
    assert data["final_train_loss"] < 0.1 * data["noise_floor"]
    says("termina abaixo de um décimo de $\\sigma^2/2$", "ends below a tenth of $\\sigma^2/2$")
    noise = FIGURES["loss-by-regularizer"]["params"]["noise"]
    says(f"desvio padrão $\\sigma = {str(noise).replace('.', '{,}')}$",
         f"standard deviation $\\sigma = {noise}$")


def test_near_the_validation_minimum_the_training_loss_is_already_below_the_noise():
    data = run("loss-by-regularizer", "none")
    step = data["best_validation_step"]
    at_best = data["train_losses"][data["steps"].index(step)]
    pt, en = two_digits(at_best)
    says(f"no passo {step}, perto do mínimo da validação, a perda de treinamento já é {pt}",
         f"at step {step}, near the validation minimum, the training loss is already {en}")
    # "A little below" the noise floor, not "far below" like the end of the run.
    assert 0.5 * data["noise_floor"] < at_best < data["noise_floor"]


def test_weight_decay_ends_lower_and_shrinks_the_weights():
    plain, decayed = run("loss-by-regularizer", "none"), run("loss-by-regularizer",
                                                               "weight_decay")
    final = two_digits(decayed["final_validation_loss"])
    before, after = two_digits(plain["weight_norm"]), two_digits(decayed["weight_norm"])
    train = two_digits(decayed["final_train_loss"])
    says(f"a perda de treinamento para de cair cedo e se estabiliza em {train[0]}, e a perda "
         f"de validação termina em {final[0]}; a norma de todos os pesos termina em "
         f"{after[0]}, contra {before[0]} sem regularização",
         f"the training loss stops falling early and levels off at {train[1]}, and the "
         f"validation loss ends at {final[1]}; the norm of all the weights ends at "
         f"{after[1]}, against {before[1]} without regularization")
    assert decayed["final_validation_loss"] < plain["final_validation_loss"]
    assert decayed["final_train_loss"] > 10 * plain["final_train_loss"]
    assert decayed["weight_norm"] < plain["weight_norm"] / 3
    # Levels off early: from a tenth of the run on, the training loss stays within 5%.
    tenth = decayed["steps"].index(decayed["steps"][-1] // 10)
    settled = decayed["train_losses"][tenth:]
    assert max(settled) < 1.05 * min(settled)


def test_dropout_ends_lower():
    plain, dropped = run("loss-by-regularizer", "none"), run("loss-by-regularizer", "dropout")
    final = two_digits(dropped["final_validation_loss"])
    says(f"com $p = 0{{,}}5$, a perda de validação termina em {final[0]}",
         f"with $p = 0.5$, the validation loss ends at {final[1]}")
    assert dropped["final_validation_loss"] < plain["final_validation_loss"]


def test_neither_regularizer_beats_stopping_early_without_one():
    plain = run("loss-by-regularizer", "none")
    best_pt, best_en = two_digits(plain["best_validation_loss"])
    step = plain["best_validation_step"]
    says(f"Parar o treinamento sem regularização por volta do passo {step} daria {best_pt}, "
         "menos do que qualquer um dos dois no fim",
         f"Stopping the unregularized training around step {step} would give {best_en}, "
         "less than either ends at")
    for regularizer in ("weight_decay", "dropout"):
        data = run("loss-by-regularizer", regularizer)
        assert plain["best_validation_loss"] < data["final_validation_loss"]
        # "The validation loss also rises after its lowest point."
        assert data["final_validation_loss"] > 1.1 * data["best_validation_loss"]
        assert data["best_validation_step"] < data["steps"][-1]


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
    says(f"é {without_pt} vezes a da última camada oculta sem dropout, e {with_pt} vezes "
         "com dropout",
         f"is {without_en} times that at the last hidden layer without dropout, and "
         f"{with_en} times with dropout")
    assert without < with_dropout < 1e-5
    says("continua mais de cinco ordens de grandeza menor que o da última",
         "still more than five orders of magnitude smaller than the last one's")
    assert with_dropout > 10 * without
    says("(na primeira camada, mais de dez vezes)", "(more than tenfold at the first layer)")
    # The mean-square growth per layer, 1/sqrt(1 - p), for the figure's p.
    drop = FIGURES["dropout-gradient"]["params"]["dropout"]
    assert f"{1 / (1 - drop) ** 0.5:.1f}" == "1.4"
    says("ou 1,4 com $p = 0{,}5$", "or 1.4 for $p = 0.5$")


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
