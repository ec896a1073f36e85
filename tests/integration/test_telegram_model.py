"""The bot with a model (the local OpenAI-compatible server, streaming), end to end through the
real Application and the fake Bot API: the answer's deadline, the order of a chat's answers, and
what an owner sees while an answer is written (drafts, or one message edited)."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from bot.retrieval import HybridRetriever
from tests.integration.bots import RunningBot, StartBot
from tests.servers.bot_api import BOT
from tests.servers.openai_compatible import FakeOpenAI, Reply
from tests.servers.uvicorn_thread import free_port

pytestmark = pytest.mark.integration

StartModelBot = Callable[..., Coroutine[Any, Any, RunningBot]]


@pytest.fixture
def start_model_bot(start_bot: StartBot, tiny_knowledge: Path, tiny_retriever: HybridRetriever, fake_openai: FakeOpenAI) -> StartModelBot:
    """The bot on the small knowledge folder, answering with the local model server."""

    async def start(*, telegram: dict[str, Any] | None = None, **llm: Any) -> RunningBot:
        model = {"base_url": fake_openai.base_url, "answer_model": "test-model", "max_retries": 0, **llm}  # type: ignore[attr-defined]
        return await start_bot(paths={"knowledge_dir": tiny_knowledge}, with_retriever=tiny_retriever, llm=model, telegram=telegram)

    return start


async def test_a_hung_model_server_gives_the_offline_answer_at_the_deadline(
    start_model_bot: StartModelBot, fake_openai: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_model_bot(deadline_s=0.5, timeout_s=30)
    fake_openai.enqueue(Reply(text="too late [1].", delay_s=3.0))
    bot.api.push_text("How much do LED lamps save?")
    [reply] = await bot.api.wait_for(1)
    assert "AI service is not answering" in reply["text"] and "<b>Sources</b>" in reply["text"]
    assert "timed out: no complete reply within the answer's deadline" in caplog.text  # the cause, not a generic failure
    assert len(fake_openai.answer_requests) == 1


async def test_a_second_question_waits_for_the_first_answer_of_the_same_chat(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot()
    fake_openai.enqueue(Reply(text="First: count the bulbs that burn longest [1].", delay_s=0.5), "Second: replace those with LED lamps [1].")
    bot.api.push_text("Which bulbs should I change first?")
    bot.api.push_text("And then what?")
    first, second = await bot.api.wait_for(2)
    assert first["text"].startswith("First:") and second["text"].startswith("Second:")
    questions = [row[2] for row in await bot.rows("turns")]
    assert questions == ["Which bulbs should I change first?", "And then what?"]


async def test_the_log_names_a_refusing_model_server(start_model_bot: StartModelBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.pipeline.answer")
    bot = await start_model_bot(base_url=f"http://127.0.0.1:{free_port()}/v1")
    bot.api.push_text("How much do LED lamps save?")
    [reply] = await bot.api.wait_for(1)
    assert "AI service is not answering" in reply["text"]
    assert "refused the connection" in caplog.text


# --- what an owner sees while the answer is written ---------------------------------------------

WORDS = "Count the bulbs that burn longest each day, then replace those first with LED lamps of the same brightness [1]."


def _grows(texts: list[str], min_words: int) -> bool:
    """Each text continues the one before with at least `min_words` more words."""
    pairs = itertools.pairwise(texts)
    return all(later.startswith(earlier) and len(later.split()) - len(earlier.split()) >= min_words for earlier, later in pairs)


async def test_a_private_chat_sees_paced_drafts_then_the_checked_answer_with_sources_and_buttons(
    start_model_bot: StartModelBot, fake_openai: FakeOpenAI
) -> None:
    bot = await start_model_bot(telegram={"draft_every_s": 0.5, "preview_min_words": 3}, stream_every_s=0.1)
    bot.api.min_interval_s["sendMessageDraft"] = 0.5
    fake_openai.tokens_per_s = 12
    fake_openai.enqueue(WORDS)
    bot.api.push_text("Which bulbs should I change first?")
    [reply] = await bot.api.wait_for(1)
    drafts = bot.api.sent("sendMessageDraft")
    assert len(drafts) >= 2 and len({d["draft_id"] for d in drafts}) == 1 and drafts[0]["draft_id"] != 0
    assert _grows([d["text"] for d in drafts], 3) and "parse_mode" not in drafts[0]
    assert bot.api.floods == []  # the bot's pace never made the server refuse one
    order = [c.method for c in bot.api.calls if c.method in ("sendMessageDraft", "sendMessage")]
    assert order[-1] == "sendMessage" and reply["text"].startswith(WORDS) and "<b>Sources</b>" in reply["text"]
    assert "fb:up:" in json.dumps(reply["reply_markup"])


async def test_a_citation_the_draft_showed_is_gone_from_the_answer_if_it_fails_the_check(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot(telegram={"preview_min_words": 3})
    fake_openai.tokens_per_s = 10
    fake_openai.enqueue("Bulbs [7] burning longest go first, then the rest [1].")
    bot.api.push_text("Which bulbs should I change first?")
    [reply] = await bot.api.wait_for(1)
    assert "[7]" in bot.api.sent("sendMessageDraft")[0]["text"]
    assert reply["text"].startswith("Bulbs burning longest go first, then the rest [1].") and "[7]" not in reply["text"]


async def test_a_draft_the_server_stops_writing_is_replaced_by_the_offline_answer(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot(deadline_s=20, timeout_s=1.0, stream_every_s=0.1)
    fake_openai.tokens_per_s = 8
    fake_openai.enqueue(Reply(text=" ".join([WORDS] * 3), stall_after=12))  # 1.5 s of words, then nothing
    bot.api.push_text("Which bulbs should I change first?")
    [reply] = await bot.api.wait_for(1)
    assert bot.api.sent("sendMessageDraft")  # the owner saw it being written ...
    assert "AI service is not answering" in reply["text"] and "<b>Sources</b>" in reply["text"]  # ... and then the quoted answer


async def test_a_refused_draft_switches_the_bot_to_one_message_edited_as_it_grows(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot(telegram={"edit_every_s": 0.5, "preview_min_words": 3}, stream_every_s=0.1)
    bot.api.fail_next("sendMessageDraft", 400, "Bad Request: method is not available for this chat")
    fake_openai.tokens_per_s = 12
    fake_openai.enqueue(WORDS, WORDS)
    for asked in (1, 2):  # the second answer is previewed by editing from the start
        bot.api.push_text("Which bulbs should I change first?")
        async with asyncio.timeout(30):
            while len(answers := [e for e in bot.api.sent("editMessageText") if "reply_markup" in e]) < asked:
                await asyncio.sleep(0.05)
    previews = bot.api.sent()
    assert len(bot.api.sent("sendMessageDraft")) == 1  # only the refused one
    assert len(previews) == 2 and all("parse_mode" not in p and WORDS.startswith(p["text"]) for p in previews)  # each answer's first preview
    assert all(a["text"].startswith(WORDS) and a["parse_mode"] == "HTML" and "<b>Sources</b>" in a["text"] for a in answers)
    assert answers[0]["message_id"] != answers[1]["message_id"]  # each preview message became its answer


async def test_in_a_group_the_answer_comes_once_after_typing(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot()
    fake_openai.tokens_per_s = 20
    fake_openai.enqueue(WORDS)
    bot.api.push_text(f"@{BOT['username']} which bulbs should I change first?", chat_id=-100)
    [reply] = await bot.api.wait_for(1)
    assert reply["text"].startswith(WORDS) and bot.api.sent("sendChatAction")
    assert bot.api.sent("sendMessageDraft") == [] and bot.api.sent("editMessageText") == []


async def test_a_retry_after_on_a_draft_holds_the_next_one_back_as_long_as_asked(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot(telegram={"draft_every_s": 0.3, "preview_min_words": 1}, stream_every_s=0.05)
    bot.api.min_interval_s["sendMessageDraft"] = 1.5  # the server is stricter than the bot's own pace
    fake_openai.tokens_per_s = 10
    fake_openai.enqueue(" ".join([WORDS] * 2))
    bot.api.push_text("Which bulbs should I change first?")
    await bot.api.wait_for(1)
    assert bot.api.floods  # refused at least once ...
    drafts = [c for c in bot.api.calls if c.method == "sendMessageDraft"]
    for refused in bot.api.floods:  # ... and each time nothing came before the time it was told
        later = [c.at for c in drafts if c.at > refused.at]
        assert not later or later[0] >= refused.at + 1


async def test_the_settings_can_choose_editing_over_drafts(start_model_bot: StartModelBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_model_bot(telegram={"preview": "edit", "edit_every_s": 0.5})
    fake_openai.tokens_per_s = 12
    fake_openai.enqueue(WORDS)
    bot.api.push_text("Which bulbs should I change first?")
    [preview] = await bot.api.wait_for(1)
    async with asyncio.timeout(30):
        while not any("reply_markup" in e for e in bot.api.sent("editMessageText")):
            await asyncio.sleep(0.05)
    assert bot.api.sent("sendMessageDraft") == [] and WORDS.startswith(preview["text"])
