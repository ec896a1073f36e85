"""detect(): the Latin-script languages, priors, client codes and the interface."""

from __future__ import annotations

import dataclasses

import pytest

from bot.domain import LANGUAGES
from bot.language import (
    SUPPORTED,
    Detection,
    Priors,
    detect,
    supported_code,
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how do i cut my electricity bill for my bakery", "en"),
        ("gimana cara hemat listrik di warung saya", "id"),
        ("ada pinjaman hijau buat UMKM nggak?", "id"),
        ("macam mana nak jimat bil elektrik kedai saya", "ms"),
        ("pasang solar kat bumbung kilang berbaloi ke?", "ms"),
        ("paano po makatipid sa kuryente sa sari-sari store ko", "tl"),
        ("pano mag-save sa kuryente", "tl"),
        ("mas tipid ba talaga ang LED kesa sa fluorescent", "tl"),
    ],
)
def test_latin_script_languages(text: str, lang: str) -> None:
    detection = detect(text)
    assert detection.lang == lang
    assert detection.reason == "langid"


def test_every_supported_language_is_detectable() -> None:
    samples = {
        "en": "how can I reduce my electricity bill",
        "vi": "làm sao để giảm tiền điện",
        "th": "ลดค่าไฟยังไง",
        "id": "gimana cara hemat listrik",
        "ms": "macam mana nak jimat elektrik",
        "tl": "paano makatipid sa kuryente",
        "km": "កាត់បន្ថយថ្លៃអគ្គិសនី",
        "lo": "ຫຼຸດຄ່າໄຟ",
        "my": "လျှပ်စစ်မီတာခ လျှော့ချ",
        "zh": "怎么省电",
        "ta": "மின்சாரத்தை சேமிப்பது எப்படி",
    }
    assert set(samples) == set(SUPPORTED)
    assert set(LANGUAGES) <= set(SUPPORTED)
    for lang, text in samples.items():
        assert detect(text).lang == lang, text


def test_short_message_keeps_the_recent_language() -> None:
    for text in ("ok", "thanks", "LED?", "CBAM?", "berapa?", "👍"):
        detection = detect(text, Priors(recent="vi"))
        assert (detection.lang, detection.reason) == ("vi", "prior:recent"), text


def test_two_clear_words_still_keep_the_recent_language() -> None:
    assert detect("thank you", Priors(recent="tl")).lang == "tl"
    assert detect("berapa harganya", Priors(recent="en")).lang == "en"


def test_three_confident_words_switch() -> None:
    assert detect("how much does it cost", Priors(recent="vi")) == detect("how much does it cost")
    assert detect("gimana cara hemat listrik", Priors(recent="ms")).lang == "id"
    assert detect("macam mana nak jimat", Priors(chosen="id")).lang == "ms"
    assert detect("lam sao de giam tien dien", Priors(recent="en")).lang == "vi"


def test_indonesian_and_malay_alike_keep_the_prior() -> None:
    text = "terima kasih, sangat membantu"
    assert detect(text, Priors(recent="ms")).lang == "ms"
    assert detect(text, Priors(recent="id")).lang == "id"


def test_the_business_country_settles_indonesian_against_malay_when_the_text_does_not() -> None:
    assert detect("GTFS 5.0 tutup bila?").lang == "id"  # 0.37 Indonesian, 0.28 Malay
    assert detect("GTFS 5.0 tutup bila?", Priors(country="MY")) == Detection("ms", 0.653, "country")
    assert detect("gimana caranya hemat listrik di warung", Priors(country="MY")).lang == "id"  # the text rules Malay out
    assert detect("GTFS 5.0 tutup bila?", Priors(chosen="id", country="MY")).lang == "id"  # a chosen language stands
    assert detect("GTFS 5.0 tutup bila?", Priors(recent="id", country="MY")).lang == "id"  # and so does the one they write in
    assert detect("cara jimat elektrik kedai", Priors(country="VN")).lang == "ms"


def test_decisive_script_or_diacritics_override_the_chosen_language() -> None:
    assert detect("ขอบคุณ", Priors(chosen="en")).lang == "th"
    assert detect("cảm ơn", Priors(chosen="en")).lang == "vi"
    assert detect("ok", Priors(chosen="en")).lang == "en"


def test_prior_order_is_chosen_then_recent_then_client() -> None:
    assert detect("ok", Priors(chosen="km", recent="th", client="en")) == Detection("km", 0.9, "prior:chosen")
    assert detect("ok", Priors(recent="th", client="en")).reason == "prior:recent"
    assert detect("ok", Priors(client="fil")) == Detection("tl", 0.6, "prior:client")
    assert detect("ok", Priors(chosen="xx", client="vi-VN")).lang == "vi"


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("en-US", "en"),
        ("vi", "vi"),
        ("id", "id"),
        ("in", "id"),
        ("fil", "tl"),
        ("zh-hans", "zh"),
        ("zh-TW", "zh"),
        ("ms-MY", "ms"),
        ("ms_MY", "ms"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_client_code_normalisation(code: str | None, lang: str | None) -> None:
    assert supported_code(code) == lang


def test_nothing_to_go_on_defaults_to_english() -> None:
    for text in ("👍", "123", "", "   ", "https://example.com", "ok", "haha"):
        assert detect(text) == Detection("en", 0.0, "default"), text


def test_without_priors_an_unsure_guess_has_low_confidence() -> None:
    detection = detect("solar panel")
    assert detection.reason == "langid"
    assert detection.confidence < 0.7


def test_detection_is_immutable_and_in_range() -> None:
    detection = detect("làm sao để giảm tiền điện")
    assert 0.0 <= detection.confidence <= 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        detection.lang = "en"  # type: ignore[misc]
