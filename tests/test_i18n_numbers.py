"""Numbers written the way each interface language writes them."""

from __future__ import annotations

import math

import pytest

from pata_gis.i18n import number


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (0.61, "ro", 2, "0,61"),
        (0.61, "en", 2, "0.61"),
        (0.61, "hu", 2, "0,61"),
        (1234.5, "ro", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234.5, "hu", 1, "1\u00a0234,5"),
        (1234567, "ro", 0, "1.234.567"),
        (-0.125, "en", 3, "-0.125"),
        (2.0, "de", 2, "2,00"),  # an unknown language: the settings' (Romanian)
    ],
)
def test_number(value: float, lang: str, digits: int, expected: str) -> None:
    assert number(value, lang, digits) == expected


def test_no_number_is_a_dash() -> None:
    assert number(None, "ro") == number(math.nan, "en") == "—"
