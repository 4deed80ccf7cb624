from django.utils import translation

from simulations.plots.common import scientific


def test_key_numbers_keep_two_significant_digits_with_the_power_of_ten():
    with translation.override("en"):
        assert scientific(2.7e-4) == "2.7 × 10⁻⁴"
        assert scientific(3e9) == "3 × 10⁹"
        assert scientific(0.64) == "0.64"
        assert scientific(9.96e-5) == "1 × 10⁻⁴"  # rounding carries into the exponent


def test_key_numbers_use_a_decimal_comma_in_portuguese():
    with translation.override("pt-br"):
        assert scientific(2.7e-4) == "2,7 × 10⁻⁴"
        assert scientific(0.64) == "0,64"
