"""BM25 over the folded words of the languages we serve."""

from __future__ import annotations

from bot.retrieval import LexicalIndex


def test_bm25_finds_thai_and_unaccented_vietnamese() -> None:
    index = LexicalIndex(["làm sao giảm tiền điện cho cửa hàng", "ประหยัดไฟฟ้าในร้านค้า", "fridge temperature"])
    assert index.search("lam sao giam tien dien", 3)[0][0] == 0
    assert index.search("ไฟฟ้า ร้าน", 3)[0][0] == 1
    assert index.search("unknownword", 3) == []


def test_bm25_terms_pair_words_and_skip_question_words() -> None:
    from bot.retrieval.lexical import index_terms

    assert index_terms("lam sao giam tien dien tu lanh") == ["giam", "tien", "giam_tien", "dien", "tien_dien", "tu", "dien_tu", "lanh", "tu_lanh"]
    assert index_terms("How do I fix leaks?") == ["fix", "leaks", "fix_leaks"]


def test_thai_is_matched_by_whole_written_characters_not_pieces_of_words() -> None:
    index = LexicalIndex(["แผน BCP ของธุรกิจ", "ห้องเย็น", "ตลาดสด", "โรงงาน"])
    # by code-point pairs "ห้องเย็น" (a cold room) shared "ห้" with "ให้" (for), and came up for a plan
    assert [i for i, _ in index.search("ทำ BCP ให้ร้านเล็ก", 4)] == [0]


def test_a_latin_word_among_thai_is_not_outvoted_by_the_runs_of_thai_around_it() -> None:
    index = LexicalIndex(["แผน BCP ของธุรกิจ", "ร้านค้าปลีกเล็ก", "ตลาดสด", "โรงงาน", "โรงแรม", "ห้องเย็น", "โรงเรียน", "ร้านกาแฟ"])
    assert [i for i, _ in index.search("ทำ BCP ให้ร้านค้า", 5)] == [0, 1]


def test_a_single_letter_is_no_term_of_its_own() -> None:
    """Owners type "s" for "sa"; a guide writes "s. 2025" for a circular's series. Once, a rare
    "s" typed twice put the guide on reporting rules first for a question about the fridge."""
    from bot.retrieval.lexical import index_terms

    assert index_terms("pano mag tipid s kuryente s ref") == ["mag", "tipid", "mag_tipid", "tipid_s", "kuryente", "s_kuryente", "kuryente_s", "ref", "s_ref"]
    assert index_terms("scope 3 y te") == ["scope", "3", "scope_3", "3_y", "te", "y_te"]
