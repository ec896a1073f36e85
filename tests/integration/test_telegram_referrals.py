"""Referral to a person end to end: the real Application against the fake Bot API, on the
made-up places in tests/data/knowledge/referrals. The bot shows whom to ask; a case summary is
written only on the owner's yes, holds no Telegram identifier and goes to no one else."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from bot.retrieval import HybridRetriever
from tests.integration.bots import RunningBot, StartBot

pytestmark = pytest.mark.integration

OWNER = 4242  # the owner's Telegram id, which no summary may carry
QUESTION = "How much electricity do LED lamps save in a shop?"


@pytest.fixture
async def bot(start_bot: StartBot, tiny_knowledge: Path, tiny_retriever: HybridRetriever) -> RunningBot:
    return await start_bot(paths={"knowledge_dir": tiny_knowledge}, with_retriever=tiny_retriever, today=dt.date(2026, 12, 10))


async def _profile(bot: RunningBot, *taps: str, language_code: str) -> None:
    for data in taps:
        bot.api.push_callback(data, user_id=OWNER, language_code=language_code)
        await bot.api.wait_for(len(bot.api.sent("editMessageText")) + 1, "editMessageText")


def _data(bot: RunningBot, call: dict[str, object]) -> list[str | None]:
    return [b.get("callback_data") for b in bot.buttons(call)]


async def test_the_button_under_an_answer_shows_whom_to_ask_and_yes_writes_a_summary_to_forward(bot: RunningBot) -> None:
    api = bot.api
    await _profile(bot, "country:VN", "sector:food", language_code="en")
    api.push_text(QUESTION, user_id=OWNER)
    [answer] = await api.wait_for(1)
    assert _data(bot, answer)[-1] == "advisor:ask" and bot.buttons(answer)[-1]["text"] == "🧑‍💼 Talk to a person"

    api.push_callback("advisor:ask", user_id=OWNER)
    listing, consent = (await api.wait_for(3))[1:]
    assert listing["text"].startswith("You can ask a person at these places in Viet Nam. Contact them yourself: I share nothing with anyone.")
    assert (
        "Test SME Support Desk\nA made-up desk for tests: it answers questions about green loans.\n"
        "Website: https://example.org/sme-desk · Phone: +84 00 0000 0000" in listing["text"]
    )
    assert "Email: centre@example.org · Address: 1 Test Street, Ha Noi" in listing["text"]
    assert listing["text"].index("Viet Nam") < listing["text"].index("All of ASEAN:") < listing["text"].index("Test ASEAN Portal")
    assert consent["text"].startswith("Shall I write a short summary of your case") and _data(bot, consent) == ["advisor:yes", "advisor:no"]

    api.push_callback("advisor:yes", user_id=OWNER)
    summary = (await api.wait_for(4))[3]
    edited = api.sent("editMessageText")[-1]
    assert edited["text"].startswith("Here is your case summary. Forward or copy the next message") and "reply_markup" not in edited
    assert summary["text"] == (
        f"Request for advice on the green transition of a small business\nCountry: Viet Nam\nBusiness: Food and drink\nQuestion: {QUESTION}"
    )
    assert str(OWNER) not in summary["text"] and f"User{OWNER}" not in summary["text"]
    assert {int(call["chat_id"]) for call in api.sent()} == {OWNER}  # nothing went anywhere but the owner's chat


async def test_a_rated_answer_keeps_the_way_to_a_person(bot: RunningBot) -> None:
    api = bot.api
    api.push_text(QUESTION, user_id=OWNER)
    [answer] = await api.wait_for(1)
    api.push_callback(_data(bot, answer)[1] or "", user_id=OWNER)  # 👎
    [edited] = await api.wait_for(1, "editMessageReplyMarkup")
    assert _data(bot, edited) == ["advisor:ask"]


async def test_asking_in_words_in_vietnamese_and_saying_no_writes_nothing(bot: RunningBot) -> None:
    api = bot.api
    await _profile(bot, "lang:vi", "country:VN", language_code="vi")
    api.push_text(QUESTION, user_id=OWNER, language_code="vi")
    await api.wait_for(1)
    api.push_text("tôi muốn nói chuyện với chuyên gia", user_id=OWNER, language_code="vi")
    listing, consent = (await api.wait_for(3))[1:]
    assert listing["text"].startswith("Bạn có thể hỏi trực tiếp một người tại các nơi sau ở Việt Nam.")
    assert "Bàn hỗ trợ giả định để kiểm thử" in listing["text"] and "Điện thoại: +84 00 0000 0000" in listing["text"]
    assert "reply_markup" not in listing  # a referral is not rated
    assert [b["text"] for b in bot.buttons(consent)] == ["Có, hãy viết", "Không, cảm ơn"]

    api.push_callback("advisor:no", user_id=OWNER, language_code="vi")
    declined = (await api.wait_for(len(api.sent("editMessageText")) + 1, "editMessageText"))[-1]
    assert declined["text"] == "Được rồi: tôi không chuẩn bị gì cả. Bạn có thể dùng các đầu mối liên hệ ở trên bất cứ lúc nào."
    assert len(api.sent()) == 3  # no summary
    rows = await bot.rows("turns", OWNER)
    assert [row[2] for row in rows] == [QUESTION]  # the request for a person is not a question a summary would quote


async def test_without_a_country_the_asean_wide_places_and_a_summary_that_says_what_is_missing(bot: RunningBot) -> None:
    api = bot.api
    api.push_text("can I talk to a real person?", user_id=OWNER)
    listing, consent = await api.wait_for(2)
    assert _data(bot, consent) == ["advisor:yes", "advisor:no"]
    assert listing["text"].startswith("You can ask a person at these places across ASEAN. Set your country")
    assert "Test ASEAN Portal" in listing["text"] and "Test SME Support Desk" not in listing["text"]
    api.push_callback("advisor:yes", user_id=OWNER)
    summary = (await api.wait_for(3))[2]
    assert summary["text"].endswith("Country: not given\nBusiness: not given\nQuestion: not given")
    assert "advisor" not in json.dumps(summary)  # the summary is plain text, without buttons


async def test_advisor_command_shows_the_places_of_the_owners_country_and_asks_once(bot: RunningBot) -> None:
    api = bot.api
    await _profile(bot, "lang:th", "country:VN", language_code="th")
    api.push_text("/advisor", user_id=OWNER, language_code="th")
    listing, consent = await api.wait_for(2)
    assert "+84 00 0000 0000" in listing["text"] and "เวียดนาม" in listing["text"]
    assert _data(bot, consent) == ["advisor:yes", "advisor:no"]


async def test_in_a_group_the_places_are_shown_but_no_summary_is_offered(bot: RunningBot) -> None:
    api = bot.api
    api.push_text(QUESTION, user_id=OWNER)  # asked in the private chat: a group must never see it
    await api.wait_for(1)
    api.push_text("/advisor", user_id=OWNER, chat_id=-100)
    [listing] = (await api.wait_for(2))[1:]
    assert int(listing["chat_id"]) == -100 and listing["text"].startswith("You can ask a person at these places across ASEAN.")
    await asyncio.sleep(0.5)  # time for a consent question to follow, were there one
    assert len(api.sent()) == 2 and QUESTION not in listing["text"]
