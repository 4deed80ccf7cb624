"""Every number the site displays reads back through its inputs' one parser, in both languages.

The property tests draw a value, format it with the site's own display functions in
one language and read the text back with that language's decimal separator; the value
read must be the displayed (rounded) value, checked against the value drawn with the
rounding the format promises.
"""

import math

import pytest
from django.utils import formats, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from simulations import errors, summaries
from simulations.numbers import NumberFormatError, read_number
from simulations.plots.common import magnitude, number, scientific

LANGUAGES = ["pt-br", "en"]
magnitudes = st.floats(min_value=1e-12, max_value=1e12)
signed = st.builds(lambda value, negative: -value if negative else value, magnitudes,
                   st.booleans())


def shown_and_read(display, value, language):
    with translation.override(language):
        text = display(value)
        decimal = formats.get_format("DECIMAL_SEPARATOR")
    return text, read_number(text, decimal=decimal)


def digits_error(value: float, digits: int) -> float:
    """Return the largest error of rounding ``value`` to ``digits`` significant digits."""
    if value == 0:
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1) * (1 + 1e-9)


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(value=signed, digits=st.integers(min_value=1, max_value=4))
def test_plain_numbers_read_back_within_their_rounding(language, value, digits):
    text, read = shown_and_read(lambda v: number(v, digits), value, language)
    # number() keeps every digit left of the point (1234.5 shows as 1234 or 1235).
    allowed = max(digits_error(value, digits), 0.5 * (1 + 1e-9))
    assert abs(read - value) <= allowed, text


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(value=signed)
def test_key_numbers_with_a_power_of_ten_read_back(language, value):
    """summaries.value and scientific(): "1,3 × 10⁻³" with superscripts and a unicode minus."""
    text, read = shown_and_read(summaries.value, value, language)
    assert math.isclose(read, value, rel_tol=0.051), text  # 2 significant digits
    assert shown_and_read(scientific, read, language)[0] == text  # and it shows the same


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("superscript", [True, False])
@settings(max_examples=200, deadline=None)
@given(value=magnitudes)
def test_orders_of_magnitude_read_back_as_the_power_of_ten_they_show(language, superscript,
                                                                      value):
    """Alt texts say "10^-3", plot labels "10⁻³", both for the nearest power of ten."""
    text, read = shown_and_read(lambda v: magnitude(v, superscript=superscript), value,
                                language)
    exponent = math.log10(value)
    if exponent >= 3 or exponent < -2:
        assert read == float(f"1e{round(exponent)}"), text
    else:
        assert math.isclose(read, value, rel_tol=0.051), text


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=200, deadline=None)
@given(share=st.floats(min_value=0, max_value=1))
def test_percentages_read_back_as_the_share_they_show(language, share):
    text, read = shown_and_read(summaries.percent, share, language)
    assert text.endswith("%")
    assert abs(read - share) <= max(digits_error(100 * share, 2), 0.005) / 100 + 1e-12, text


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=200, deadline=None)
@given(limit=st.one_of(st.integers(min_value=-10**12, max_value=10**12),
                       st.floats(min_value=1e-6, max_value=1e6)))
def test_limits_in_error_messages_read_back_exactly(language, limit):
    """ "Must be at most 10 000": thousands are grouped with a narrow space."""
    text, read = shown_and_read(errors.number_text, limit, language)
    assert read == float(limit), text


@pytest.mark.parametrize(("typed", "decimal", "value"), [
    ("0,5", ",", 0.5), ("0.5", ",", 0.5), ("0.5", ".", 0.5), ("0,5", ".", 0.5),
    ("1,3 × 10⁻³", ",", 1.3e-3), ("1.3 × 10⁻³", ".", 1.3e-3), ("−2,7 × 10⁴", ",", -2.7e4),
    ("1,3e-3", ",", 1.3e-3), ("1.234e-05", ",", 1.234e-5), ("10⁻³", ".", 1e-3),
    ("10^-3", ",", 1e-3), ("5 x 10^{-2}", ".", 0.05), ("5\\times10^{-2}", ".", 0.05),
    ("12%", ",", 0.12), ("12,5 %", ",", 0.125), ("1\u202f234,5", ",", 1234.5),
    ("1\u00a0000", ".", 1000.0), ("1.234.567,5", ",", 1234567.5), ("1,234,567.5", ".", 1234567.5),
    ("1,000", ",", 1.0), ("1.000", ".", 1.0), ("0.125", ",", 0.125), ("1.2345", ",", 1.2345),
])
def test_numbers_are_read_as_the_site_writes_them_and_people_type_them(typed, decimal, value):
    assert read_number(typed, decimal=decimal) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(("typed", "decimal", "whole", "fraction"), [
    ("1.000", ",", "1000", "1,000"), ("12.500", ",", "12500", "12,500"),
    ("1,000", ".", "1000", "1.000"), ("−1,500", ".", "-1500", "-1.500"),
])
def test_a_thousands_separator_alone_is_refused_as_ambiguous(typed, decimal, whole, fraction):
    """Never a number 1000 times too large or too small: both readings are offered."""
    with pytest.raises(NumberFormatError) as refused:
        read_number(typed, decimal=decimal)
    assert refused.value.code == "ambiguous"
    assert refused.value.values == {"whole": whole, "fraction": fraction}


@pytest.mark.parametrize(("typed", "decimal"), [
    ("abc", ","), ("1,000.5", ","), ("1.000,5", "."), ("1,2,3", ","), ("0.05.1", "."),
    ("nan", "."), ("inf", ","), ("1.00.0", ","), ("10^", "."), ("e5", "."), ("--1", ","),
    ("overflow (inf or NaN)", "."), ("—", ","),
])
def test_anything_else_is_not_a_number(typed, decimal):
    with pytest.raises(NumberFormatError) as refused:
        read_number(typed, decimal=decimal)
    assert refused.value.code == "not_a_number"


def test_an_empty_text_is_empty():
    with pytest.raises(NumberFormatError) as refused:
        read_number(" \u00a0", decimal=",")
    assert refused.value.code == "empty"
