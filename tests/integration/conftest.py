"""Fixtures of the integration tests: the fake Bot API server and the bot running against it."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.retrieval import HybridRetriever
from bot.services import Services
from bot.tg.app import build_application
from bot.tg.serve import serve
from tests.integration.bots import ADMIN, RunningBot, StartBot
from tests.servers.bot_api import FakeBotAPI
from tests.servers.uvicorn_thread import ServerThread
from tests.support import make_settings


@pytest.fixture
def bot_api() -> Iterator[FakeBotAPI]:
    fake = FakeBotAPI()
    server = ServerThread(fake.app).start()
    fake.url = server.url  # type: ignore[attr-defined]
    yield fake
    server.stop()


@pytest.fixture
async def start_bot(bot_api: FakeBotAPI, tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[StartBot]:
    """Start the bot (offline by default) with its own database; stopped gracefully after the test.

    Without `with_retriever` it answers from the real knowledge/ index, built once per session
    when a test first needs it; `today` fixes the clock that says which programmes are open."""
    running: list[RunningBot] = []

    async def start(
        *, telegram: dict[str, Any] | None = None, with_retriever: HybridRetriever | None = None, today: dt.date | None = None, **groups: Any
    ) -> RunningBot:
        settings = make_settings(
            tmp_path / "data",
            telegram={"token": "123:TEST", "base_url": f"{bot_api.url}/bot", "admin_user_ids": [ADMIN], "retry_backoff_s": 0.05, **(telegram or {})},  # type: ignore[attr-defined]
            **groups,
        )
        retriever = with_retriever or request.getfixturevalue("retriever")
        clock = (lambda: today) if today is not None else dt.date.today
        services = await Services.open(settings, retriever=retriever, today=clock)
        application = build_application(settings, services)
        stop = asyncio.Event()
        task = asyncio.create_task(serve(application, settings.telegram, stop))
        while not application.running:
            assert not task.done(), task.exception()
            await asyncio.sleep(0.01)
        bot = RunningBot(bot_api, settings, services, application, stop, task)
        running.append(bot)
        return bot

    yield start
    for bot in running:
        bot.stop.set()
        await bot.task
        await bot.services.close()


@pytest.fixture
async def bot(start_bot: StartBot) -> RunningBot:
    return await start_bot()
