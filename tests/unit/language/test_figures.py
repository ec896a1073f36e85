"""Figures a question names, as retrieval matches them."""

from __future__ import annotations

from bot.language.figures import distinctive_figures


def test_a_year_an_amount_and_a_share_are_distinctive_and_canonical() -> None:
    assert distinctive_figures("น้ำท่วมปี 2011 เสียหาย US$45.7 พันล้าน, 18 %") == {"2011", "457", "18%"}
    assert distinctive_figures("RM 50,000 or RM 50.000") == {"50000"}


def test_a_single_digit_names_nothing() -> None:
    assert distinctive_figures("scope 3 vs scope 1, 2 bulbs") == frozenset()


def test_native_digits_count() -> None:
    assert distinctive_figures("ปี ๒๐๑๑") == {"2011"}
