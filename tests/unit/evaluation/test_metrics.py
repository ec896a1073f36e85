"""The evaluation metrics on small hand-computed cases; expected values are worked out in comments."""

from __future__ import annotations

import math
import unicodedata

import pytest

from bot.evaluation.matching import comparable, contains
from bot.evaluation.metrics import (
    RefusalCounts,
    chrf,
    citation_scores,
    cited_numbers,
    cost_usd,
    includes,
    language_match,
    numeric_grounding,
    refusal_correct,
    refusal_counts,
    retrieval_scores,
)

# --- comparable and contains -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("พ.ศ. ๒๕๖๙", "พ.ศ. 2569"),  # Thai digits
        ("ឆ្នាំ ២០២៦", "ឆ្នាំ 2026"),  # Khmer digits
        ("၂၀၂၆ ခုနှစ်", "2026 ခုနှစ်"),  # Burmese digits
        ("ປີ ໒໐໒໖", "ປີ 2026"),  # Lao digits
        ("  LED\u00a0 Lamps\n\tsave ", "led lamps save"),  # whitespace runs, casefold, strip
        ("Straße", "strasse"),  # casefold, not lower
        ("ener\u00adgy\ufeff", "energy"),  # soft hyphen, byte-order mark
    ],
)
def test_comparable(text: str, expected: str) -> None:
    assert comparable(text) == expected


def test_comparable_removes_zero_width_spaces_inside_thai() -> None:
    # Thai editors put U+200B between words as line-break hints; the reader sees one phrase.
    assert comparable("ประหยัด\u200bพลังงาน\u200c\u200d\u2060") == "ประหยัดพลังงาน"
    assert contains("ช่วยประหยัด\u200bพลังงานได้", "ประหยัดพลังงาน")


def test_comparable_composes_decomposed_vietnamese() -> None:
    composed = unicodedata.normalize("NFC", "Tiết kiệm")
    decomposed = unicodedata.normalize("NFD", "Tiết kiệm")
    assert composed != decomposed
    assert comparable(composed) == comparable(decomposed) == unicodedata.normalize("NFC", "tiết kiệm")
    assert contains(f"Bạn có thể {decomposed} điện", composed)


def test_contains_is_a_substring_match() -> None:
    # No word boundaries: Thai is written without spaces.
    assert contains("หลอดไฟLEDประหยัดไฟ", "led")
    assert contains("Use LED lamps", "led LAMPS")
    assert not contains("Use LED lamps", "LED bulbs")


# --- retrieval ---------------------------------------------------------------------------


def test_retrieval_single_relevant_at_rank_two() -> None:
    scores = retrieval_scores(["a", "b", "c"], {"b"}, k=5)
    assert scores is not None
    # hit: b is in the top 5; recall 1/1; MRR 1/2; DCG = 1/log2(3), ideal DCG = 1/log2(2) = 1.
    assert scores.hit is True
    assert scores.recall == 1.0
    assert scores.mrr == 0.5
    assert scores.ndcg == pytest.approx(1 / math.log2(3))  # 0.6309
    assert scores.reason == ""


def test_retrieval_deduplicates_keeping_first_rank() -> None:
    # ["x", "a", "x", "b", "y"] → ["x", "a", "b", "y"]; top 3 = x, a, b: both relevant found.
    # Without de-duplication the top 3 would be x, a, x and recall only 1/2.
    scores = retrieval_scores(["x", "a", "x", "b", "y"], ["a", "b"], k=3)
    assert scores is not None
    assert scores.recall == 1.0
    assert scores.mrr == 0.5
    # DCG = 1/log2(3) + 1/log2(4) = 0.6309 + 0.5 = 1.1309; ideal = 1 + 1/log2(3) = 1.6309 → 0.6934.
    assert scores.ndcg == pytest.approx((1 / math.log2(3) + 0.5) / (1 + 1 / math.log2(3)))
    assert scores.ndcg == pytest.approx(0.6934, abs=1e-4)


def test_retrieval_relevant_beyond_k_counts_for_mrr_only() -> None:
    # a is at rank 3, outside the top 2: no hit, recall 0, nDCG 0, but MRR = 1/3 over the whole list.
    scores = retrieval_scores(["x", "y", "a"], {"a"}, k=2)
    assert scores is not None
    assert (scores.hit, scores.recall, scores.ndcg) == (False, 0.0, 0.0)
    assert scores.mrr == pytest.approx(1 / 3)
    assert "['a'] not in the top 2" in scores.reason


def test_retrieval_ideal_dcg_is_capped_at_k() -> None:
    # 3 expected, k = 2, top 2 = a, b: recall 2/3; DCG = ideal DCG over min(2, 3) = 2 ranks → nDCG 1.
    scores = retrieval_scores(["a", "b", "c"], ["a", "b", "c"], k=2)
    assert scores is not None
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.ndcg == pytest.approx(1.0)
    assert scores.mrr == 1.0


