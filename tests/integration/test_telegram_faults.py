"""The bot against a Bot API that fails, stalls, re-delivers or sends what it should not, and
against users who flood it or send what no keyboard made: nothing leaks, no answer is lost,
none is sent twice, and the bot keeps serving."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
import pytest

from bot.tg.webhook import SECRET_HEADER
from tests.integration.bots import RunningBot, StartBot
from tests.servers.bot_api import FakeBotAPI
from tests.servers.uvicorn_thread import free_port

pytestmark = pytest.mark.integration

QUESTION = "How much do LED lamps save?"
SOURCES = "<b>Sources</b>"


async def _quiet(api: FakeBotAPI, seconds: float = 0.5) -> None:
    """Let the bot handle what it has been sent; used before asserting that nothing more came."""
    await asyncio.sleep(seconds)


# --- private data ---------------------------------------------------------------------------------


async def test_mydata_in_a_group_sends_nothing_but_a_link_to_the_private_chat(bot: RunningBot) -> None:
    api = bot.api
    api.push_text(QUESTION)
    await api.wait_for(1)
    api.push_text("/mydata", chat_id=-100)
    [reply] = (await api.wait_for(2))[1:]
    assert int(reply["chat_id"]) == -100 and "https://t.me/greenguide_test_bot?start=mydata" in reply["text"]
    assert QUESTION not in reply["text"] and api.sent("sendDocument") == []
    api.push_text("/start mydata")  # the deep link opens the private chat with this
    [document] = await api.wait_for(1, "sendDocument")
    assert int(document["chat_id"]) == 1 and QUESTION in document["document"]["content"].decode()


async def test_an_update_the_library_cannot_read_is_skipped_once_without_its_contents(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bad = bot.api.text_update("my supplier's secret price list", user_id=31337)
    bad["message"]["date"] = "yesterday"  # what another Bot API version might send
    bad_id = bot.api.push_raw(bad)
    bot.api.push_text(QUESTION)
    [answer] = await bot.api.wait_for(1)
    assert SOURCES in answer["text"]
    await _quiet(bot.api)
    reports = [r for r in caplog.records if str(bad_id) in r.getMessage() and "skipped" in r.getMessage()]
    assert len(reports) == 1 and "TypeError" in reports[0].getMessage()
    assert not [r for r in caplog.records if "secret price list" in r.getMessage() or "31337" in r.getMessage()]


# --- no answer lost, none sent twice -----------------------------------------------------------------


@pytest.mark.parametrize("failures", [1, 3])
async def test_bad_gateways_on_sending_are_retried_and_the_owner_gets_the_answer(bot: RunningBot, failures: int) -> None:
    for _ in range(failures):
        bot.api.fail_next("sendMessage", 502, "Bad Gateway")
    bot.api.push_text(QUESTION, language_code="tl")
    sent = await bot.api.wait_for(failures + 1)
    assert SOURCES in sent[-1]["text"] and all(call["text"] == sent[-1]["text"] for call in sent)
    await _quiet(bot.api)
    assert len(bot.api.sent()) == failures + 1  # the answer, tried failures + 1 times; no apology


async def test_a_send_that_times_out_but_arrives_late_is_neither_repeated_nor_apologised_for(start_bot: StartBot) -> None:
    bot = await start_bot(telegram={"request_timeout_s": 0.5})
    bot.api.stall_next("sendMessage", 1.5)  # Telegram delivers, but answers after the client gave up
    bot.api.push_text(QUESTION)
    [answer] = await bot.api.wait_for(1)
    await _quiet(bot.api, 2.0)
    assert SOURCES in answer["text"] and len(bot.api.sent()) == 1


async def test_the_apology_comes_only_when_the_answer_truly_could_not_be_delivered(start_bot: StartBot) -> None:
    bot = await start_bot(telegram={"retry_budget_s": 0.2, "retry_backoff_s": 0.05})
    for _ in range(4):  # 0, 0.05 and 0.15 s: three tries fail and the budget is spent; the 4th fails the apology's first try
        bot.api.fail_next("sendMessage", 502, "Bad Gateway")
    bot.api.push_text(QUESTION, language_code="tl")
    sent = await bot.api.wait_for(5)
    assert sent[-1]["text"].startswith("Paumanhin") and SOURCES not in sent[-1]["text"]


async def test_updates_answered_before_a_crash_are_not_answered_again(start_bot: StartBot) -> None:
    first = await start_bot()
    first.api.push_text(QUESTION)
    await first.api.wait_for(1)
    await _quiet(first.api)
    first.stop.set()
    await first.task
    second = await start_bot()  # same database; it polls from the start, so Telegram re-delivers the update
    second.api.push_text("How do I prepare my shop for floods?")
    await second.api.wait_for(2)
    await _quiet(second.api)
    texts = [call["text"] for call in second.api.sent()]
    assert len(texts) == 2 and sum(SOURCES in t for t in texts) == 2 and texts[0] != texts[1]


async def test_an_edited_message_is_not_answered_again(bot: RunningBot) -> None:
    bot.api.push_text(QUESTION)
    await bot.api.wait_for(1)
    bot.api.push_edit(QUESTION.replace("LED", "LED light"))
    bot.api.push_text("/help")
    await bot.api.wait_for(2)
    await _quiet(bot.api)
    assert len(bot.api.sent()) == 2


# --- floods and forged input ----------------------------------------------------------------------


async def test_a_flooding_user_is_told_to_slow_down_once_per_window(start_bot: StartBot) -> None:
    bot = await start_bot(telegram={"questions_per_minute": 1})
    for _ in range(6):
        bot.api.push_text(QUESTION, language_code="vi")
    await bot.api.wait_for(2)
    await _quiet(bot.api)
    texts = [call["text"] for call in bot.api.sent()]
    assert len(texts) == 2 and texts.count(bot.services.prompts.message("vi", "rate_limited_minute")) == 1


@pytest.mark.parametrize(
    ("data", "inline"),
    [("fb:up:99999999999999999999999", False), ("fb:up:12", True), ("no-such-button", False), ("why:1:" + "x" * 40, False)],
    ids=["number-too-large", "inline-message", "unknown", "garbled-reason"],
)
async def test_every_tap_is_answered_and_what_no_keyboard_made_is_ignored(bot: RunningBot, data: str, inline: bool) -> None:
    bot.api.push_callback(data, inline=inline)
    bot.api.push_text("/help")  # the bot keeps serving
    await bot.api.wait_for(1)
    [answered] = await bot.api.wait_for(1, "answerCallbackQuery")
    await _quiet(bot.api)
    assert "text" not in answered and len(bot.api.sent()) == 1 and bot.api.sent("editMessageText") == []


async def test_the_webhook_refuses_huge_broken_and_deep_bodies_and_skips_unreadable_updates(start_bot: StartBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = await start_bot(telegram={"webhook_url": url, "webhook_secret": "s3cret", "webhook_port": port})
    secret = {SECRET_HEADER: "s3cret"}
    unreadable = bot.api.text_update("private words")
    unreadable["message"]["date"] = "yesterday"
    async with httpx.AsyncClient() as client:
        for _ in range(100):  # uvicorn starts in the background
            try:
                await client.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
        assert (await client.post(url, content=b"x" * (2 << 20), headers=secret)).status_code == 413
        assert (await client.post(url, content=b"{not json", headers=secret)).status_code == 400
        assert (await client.post(url, content=b"[" * 100_000 + b"]" * 100_000, headers=secret)).status_code == 400
        assert (await client.post(url, json=unreadable, headers=secret)).status_code == 200  # acknowledged, or Telegram sends it again
        statuses = [(await client.post(url, json=unreadable, headers={SECRET_HEADER: "guess"})).status_code for _ in range(50)]
        assert set(statuses) == {403}
        assert (await client.post(url, json=bot.api.text_update(QUESTION), headers=secret)).status_code == 200
    [answer] = await bot.api.wait_for(1)
    assert SOURCES in answer["text"]
    refusals = [r for r in caplog.records if r.name == "bot.tg.webhook"]
    assert 1 <= len(refusals) <= 2  # a counter, not a line per request
    assert not [r for r in caplog.records if "private words" in r.getMessage()]


async def test_logs_never_show_the_token(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bot.api.fail_next("sendMessage", 502, "Bad Gateway")
    bot.api.push_text(QUESTION)
    await bot.api.wait_for(2)
    assert "123:TEST" not in json.dumps([r.getMessage() for r in caplog.records])
