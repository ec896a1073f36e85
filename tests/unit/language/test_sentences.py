"""Guide text → quotable sentences: whole, without Markdown, never a fragment."""

from __future__ import annotations

from bot.domain import SentenceKind
from bot.language.sentences import MAX_CHARS, leans_back, split_sentences


def kinds(text: str) -> list[tuple[SentenceKind, str]]:
    return [(s.kind, s.text) for s in split_sentences(text)]


def test_markdown_is_removed_and_links_keep_their_text() -> None:
    text = "Read **the rules** on [the official page](https://example.org/solar) before you buy. It saves `money`."
    assert kinds(text) == [
        (SentenceKind.SENTENCE, "Read the rules on the official page before you buy."),
        (SentenceKind.SENTENCE, "It saves money."),
    ]


def test_pointers_to_other_guides_are_dropped_or_never_quoted() -> None:
    text = (
        "Switch to LED lamps first; see [quick wins](quick-wins.md) for what LEDs save. "
        "Record your bills (see [carbon footprint basics](carbon-footprint-basics.md)). "
        "See [eco-labels in ASEAN](eco-labels-in-asean.md) for more."
    )
    assert kinds(text) == [
        (SentenceKind.SENTENCE, "Switch to LED lamps first."),
        (SentenceKind.SENTENCE, "Record your bills."),
        (SentenceKind.META, "See eco-labels in ASEAN for more."),
    ]


def test_lists_lead_ins_headings_and_the_guide_about_itself() -> None:
    text = "This page explains how small firms save.\n\n## Steps\n\nTake these steps:\n1. Switch off lights at night.\n- Fix leaks, e.g. dripping taps, the same week.\n"
    assert kinds(text) == [
        (SentenceKind.META, "This page explains how small firms save."),
        (SentenceKind.LEAD_IN, "Take these steps:"),
        (SentenceKind.LIST_ITEM, "Switch off lights at night."),
        (SentenceKind.LIST_ITEM, "Fix leaks, e.g. dripping taps, the same week."),
    ]


def test_a_paragraph_wrapped_over_lines_is_one_sentence() -> None:
    assert kinds("An LED lamp uses up to 90% less\nenergy than an old bulb.") == [
        (SentenceKind.SENTENCE, "An LED lamp uses up to 90% less energy than an old bulb.")
    ]


def test_a_table_row_reads_as_a_sentence_against_its_header() -> None:
    text = "| Year | Factor (tCO2e/MWh) |\n|---|---|\n| 2023 | 0.6592 |\n"
    assert kinds(text) == [(SentenceKind.SENTENCE, "Year: 2023; Factor (tCO2e/MWh): 0.6592")]


def test_sentence_ends_in_every_script() -> None:
    assert [s.text for s in split_sentences("ប្រយោគទីមួយនេះវែងល្មម។ ប្រយោគទីពីរនេះក៏វែងល្មមដែរ។")] == ["ប្រយោគទីមួយនេះវែងល្មម។", "ប្រយោគទីពីរនេះក៏វែងល្មមដែរ។"]
    assert [s.text for s in split_sentences("ဒါက ပထမဝါကျ ဖြစ်ပါတယ်။ ဒါက ဒုတိယဝါကျ ဖြစ်ပါတယ်။")] == ["ဒါက ပထမဝါကျ ဖြစ်ပါတယ်။", "ဒါက ဒုတိယဝါကျ ဖြစ်ပါတယ်။"]
    thai = "ร้านค้าส่วนใหญ่ลดค่าไฟฟ้าได้ด้วยการปรับเปลี่ยนที่ใช้เงินน้อย ก่อนจะต้องซื้อเครื่องจักรใหม่"
    assert [s.text for s in split_sentences(thai)] == [thai]  # a short run of phrases stays whole


def test_a_long_sentence_is_split_at_semicolons_and_a_part_that_cannot_stand_alone_is_never_quoted() -> None:
    long = "The first part of this rule is long and complete on its own " * 4 + "; and the second part only continues it, " * 1 + "on and on " * 20
    units = split_sentences(long.strip())
    assert [u.quotable for u in units] == [True, False] and all(len(u.text) <= MAX_CHARS for u in units)
    wall = " ".join(["word"] * 200) + "."
    [unit] = split_sentences(wall)
    assert unit.kind is SentenceKind.LONG and not unit.quotable  # kept for search, never cut


def test_list_items_that_finish_a_lead_in_are_read_with_it() -> None:
    text = "The EUDR applies:\n- from **30 December 2026** for large operators;\n- from 30 June 2027 for small ones.\n"
    assert kinds(text) == [
        (SentenceKind.LEAD_IN, "The EUDR applies:"),
        (SentenceKind.LIST_ITEM, "The EUDR applies: from 30 December 2026 for large operators."),
        (SentenceKind.LIST_ITEM, "The EUDR applies: from 30 June 2027 for small ones."),
    ]