def test_retrieval_nothing_retrieved_and_nothing_expected() -> None:
    empty = retrieval_scores([], {"a"})
    assert empty is not None
    assert (empty.hit, empty.recall, empty.mrr, empty.ndcg) == (False, 0.0, 0.0, 0.0)
    assert retrieval_scores(["a", "b"], []) is None  # refusals: not applicable
    with pytest.raises(ValueError, match="k must be at least 1"):
        retrieval_scores(["a"], {"a"}, k=0)


# --- citations ---------------------------------------------------------------------------

SOURCES = {1: "led", 2: "fridge", 3: "air"}


def test_cited_numbers_in_order_once_each() -> None:
    text = "LED lamps save 90% [1]. Fridges [2, 3][1] and compressors [12]. In 2026 see [note] or [1000]."
    assert cited_numbers(text) == [1, 2, 3, 12]
    assert cited_numbers("No citations, 18% in 2026.") == []


def test_citations_valid_with_precision_and_recall() -> None:
    scores = citation_scores([1, 2], SOURCES, retrieved_count=3, expected={"led"})
    # Cited ids led, fridge: 1 of 2 expected → precision 1/2; expected led cited → recall 1/1.
    assert scores.valid is True
    assert scores.fabricated == ()
    assert scores.precision == 0.5
    assert scores.recall == 1.0
    assert scores.reason == ""


def test_citations_fabricated_number() -> None:
    scores = citation_scores([4, 1], SOURCES, retrieved_count=3, expected={"led", "air"})
    # [4] names no source. Precision: of cited 1 and 4 only 1 (led) is expected → 1/2.
    # Recall: led cited, air not → 1/2.
    assert scores.valid is False
    assert scores.fabricated == (4,)
    assert scores.precision == 0.5
    assert scores.recall == 0.5
    assert "cites [4] but only 3 sources were retrieved" in scores.reason
    assert "does not cite ['air']" in scores.reason


def test_citations_when_nothing_was_retrieved() -> None:
    scores = citation_scores([1], {}, retrieved_count=0, expected=set())
    assert scores.valid is False
    assert scores.reason == "cites [1] but no sources were retrieved"


def test_citations_not_applicable() -> None:
    uncited = citation_scores([], SOURCES, retrieved_count=3, expected={"led"})
    assert (uncited.valid, uncited.precision, uncited.recall) == (True, None, 0.0)
    refusal = citation_scores([1], SOURCES, retrieved_count=3, expected=[])
    assert (refusal.valid, refusal.precision, refusal.recall) == (True, None, None)


# --- includes ----------------------------------------------------------------------------


def test_includes_with_alternatives_and_forbidden_strings() -> None:
    text = "LED lamps use up to 90% less energy."
    ok = includes(text, [["ninety", "90%"], ["led"]], ["guarantee"])
    assert (ok.include_ok, ok.exclude_ok, ok.ok, ok.reason) == (True, True, True, "")

    bad = includes(text, [["95%", "ninety"], ["LED"]], ["LESS  energy"])
    assert bad.missing == (("95%", "ninety"),)
    assert bad.forbidden == ("LESS  energy",)
    assert (bad.include_ok, bad.exclude_ok, bad.ok) == (False, False, False)
    assert bad.reason == "none of ['95%', 'ninety'] found; 'LESS  energy' must not appear"


def test_includes_normalizes_native_digits_and_empty_groups() -> None:
    assert includes("หลอด LED ประหยัดไฟได้ถึง ๙๐%", [["90%"]], []).include_ok
    assert includes("anything", [[]], []).missing == ((),)  # a group without alternatives never matches


# --- language ----------------------------------------------------------------------------


def test_thai_answer_with_english_terms_urls_and_citations() -> None:
    text = "เปลี่ยนหลอดไฟเป็น LED ช่วยประหยัดไฟได้ถึง ๙๐% [1] ดูเพิ่มที่ https://www.egat.co.th/energy-saving และเตรียมรับ CBAM ของ EU [2]"
    match = language_match(text, "th")
    assert (match.ok, match.found) == (True, "th")
    assert "thai script" in match.reason


def test_khmer_answer_with_english_terms() -> None:
    text = "ប្តូរទៅអំពូល LED អាចសន្សំអគ្គិសនីបាន 90% [1] សូមមើល https://www.example.org/led-guide"
    assert language_match(text, "km").ok


def test_vietnamese_answer_with_english_terms() -> None:
    text = "Thay bóng đèn bằng LED có thể tiết kiệm tới 90% điện năng [1]. Hãy làm energy audit và chuẩn bị cho CBAM trước năm 2026."
    match = language_match(text, "vi")
    assert (match.ok, match.found) == (True, "vi")


def test_english_answer_to_a_thai_case_is_a_mismatch() -> None:
    match = language_match("Replacing your lamps with LED can save up to 90% of the energy they use [1].", "th")
    assert (match.ok, match.found) == (False, "en")
    assert match.reason.startswith("expected th, found en")


def test_a_native_note_above_english_points_is_not_a_match() -> None:
    text = (
        "ចម្លើយក្រៅបណ្ដាញ៖ ដកស្រង់ពីមគ្គុទេសក៍របស់យើង។\n"
        "• The EU CBAM definitive period starts on 1 January 2026 and importers must buy certificates. [1]\n"
        "• Exporters of steel, aluminium and cement should prepare emissions data for their buyers now. [1]"
    )
    match = language_match(text, "km")
    assert (match.ok, match.found) == (False, "en")
    assert "of the letters" in match.reason


