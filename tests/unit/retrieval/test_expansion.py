"""The glossary's bridges: English terms for a question in another language, and the other forms
of a term in the question's own language."""

from __future__ import annotations

from bot.knowledge.glossary import Glossary, Term
from bot.retrieval.expansion import QueryExpander

FRIDGE = Term(
    en=["refrigerator", "fridge"],
    vi=["tủ lạnh"],
    th=["ตู้เย็น"],
    id=["kulkas"],
    ms=["peti sejuk"],
    tl=["refrigerator", "ref", "pridyider"],
    km=["ទូទឹកកក"],
    lo=["ຕູ້ເຢັນ"],
    my=["ရေခဲသေတ္တာ"],
)
BILL = Term(
    en=["electricity bill"],
    vi=["hóa đơn tiền điện", "tiền điện"],
    th=["ค่าไฟ"],
    id=["tagihan listrik"],
    ms=["bil elektrik"],
    tl=["bayarin sa kuryente"],
    km=["វិក្កយបត្រអគ្គិសនី"],
    lo=["ຄ່າໄຟ"],
    my=["လျှပ်စစ်မီတာခ"],
)
LOAN = Term(
    en=["green loan"],
    vi=["khoản vay xanh", "tín dụng xanh", "vay xanh"],
    th=["สินเชื่อสีเขียว", "เงินกู้สีเขียว"],
    id=["pinjaman hijau"],
    ms=["pinjaman hijau"],
    tl=["green loan"],
    km=["ឥណទានបៃតង"],
    lo=["ສິນເຊື່ອສີຂຽວ"],
    my=["green loan"],
)
BANK = Term(
    en=["central bank"],
    vi=["Ngân hàng Nhà nước"],
    th=["ธนาคารกลาง"],
    id=["bank sentral", "BI"],
    ms=["bank pusat"],
    tl=["bangko sentral"],
    km=["ធនាគារកណ្តាល"],
    lo=["ທະນາຄານກາງ"],
    my=["ဗဟိုဘဏ်"],
)
EXPANDER = QueryExpander(Glossary(terms={"refrigerator": FRIDGE, "electricity-bill": BILL, "green-loan": LOAN, "central-bank": BANK}, lines={}))


def test_a_question_in_another_language_gets_the_english_terms_it_uses() -> None:
    assert EXPANDER.english_terms("ตู้เย็นกินค่าไฟมาก") == ["refrigerator", "electricity bill"]  # longest form first


def test_a_colloquial_form_brings_the_forms_the_guides_write() -> None:
    assert EXPANDER.synonyms("pano mag tipid s kuryente s ref namin", "tl") == ["refrigerator", "pridyider"]


def test_synonyms_are_in_the_questions_language_whatever_language_the_term_was_written_in() -> None:
    assert EXPANDER.synonyms("fridge ร้านกินไฟ", "th") == ["ตู้เย็น"]
    assert EXPANDER.synonyms("ตู้เย็นกินค่าไฟ", "tl") == ["refrigerator", "ref", "pridyider", "bayarin sa kuryente"]


def test_a_longer_phrase_around_the_same_words_is_no_synonym() -> None:
    # "hóa đơn tiền điện" would only weigh "tiền điện" twice: a fridge question became a bill question
    assert EXPANDER.synonyms("tủ lạnh hao điện, giảm tiền điện thế nào?", "vi") == []


def test_other_words_for_the_thing_count_even_when_they_share_one() -> None:
    # the Vietnamese guide says "tín dụng xanh" (green credit) where owners ask for "khoản vay xanh"
    assert EXPANDER.synonyms("có khoản vay xanh nào không?", "vi") == ["tín dụng xanh"]
    # in a script without spaces, sharing a pair of characters still counts as the same words
    assert EXPANDER.synonyms("มีสินเชื่อสีเขียวไหม", "th") == []


def test_an_abbreviation_is_not_an_everyday_word_that_folds_to_it() -> None:
    assert EXPANDER.english_terms("máy lạnh bị rò") == []  # Vietnamese "bị", not Bank Indonesia's "BI"
    assert EXPANDER.english_terms("kata bi di sini") == []  # lower case: a word, not "BI"
    assert EXPANDER.english_terms("suku bunga BI naik") == ["central bank"]


def test_a_question_without_glossary_terms_has_no_synonyms() -> None:
    assert EXPANDER.synonyms("hello", "en") == []


def test_the_dense_query_spells_out_an_abbreviation_typed_in_capitals() -> None:
    assert EXPANDER.spelled_out("suku bunga BI naik") == "suku bunga central bank (BI) naik"
    assert EXPANDER.spelled_out("kata bi di sini") == "kata bi di sini"  # a word, not the abbreviation
    # an abbreviation that is the term's English name stays as it is: e5 knows "SME"
    sme = Term(en=["SME"], vi=["DNNVV"], th=["SME"], id=["UKM"], ms=["PKS"], tl=["SME"], km=["SME"], lo=["SME"], my=["SME"])
    assert QueryExpander(Glossary(terms={"sme": sme}, lines={})).spelled_out("vay cho DNNVV") == "vay cho DNNVV"
