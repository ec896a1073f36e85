"""The bot with a model (the local OpenAI-compatible server), end to end through the real
Application and the fake Bot API: the answer's deadline and the order of a chat's answers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from bot.retrieval import HybridRetriever
from tests.integration.bots import RunningBot, StartBot
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
