"""Vietnamese with and without diacritics."""

from __future__ import annotations

import pytest

from bot.language import detect
from bot.language.vietnamese import is_syllable, marked_share, unaccented_confidence


@pytest.mark.parametrize(
    "text",
    ["Làm sao để giảm tiền điện?", "đèn LED có tiết kiệm không", "Tôi mở tiệm giặt ủi", "cảm ơn"],
)
def test_diacritics_are_decisive(text: str) -> None:
    detection = detect(text)
    assert (detection.lang, detection.reason) == ("vi", "vi-diacritics")


@pytest.mark.parametrize(
    "text",
    [
        "lam sao de giam tien dien",
        "ong co bi di ung nao khong",
        "Troi mua tu sang.",
        "Tom bi dau.",
        "may lanh chay ca ngay ton dien qua, co cach nao tiet kiem ko",
        "dc roi, cam on",
        "Doan tau nay di tu New York toi Boston.",
    ],
)
def test_without_diacritics(text: str) -> None:
    detection = detect(text)
    assert (detection.lang, detection.reason) == ("vi", "vi-no-diacritics")


@pytest.mark.parametrize(
    "text",
    [
        "I can do it",
        "on the map",
        "sa mga tao",
        "dan itu",
        "ang bill",
        "Ako si Jack.",
        "Saya nak jumpa awak.",
        "magkano po ang solar panel",
        "Hindì ito pangungusap.",
        "Café au lait",
    ],
)
def test_other_languages_are_not_taken_for_vietnamese(text: str) -> None:
    assert detect(text).lang != "vi"


def test_syllable_shape() -> None:
    for word in ("nguoi", "khuyen", "truong", "quy", "gio", "khuya", "yen", "dc"):
        assert is_syllable(word), word
    for word in ("yang", "you", "ako", "itu", "bring", "mga", "bahay"):
        assert not is_syllable(word), word


def test_unaccented_needs_common_vietnamese_syllables() -> None:
    assert unaccented_confidence(["the", "man", "can", "go"]) is None
    assert unaccented_confidence([]) is None
    confidence = unaccented_confidence(["lam", "sao", "de", "giam", "tien", "dien"])
    assert confidence is not None and confidence >= 0.9


def test_a_vietnamese_place_name_in_english_is_not_decisive() -> None:
    assert marked_share(["do", "you", "deliver", "to", "Hà", "Nội", "and", "Đà", "Nẵng", "too", "please"]) < 0.5
    assert detect("do you deliver solar panels to Hà Nội and other northern cities").lang == "en"
