"""The sentences grading returns, in every language of the site. Pure Python, no Django.

The outcome sentences are the seed page's ("Você acertou! Parabéns, agora siga para a
próxima página", "Você errou! Tente novamente.") and their English equivalents; they are
defaults an instructor may override per question. They live in code rather than in the
message catalogue so that every interface (web, API, admin preview) gets them in the
learner's language even before the catalogue is compiled.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LANGUAGE = "pt-br"

TEXTS: dict[str, dict[str, str]] = {
    "pt-br": {
        "correct": "Você acertou! Parabéns, agora siga para a próxima página",
        "wrong": "Você errou! Tente novamente.",
        "partial": "Você acertou uma parte ({percent}%). Tente novamente.",
        "no_tries_left": "Você não tem mais tentativas para este exercício.",
        "empty": "Digite um número.",
        "not_a_number": "Não consegui ler “{answer}” como um número. Escreva, por exemplo, "
        "0,05 ou 5e-2.",
        "ambiguous": "Em “{answer}”, o ponto pode separar milhares ou decimais: escreva "
        "{whole} ou {fraction}.",
        "not_finite": "Digite um número finito.",
        "not_positive": "Esta resposta é comparada em ordem de grandeza (escala log10): "
        "digite um número positivo.",
        "no_choice": "Escolha uma alternativa.",
        "one_choice": "Escolha apenas uma alternativa.",
        "unknown_choice": "Essa alternativa não faz parte do exercício.",
        "unavailable": "Não foi possível calcular a resposta desta variante; avise o instrutor.",
        "changed": "Este exercício mudou desde que você o abriu: leia o enunciado atualizado "
        "e responda de novo.",
    },
    "en": {
        "correct": "You got it right! Well done, now go on to the next page",
        "wrong": "That's not right! Try again.",
        "partial": "You got part of it ({percent}%). Try again.",
        "no_tries_left": "You have no tries left for this exercise.",
        "empty": "Type a number.",
        "not_a_number": "I could not read “{answer}” as a number. Write, for example, "
        "0.05 or 5e-2.",
        "ambiguous": "In “{answer}”, the comma could separate thousands or decimals: write "
        "{whole} or {fraction}.",
        "not_finite": "Type a finite number.",
        "not_positive": "This answer is compared by order of magnitude (log10 scale): "
        "type a positive number.",
        "no_choice": "Choose an option.",
        "one_choice": "Choose only one option.",
        "unknown_choice": "That option is not part of this exercise.",
        "unavailable": "The answer of this variant could not be computed; tell the instructor.",
        "changed": "This exercise changed since you opened it: read the updated prompt and "
        "answer again.",
    },
}


def text(language: str, key: str, **values: Any) -> str:
    """Return one built-in sentence in ``language`` (Portuguese when unknown)."""
    table = TEXTS.get(language) or TEXTS[DEFAULT_LANGUAGE]
    return table[key].format(**values)
