"""The BM25 tokenizer for the languages we serve."""

from __future__ import annotations

from bot.retrieval import LexicalIndex, normalize, tokenize


def test_vietnamese_without_diacritics_matches() -> None:
    assert tokenize("Làm sao để giảm tiền điện?") == tokenize("lam sao de giam tien dien?")
    assert normalize("ĐÈN LED") == "den led"


def test_thai_is_cut_into_character_bigrams() -> None:
    assert tokenize("ไฟฟ้า") == ["ไฟ", "ฟฟ", "ฟ้", "้า"]
    assert "ไฟ" in tokenize("ประหยัดไฟฟ้าในร้าน")


def test_khmer_and_lao_keep_their_marks() -> None:
    assert tokenize("ថាមពល") == ["ថា", "ាម", "មព", "ពល"]
    assert tokenize("ໄຟຟ້າ") == ["ໄຟ", "ຟຟ", "ຟ້", "້າ"]
    assert tokenize("လျှပ်စစ်")[:2] == ["လျ", "ျှ"]


def test_mixed_scripts_and_words() -> None:
    assert tokenize("LED ประหยัด 90%") == ["led", "ปร", "ระ", "ะห", "หย", "ยั", "ัด", "90"]


def test_bm25_finds_thai_and_unaccented_vietnamese() -> None:
    index = LexicalIndex(["làm sao giảm tiền điện cho cửa hàng", "ประหยัดไฟฟ้าในร้านค้า", "fridge temperature"])
    assert index.search("lam sao giam tien dien", 3)[0][0] == 0
    assert index.search("ไฟฟ้า ร้าน", 3)[0][0] == 1
    assert index.search("unknownword", 3) == []


def test_bm25_terms_pair_words_and_skip_question_words() -> None:
    from bot.retrieval.lexical import index_terms

    assert index_terms("lam sao giam tien dien tu lanh") == ["giam", "tien", "giam_tien", "dien", "tien_dien", "tu", "dien_tu", "lanh", "tu_lanh"]
    assert index_terms("How do I fix leaks?") == ["fix", "leaks", "fix_leaks"]
