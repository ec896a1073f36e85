"""/programmes end to end: the real Application against the fake Bot API, on the made-up
programmes in tests/data/knowledge/programmes, on a fixed day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import Directory
from bot.retrieval import HybridRetriever
from tests.integration.bots import RunningBot, StartBot

pytestmark = pytest.mark.integration

TODAY = dt.date(2026, 12, 10)  # the closed grant ended on 2026-06-30; the Thai audit opens on 2027-01-01


@pytest.fixture
async def bot(start_bot: StartBot, tiny_knowledge: Path, tiny_retriever: HybridRetriever) -> RunningBot:
    return await start_bot(paths={"knowledge_dir": tiny_knowledge}, with_retriever=tiny_retriever, today=TODAY)


async def _profile(bot: RunningBot, *taps: str, language_code: str) -> None:
    """Tap profile buttons one after the other (taps at once would race on the profile row)."""
    for data in taps:
        bot.api.push_callback(data, language_code=language_code)
        await bot.api.wait_for(len(bot.api.sent("editMessageText")) + 1, "editMessageText")


def _data(bot: RunningBot, call: dict[str, object]) -> list[str | None]:
    return [b.get("callback_data") for b in bot.buttons(call)]


async def test_a_vietnamese_owner_lists_opens_a_card_and_may_qualify(bot: RunningBot) -> None:
    api = bot.api
    await _profile(bot, "lang:vi", "country:VN", "sector:food", language_code="vi")
    api.push_text("/programmes", language_code="vi")
    [listing] = await api.wait_for(1)
    assert listing["text"].startswith("Đang mở cho Việt Nam (Thực phẩm và đồ uống) và toàn ASEAN.")
    assert _data(bot, listing) == ["prog:vn-test-green-loan", "prog:vn-test-solar-loan", "prog:asean-test-label"]  # not the closed grant
    assert bot.buttons(listing)[0]["text"] == "Khoản vay xanh thử nghiệm"

    api.push_callback("prog:vn-test-green-loan", language_code="vi")
    card = (await api.wait_for(2))[1]["text"]
    assert card.startswith("<b>Khoản vay xanh thử nghiệm</b>\nTest Bank of Viet Nam · Việt Nam\nKhoản vay giả định")
    for part in (
        "<b>Bạn nhận được gì</b>\nTối đa 100 triệu đồng, lãi suất 5% một năm.",
        "<b>Ai có thể đăng ký</b>\n• Doanh nghiệp của bạn đăng ký tại Việt Nam.\n• Bạn có dưới 50 lao động.",
        "<b>Cách đăng ký</b>\nMang giấy đăng ký",
        "https://example.org/green-loan",
        "Chúng tôi kiểm tra lần cuối: 2026-11-20.",
    ):
        assert part in card
    assert "tiếng Anh" not in card  # every part has its Vietnamese
    buttons = bot.buttons(api.sent()[1])
    assert buttons[0]["callback_data"] == "check:vn-test-green-loan" and buttons[1]["url"] == "https://example.org/green-loan"

    api.push_callback("check:vn-test-green-loan", language_code="vi")
    question = (await api.wait_for(3))[2]
    assert question["text"] == "Câu hỏi 1/2. Điều này có đúng với doanh nghiệp của bạn không?\n\nDoanh nghiệp của bạn đăng ký tại Việt Nam."
    assert _data(bot, question) == ["elig:vn-test-green-loan:0:yes", "elig:vn-test-green-loan:0:no"]
    api.push_callback("elig:vn-test-green-loan:0:yes", language_code="vi")
    second = (await api.wait_for(4, "editMessageText"))[3]
    assert second["text"].startswith("Câu hỏi 2/2.") and second["text"].endswith("Bạn có dưới 50 lao động.")
    api.push_callback("elig:vn-test-green-loan:1:yes", language_code="vi")
    verdict = (await api.wait_for(5, "editMessageText"))[4]
    assert verdict["text"] == (
        "Bạn có thể đủ điều kiện cho Khoản vay xanh thử nghiệm. Cách đăng ký:\n\n"
        "Mang giấy đăng ký kinh doanh đến chi nhánh ngân hàng thử nghiệm.\nhttps://example.org/green-loan\n\n"
        "Đây chỉ là bước kiểm tra ban đầu, không phải lời hứa: chỉ Test Bank of Viet Nam mới quyết định."
    )
    assert bot.buttons(verdict)[0]["url"] == "https://example.org/green-loan"


async def test_a_thai_owner_answering_no_is_told_it_is_not_for_them_and_offered_others(bot: RunningBot) -> None:
    api = bot.api
    await _profile(bot, "lang:th", "country:VN", "sector:retail", language_code="th")
    api.push_callback("check:vn-test-solar-loan", language_code="th")
    [question] = await api.wait_for(1)
    assert question["text"].startswith("คำถามที่ 1 จาก 3 ")
    api.push_callback("elig:vn-test-solar-loan:0:yes", language_code="th")
    assert (await api.wait_for(4, "editMessageText"))[3]["text"].startswith("คำถามที่ 2 จาก 3 ")
    api.push_callback("elig:vn-test-solar-loan:1:no", language_code="th")
    verdict = (await api.wait_for(5, "editMessageText"))[4]
    assert verdict["text"] == (
        "โครงการนี้ไม่เหมาะกับคุณ เพราะคุณตอบว่าไม่ใช่สำหรับ “คุณเป็นเจ้าของอาคาร หรือเจ้าของอาคารยินยอมเป็นลายลักษณ์อักษร”\n\n"
        "นี่เป็นการตรวจสอบเบื้องต้น ไม่ใช่คำสัญญา Test Bank of Viet Nam เป็นผู้ตัดสินเท่านั้น\n\n"
        "โครงการเหล่านี้อาจเหมาะกับคุณ:"
    )
    assert [(b["text"], b["callback_data"]) for b in bot.buttons(verdict)] == [("สินเชื่อสีเขียวทดสอบ", "prog:vn-test-green-loan")]


async def test_a_closed_programme_is_never_offered_as_open(bot: RunningBot) -> None:
    api = bot.api
    await _profile(bot, "country:VN", language_code="en")
    api.push_text("/programmes")
    [listing] = await api.wait_for(1)
    assert "prog:vn-test-closed-grant" not in _data(bot, listing)
    api.push_callback("prog:vn-test-closed-grant")  # a button from before it closed
    card = (await api.wait_for(2))[1]
    assert "Closed since 2026-06-30: it takes no applications now. Last checked by us: 2026-05-01." in card["text"]
    assert [b.get("callback_data") for b in bot.buttons(card)] == [None]  # the website only, no check
    api.push_callback("check:vn-test-closed-grant")
    api.push_callback("elig:vn-test-closed-grant:0:yes")
    replies = await api.wait_for(4)
    assert [r["text"] for r in replies[2:]] == ["Closed since 2026-06-30: it takes no applications now."] * 2
    assert len(api.sent("editMessageText")) == 1  # the country choice only: no question, no verdict


async def test_without_a_country_only_asean_wide_programmes_and_english_stands_in_for_missing_khmer(bot: RunningBot) -> None:
    api = bot.api
    api.push_text("/programmes", language_code="km")
    [listing] = await api.wait_for(1)
    assert listing["text"].startswith("កំពុងបើកទូទាំងអាស៊ាន។") and _data(bot, listing) == ["prog:asean-test-label"]
    api.push_callback("prog:asean-test-label", language_code="km")
    card = (await api.wait_for(2))[1]["text"]
    assert card.startswith("<b>ស្លាកបៃតងសាកល្បង</b>\nTest ASEAN Centre · ទូទាំងអាស៊ាន")
    assert "A label to show buyers, valid for two years." in card and "Fill in the form on the test centre&#x27;s website." in card
    assert card.endswith("ផ្នែកខ្លះជាភាសាអង់គ្លេស ព្រោះមិនទាន់មានការបកប្រែ។")  # the English parts are marked as such


async def test_a_programme_that_left_the_directory_and_a_country_without_any(bot: RunningBot) -> None:
    api = bot.api
    api.push_callback("prog:gone-programme")
    [gone] = await api.wait_for(1)
    assert gone["text"] == "This programme is no longer on my list. Send /programmes to see the current ones."
    await _profile(bot, "country:TH", "sector:food", language_code="en")
    api.push_text("/programmes")  # the Thai audit opens in 2027 and is for factories: only the ASEAN-wide label
    assert _data(bot, (await api.wait_for(2))[1]) == ["prog:asean-test-label"]
    await _profile(bot, "country:MM", language_code="en")
    bot.services.directory = Directory(files=())  # as after a /reload that found no programme files
    api.push_text("/programmes")
    none = (await api.wait_for(3))[2]
    assert none["text"] == "I know of no programme open now for Myanmar (Food and drink). You can change your country or business with /profile."
    assert "reply_markup" not in none


async def test_programmes_is_in_the_help_and_the_command_menu(bot: RunningBot) -> None:
    bot.api.push_text("/help", language_code="lo")
    [help_text] = await bot.api.wait_for(1)
    assert "/programmes – ເງິນກູ້" in help_text["text"]
    assert all("programmes" in {c["command"] for c in call["commands"]} for call in bot.api.sent("setMyCommands"))
