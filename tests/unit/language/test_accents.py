"""Vietnamese typed without accents gets them back from the guides' own words."""

from __future__ import annotations

from bot.language import AccentRestorer

GUIDES = [
    "Làm sao giảm tiền điện cho cửa hàng nhỏ?",
    "Tiền điện tăng mỗi tháng. Tủ lạnh cũ tốn điện.",
    "Vở diễn tiên cảnh.",  # "tiên" and "diễn": other accents of the same letters
]


def test_each_word_takes_the_accents_its_neighbour_calls_for() -> None:
    restorer = AccentRestorer(GUIDES)
    assert restorer.restore("lam sao giam tien dien?") == "làm sao giảm tiền điện"
    assert restorer.restore("tu lanh cu ton dien qua") == "tủ lạnh cũ tốn điện qua"  # "qua" is in no guide: as typed


def test_accented_or_unknown_text_is_left_alone() -> None:
    restorer = AccentRestorer(GUIDES)
    assert restorer.restore("làm sao giảm tiền điện?") is None
    assert restorer.restore("heat pump") is None
    assert restorer.restore("") is None
