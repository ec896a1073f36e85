"""Text folded for matching: Latin accents and case, character pairs for unsegmented scripts."""

from __future__ import annotations

from bot.language import fold, jaccard, tokenize


def test_vietnamese_without_diacritics_matches() -> None:
    assert tokenize("Làm sao để giảm tiền điện?") == tokenize("lam sao de giam tien dien?")
    assert fold("ĐÈN LED") == "den led"


def test_thai_is_cut_into_character_bigrams() -> None:
    assert tokenize("ไฟฟ้า") == ["ไฟ", "ฟฟ", "ฟ้", "้า"]
    assert "ไฟ" in tokenize("ประหยัดไฟฟ้าในร้าน")


def test_khmer_and_lao_keep_their_marks() -> None:
    assert tokenize("ថាមពល") == ["ថា", "ាម", "មព", "ពល"]
    assert tokenize("ໄຟຟ້າ") == ["ໄຟ", "ຟຟ", "ຟ້", "້າ"]
    assert tokenize("လျှပ်စစ်")[:2] == ["လျ", "ျှ"]


def test_mixed_scripts_and_words() -> None:
    assert tokenize("LED ประหยัด 90%") == ["led", "ปร", "ระ", "ะห", "หย", "ยั", "ัด", "90"]


def test_jaccard_is_the_share_of_tokens_in_common() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == 1 / 3
    assert jaccard(set(), {"a"}) == 0.0


def test_character_grams_keep_each_letter_with_its_marks() -> None:
    from bot.language import character_grams

    assert character_grams("ร้านเล็ก") == ["ร้านเ", "านเล็", "นเล็ก"]  # ร้ and ล็ are one written character each
    assert character_grams("ប្រែប្រួលអាកាស")[0] == "ប្រែប្រួលអា"  # a Khmer consonant stack is one
    assert character_grams("ไทย") == ["ไทย"]
