"""Script rules: languages told apart by their writing system, and Zawgyi Burmese."""

from __future__ import annotations

import pytest

from bot.language import detect
from bot.language.scripts import count_letters, decide_by_script, is_zawgyi


@pytest.mark.parametrize(
    ("text", "lang", "reason"),
    [
        ("ค่าไฟเดือนนี้แพงมาก จะลดยังไงดี", "th", "script:thai"),
        ("ຄ່າໄຟເດືອນນີ້ຂຶ້ນຫຼາຍ", "lo", "script:lao"),
        ("ថ្លៃភ្លើងខែនេះឡើងខ្លាំងណាស់", "km", "script:khmer"),
        ("ဒီလ မီတာခ အရမ်းတက်နေတယ်", "my", "script:myanmar"),
        ("மின்சார கட்டணம் அதிகம்", "ta", "script:tamil"),
        ("电费太贵了怎么办", "zh", "script:han"),
    ],
)
def test_each_script_gives_its_language(text: str, lang: str, reason: str) -> None:
    detection = detect(text)
    assert (detection.lang, detection.reason) == (lang, reason)
    assert detection.confidence >= 0.9


def test_latin_acronyms_inside_thai_do_not_break_it() -> None:
    assert detect("เปลี่ยนเป็นหลอด LED ช่วยลดค่าไฟได้ไหม SME").lang == "th"
    assert detect("ค่าไฟ TOU คืออะไร").lang == "th"


def test_english_term_inside_khmer_or_burmese_keeps_the_script_language() -> None:
    # Khmer and Burmese write much of a syllable with marks, which count as script letters.
    assert detect("net metering ជាអ្វី?").lang == "km"
    assert detect("net metering ဆိုတာ ဘာလဲ").lang == "my"


def test_a_foreign_word_in_an_english_sentence_does_not_decide() -> None:
    text = "what does the word ค่าไฟ mean on my electricity bill"
    assert decide_by_script(text, count_letters(text)) is None
    assert detect(text).lang == "en"


def test_zawgyi_burmese_is_burmese_and_reported() -> None:
    zawgyi = "ေက်းဇူးတင္ပါတယ္၊ မီတာခ ဘယ္လိုေလွ်ာ့ရမလဲ"
    unicode = "ကျေးဇူးတင်ပါတယ်၊ မီတာခ ဘယ်လိုလျှော့ရမလဲ"
    assert is_zawgyi(zawgyi)
    assert not is_zawgyi(unicode)
    assert detect(zawgyi).lang == "my"
    assert detect(zawgyi).reason == "script:myanmar-zawgyi"
    assert detect(unicode).reason == "script:myanmar"


def test_zawgyi_specific_code_points_and_orderings() -> None:
    assert is_zawgyi("ေရႀကီးရင္")  # vowel e typed first, Zawgyi-only ra glyph, virama as killer
    assert is_zawgyi("သံုး")  # anusvara before vowel u
    assert not is_zawgyi("ကမ္ဘာ")  # a real Unicode stacked consonant