def test_thai_answer_to_a_lao_case_is_a_mismatch() -> None:
    assert language_match("เปลี่ยนหลอดไฟเป็น LED ช่วยประหยัดไฟ", "lo").found == "th"


def test_indonesian_and_malay_are_one_family() -> None:
    indonesian = "Ganti lampu dengan LED bisa menghemat hingga 90% listrik [1]. Silakan cek tagihan listrik Anda setiap bulan."
    malay = "Tukar lampu kepada LED boleh menjimatkan sehingga 90% tenaga elektrik [1]. Sila semak bil elektrik anda setiap bulan."
    as_malay = language_match(indonesian, "ms")
    assert (as_malay.ok, as_malay.found) == (True, "id")
    assert "cannot reliably tell id from ms" in as_malay.reason
    assert language_match(malay, "ms").reason.startswith("ms by langid")
    assert language_match(malay, "id").ok
    assert not language_match(malay, "en").ok


@pytest.mark.parametrize("text", ["", "   ", "LED CBAM [1] https://example.org 2026"])
def test_answer_without_words_is_no_match(text: str) -> None:
    match = language_match(text, "en")
    assert (match.ok, match.found) == (False, "")


# --- refusals ----------------------------------------------------------------------------


def test_refusal_correct_both_ways() -> None:
    assert refusal_correct("refusal", "refusal")
    assert not refusal_correct("refusal", "offline")  # missed refusal
    assert not refusal_correct("answer", "refusal")  # false refusal
    assert refusal_correct("answer", "llm")
    assert refusal_correct("greeting", "greeting")
    assert not refusal_correct("greeting", "offline")  # guide bullets for a "hi"
    assert not refusal_correct("answer", "greeting")
    with pytest.raises(ValueError, match="expect must be"):
        refusal_correct("refuse", "refusal")


def test_refusal_counts_and_accuracy() -> None:
    pairs = [
        ("refusal", "refusal"),
        ("refusal", "offline"),
        ("answer", "refusal"),
        ("answer", "offline"),
        ("answer", "llm"),
        ("greeting", "greeting"),
        ("greeting", "offline"),
    ]
    counts = refusal_counts(pairs)
    assert counts == RefusalCounts(correct_refusals=1, missed_refusals=1, false_refusals=1, correct_answers=2, correct_greetings=1, wrong_greetings=1)
    # Right decisions: 1 refusal + 2 answers + 1 greeting of 7.
    assert counts.total == 7
    assert counts.accuracy == pytest.approx(4 / 7)
    assert refusal_counts([]).accuracy is None


# --- numeric grounding -------------------------------------------------------------------


def test_numeric_grounding() -> None:
    contexts = ["The standard VAT rate is 18%.", "A fee of 1000 baht applies from 2025."]
    assert numeric_grounding("VAT is 18% [1].", contexts).score == 1.0
    wrong = numeric_grounding("VAT is 19% [1].", contexts)
    assert (wrong.score, wrong.ungrounded) == (0.0, ("19%",))
    assert wrong.reason == "['19%'] not in the retrieved contexts"
    # 1,000 = 1000 and 18% are grounded, 2026 is not → 2/3.
    mixed = numeric_grounding("A 1,000 baht fee and 18% VAT from 2026.", contexts)
    assert mixed.score == pytest.approx(2 / 3)
    assert mixed.ungrounded == ("2026",)


def test_numeric_grounding_native_digits_and_no_figures() -> None:
    assert numeric_grounding("ภาษีมูลค่าเพิ่ม ๑๘%", ["VAT 18%"]).score == 1.0
    none = numeric_grounding("Switch off the lights at night [1].", ["18%"])  # citation numbers do not count
    assert (none.score, none.ungrounded) == (None, ())


# --- chrF and cost -----------------------------------------------------------------------


def test_chrf() -> None:
    assert chrf("LED lamps save energy.", "LED lamps save energy.") == 100.0
    # Decomposed and composed Vietnamese are the same text once comparable.
    assert chrf(unicodedata.normalize("NFD", "Tiết kiệm điện"), "tiết kiệm điện") == 100.0
    assert chrf("", "LED") == 0.0
    related = chrf("เปลี่ยนหลอดไฟเป็น LED ช่วยประหยัดไฟได้ถึง 90%", "หลอด LED ประหยัดไฟได้ถึง 90% และอายุการใช้งานยาวกว่า")
    unrelated = chrf("ประหยัดไฟ", "กาแฟร้อน")
    assert 30.0 < related < 60.0  # sacrebleu 2.6 gives 43.2
    assert unrelated < 10.0 < related


def test_cost_usd() -> None:
    # 1,500 x $0.002/1k = $0.003 and 500 x $0.006/1k = $0.003 → $0.006.
    assert cost_usd(1500, 500, 0.002, 0.006) == pytest.approx(0.006)
    assert cost_usd(0, 0, 0.002, 0.006) == 0.0
