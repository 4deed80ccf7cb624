import pytest

from course.reading import WORDS_PER_MINUTE, count_words, reading_minutes


def test_counts_words_with_accents_and_hyphens_as_a_reader_does():
    assert count_words("A retropropagação é auto-regressiva, não? Sim.") == 6


def test_markdown_syntax_formulas_and_figures_are_not_words():
    text = "## Título\n\n- **um** _dois_\n\n$$\\frac{a}{b}$$ e $x^2$\n\n[[figure:init-variance]]\n"
    assert count_words(text) == 4  # Título, um, dois, e


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(1, 1), (WORDS_PER_MINUTE, 1), (WORDS_PER_MINUTE + 1, 2), (4 * WORDS_PER_MINUTE, 4)],
)
def test_reading_time_rounds_up_to_whole_minutes(words, minutes):
    assert reading_minutes(" ".join(["palavra"] * words)) == minutes


def test_empty_text_takes_no_time():
    assert reading_minutes("") == 0


def test_next_page_of_the_seed_reads_in_four_minutes_as_the_ebook_says(imported_course):
    lesson = imported_course.lessons.get(number=9)
    # The seed page announces "55 … Inicialização de Pesos — 4 minutos".
    assert (lesson.page, lesson.reading_minutes_pt_br) == (55, 4)


def test_anchor_lines_and_link_targets_are_not_read():
    plain = "## Por que a escala importa\n\nVeja a seção anterior."
    anchored = "{#escala}\n## Por que a escala importa\n\nVeja a [seção anterior](#zeros)."
    assert count_words(anchored) == count_words(plain) == 9