def test_a_labelled_pointer_to_another_guide_is_never_quoted() -> None:
    text = "- **Malaysia:** see [green finance in Malaysia](green-finance-malaysia.md) for the GTFS."
    assert kinds(text) == [(SentenceKind.META, "Malaysia: see green finance in Malaysia for the GTFS.")]


def test_an_item_that_ends_in_a_semicolon_is_never_quoted_alone() -> None:
    assert kinds("- (2) the priority actions and how fast each must restart;") == [
        (SentenceKind.LEAD_IN, "(2) the priority actions and how fast each must restart;")
    ]


def test_the_guide_about_itself_with_the_verb_first_or_other_words_for_this_guide() -> None:
    for text in (
        "Tinatalakay ng pahinang ito ang hinihingi ng EUDR at kung kailan ito ipapatupad.",  # Filipino: "discusses this page …"
        "Ipinapaliwanag ng gabay na ito kung paano makatipid.",
        "Bài viết này giải thích CBAM là gì.",
    ):
        assert kinds(text)[0][0] is SentenceKind.META, text
    assert kinds("Ang pautang ng SME Bank ay hanggang USD 300,000.")[0][0] is SentenceKind.SENTENCE


def test_a_pointer_to_another_guide_is_never_quoted_in_any_word_order() -> None:
    """Translations put "see" where their grammar wants it: before the link, after it, or mid-sentence."""
    pointers = [
        "For ways to protect workers, see [heat stress at work](heat-stress-at-work.md).",
        "សម្រាប់ជំហានសន្សំទឹកបន្ថែម សូមមើល [ប្រសិទ្ធភាពទឹក និងធនធាន](water-and-resource-efficiency.md)។",
        "[ရေခဲသေတ္တာ စရိတ်ချွေတာနည်း](refrigeration-savings.md) ကို ကြည့်ပါ။",
        "ดูว่าหลอด LED ประหยัดได้เท่าไรที่[วิธีประหยัดพลังงานแบบเห็นผลเร็ว](energy-saving-quick-wins.md)",
        # "read" rather than "see"
        "- Nếu bạn dùng tủ lạnh hoặc máy nén khí, hãy đọc [tiết kiệm điện cho tủ lạnh](refrigeration-savings.md).",
        "- หากคุณใช้ตู้เย็น อ่านเรื่อง[การประหยัดค่าไฟตู้เย็นและตู้แช่](refrigeration-savings.md)",
        "- បើលោកអ្នកប្រើទូទឹកកក សូមអាន [ការសន្សំលើទូទឹកកក និងទូកក](refrigeration-savings.md)។",
        "- ຖ້າທ່ານໃຊ້ຕູ້ເຢັນ, ໃຫ້ອ່ານ [ການປະຢັດພະລັງງານຂອງຕູ້ເຢັນ](refrigeration-savings.md).",
        "- ရေခဲသေတ္တာများ သုံးပါက [ရေခဲသေတ္တာ စရိတ်ချွေတာနည်း](refrigeration-savings.md) ကို ဖတ်ပါ။",
    ]
    for text in pointers:
        assert [kind for kind, _ in kinds(text)] == [SentenceKind.META], text
    # A link to another guide without "see" is a sentence like any other.
    assert kinds("The [quick wins](quick-wins.md) guide lists ten cheap steps.")[0][0] is SentenceKind.SENTENCE


def test_in_thai_and_lao_a_line_is_a_sentence_and_a_longer_run_is_never_cut_at_a_space() -> None:
    """A space in Thai or Lao ends a phrase as often as a sentence ("motors, fans and pumps"): only a
    line break, which the guides put at each sentence end, splits a paragraph."""
    first = "มอเตอร์หลายตัวเดินนานกว่าที่งานต้องการ"
    second = "เดินสำรวจโรงงานในช่วงพัก แล้วจดรายการมอเตอร์ พัดลม และปั๊มทุกตัวที่ยังเดินอยู่ทั้งที่ไม่มีงานทำ"
    assert [s.text for s in split_sentences(f"{first}\n{second}\n")] == [first, second]
    assert [s.text for s in split_sentences(f"- {first}\n  {second}\n")] == [first, second]
    run = " ".join([second] * 5)  # no line break: one unit, too long to quote, kept for search
    [unit] = split_sentences(run)
    assert unit.text == run and not unit.quotable
    lao = "ສະຖານທີ່ແຫ່ງນີ້ຢູ່ໃນ ສປປ. ລາວ ແລະ ໄທ ມາແລ້ວຫຼາຍປີ."  # an abbreviation's dot ends no sentence
    assert [s.text for s in split_sentences(lao + " ປະໂຫຍກທີສອງກໍຍາວພໍສົມຄວນ.")] == [lao, "ປະໂຫຍກທີສອງກໍຍາວພໍສົມຄວນ."]
    english = "A paragraph wrapped\nover two lines is one sentence."
    assert [s.text for s in split_sentences(english)] == ["A paragraph wrapped over two lines is one sentence."]


