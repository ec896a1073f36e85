"""👍/👎 reactions on answers as feedback, end to end through the real Application and the fake
Bot API (offline answers on the small knowledge folder)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from bot.retrieval import HybridRetriever
from tests.integration.bots import RunningBot, StartBot

pytestmark = pytest.mark.integration


@pytest.fixture
async def bot(start_bot: StartBot, tiny_knowledge: Path, tiny_retriever: HybridRetriever) -> RunningBot:
    return await start_bot(paths={"knowledge_dir": tiny_knowledge}, with_retriever=tiny_retriever)


async def _handled(bot: RunningBot, update_id: int) -> None:
    """Wait until the bot has handled the update (the update processor records it last)."""
    async with asyncio.timeout(30):
        while not await bot.services.handled.seen(update_id):
            await asyncio.sleep(0.02)


async def _answer(bot: RunningBot, question: str = "How much do LED lamps save?") -> dict[str, Any]:
    """Ask, and return the message that carries the answer (as the server sent it)."""
    bot.api.push_text(question)
    await bot.api.wait_for(len(bot.api.sent()) + 1)
    [call] = [c for c in bot.api.calls if c.method == "sendMessage"][-1:]
    assert "fb:up:" in str(call.params.get("reply_markup"))
    return dict(call.result)


async def test_reactions_are_asked_for_with_messages_and_taps(bot: RunningBot) -> None:
    bot.api.push_text("/help")
    await bot.api.wait_for(1)
    assert bot.api.allowed_updates is not None and "message_reaction" in bot.api.allowed_updates


async def test_a_thumbs_up_reaction_on_an_answer_is_a_rating_and_asks_nothing(bot: RunningBot) -> None:
    answer = await _answer(bot)
    await _handled(bot, bot.api.push_reaction(answer["message_id"], "👍"))
    [row] = await bot.rows("feedback")
    assert (row[2], row[7], row[8]) == ("How much do LED lamps save?", "up", None)
    assert len(bot.api.sent()) == 1  # no message for it


async def test_a_thumbs_down_reaction_asks_why_once_like_the_button(bot: RunningBot) -> None:
    answer = await _answer(bot)
    await _handled(bot, bot.api.push_reaction(answer["message_id"], "👎"))
    why = bot.api.sent()[-1]
    assert why["text"] == bot.services.prompts.message("en", "feedback_why")
    assert [b["callback_data"] for b in bot.buttons(why)] == [f"why:1:{r}" for r in ("wrong", "off_topic", "language", "too_long")]
    await _handled(bot, bot.api.push_reaction(answer["message_id"]))  # taken off ...
    await _handled(bot, bot.api.push_reaction(answer["message_id"], "👎"))  # ... and put back
    assert len(bot.api.sent()) == 2  # the answer and one "what was wrong?"
    bot.api.push_callback("why:1:off_topic")
    await bot.api.wait_for(1, "editMessageText")
    [row] = await bot.rows("feedback")
    assert (row[7], row[8]) == ("down", "off_topic")


async def test_reactions_elsewhere_store_nothing(bot: RunningBot) -> None:
    bot.api.push_text("/help")
    await bot.api.wait_for(1)
    help_id = next(c.result["message_id"] for c in bot.api.calls if c.method == "sendMessage")
    answer = await _answer(bot)
    await _handled(bot, bot.api.push_reaction(help_id, "👍"))  # not an answer
    await _handled(bot, bot.api.push_reaction(answer["message_id"], "🔥"))  # not a rating
    await _handled(bot, bot.api.push_reaction(answer["message_id"], "👍", user_id=2))  # someone else's answer
    await _handled(bot, bot.api.push_reaction(answer["message_id"], "👎", chat_id=-100))  # a group
    assert await bot.rows("feedback") == [] and await bot.rows("feedback", user_id=2) == []