def test_a_sentence_that_announces_the_list_after_it_is_a_lead_in_even_with_a_full_stop() -> None:
    text = "မလေးရှားရှိ GTFS 4.0 အရ (GTFS; CGC) အောက်ပါ သတ်မှတ်ချက်များ ရှိခဲ့သည်။\n- ငွေချေးသူတွင် မလေးရှား ရှယ်ယာပိုင်ဆိုင်မှု အနည်းဆုံး 60% ရှိရမည်။\n"
    assert [kind for kind, _ in kinds(text)] == [SentenceKind.LEAD_IN, SentenceKind.LIST_ITEM]
    # The same words with no list after them are a sentence.
    assert kinds("The following year the fund doubled.")[0][0] is SentenceKind.SENTENCE


def test_a_guides_question_to_the_reader_is_marked_in_every_script() -> None:
    assert kinds("- How fast does it pay?")[0][0] is SentenceKind.QUESTION
    assert kinds("- Gaano kalapit ang sukatan sa inyong lugar?")[0][0] is SentenceKind.QUESTION
    assert kinds("trigger အဆင့်တစ်ခုစီတွင် မည်မျှ ပေးချေမည်နည်း။")[0][0] is SentenceKind.QUESTION
    assert kinds("Ask your insurer how fast it pays.")[0][0] is SentenceKind.SENTENCE


def test_the_steps_in_another_guide_are_a_pointer_in_every_language() -> None:
    for line in (
        "Fans and cooling use electricity, so combine them with the steps in [energy-saving quick wins](energy-saving-quick-wins.md).",
        "ប្រើអគ្គិសនី ដូច្នេះសូមអនុវត្តវារួមជាមួយជំហាននៅក្នុង [វិធីសន្សំថាមពលងាយៗ](energy-saving-quick-wins.md)។",
        "ယိုစိမ့်မှုများကို ရှာဖွေပြုပြင်ရန် [ဖိသိပ်လေ ယိုစိမ့်မှုများ](compressed-air-leaks.md) ရှိ အဆင့်များကို လိုက်နာပါ။",
    ):
        assert kinds(line)[0][0] is SentenceKind.META, line


def test_a_sentence_may_end_in_an_acronym_or_a_unit_but_not_in_an_initial_or_a_company_form() -> None:
    text = (
        "Importers bring CBAM goods into the EU. They buy the certificates. "
        "Set the air conditioner to 25°C. In Singapore that is the advice. "
        "Ask J. Smith at PT. Bank Contoh about the loan."
    )
    assert [s.text for s in split_sentences(text)] == [
        "Importers bring CBAM goods into the EU.",
        "They buy the certificates.",
        "Set the air conditioner to 25°C.",
        "In Singapore that is the advice.",
        "Ask J. Smith at PT. Bank Contoh about the loan.",
    ]


def test_a_sentence_that_opens_with_a_pronoun_or_a_connective_leans_on_the_one_before() -> None:
    for line in (
        "So an LED gives much more light for the same electricity.",
        "They must buy and surrender CBAM certificates.",
        "Turn them into a footprint with a free tool.",
        "Vì vậy, cách so sánh hữu ích nhất là với lượng nước bạn đã dùng trước đây.",
        "Karena itu, pembanding yang paling berguna adalah pemakaian Anda sendiri.",
        "Kaya mas maraming liwanag ang ibinibigay ng LED.",
        "ดังนั้นเมื่อผู้ซื้อต้องการวัดคาร์บอนฟุตพรินต์ ผู้ซื้อก็ต้องใช้ตัวเลขจากคุณ",
        "ដូច្នេះ អតិថិជនខ្នាតតូចនៅ EU អាចត្រូវបានលើកលែង។",
    ):
        assert leans_back(line), line
    for line in (
        "Set the air conditioner to 25°C.",
        "Chúng tôi chưa xác nhận được các điều kiện.",  # "we", not "they"
        "Những thiết bị phù hợp để lắp biến tần: máy bơm.",  # a plural, not "these"
        "แต่ละกลุ่มต้องได้รับการรับรอง",  # Thai "each", which begins like "but"
        "ແຕ່ງອາຫານໃຫ້ໃກ້ຄຽງກັບຄວາມຕ້ອງການຕົວຈິງ.",  # Lao "cook", which begins like "but"
    ):
        assert not leans_back(line), line
