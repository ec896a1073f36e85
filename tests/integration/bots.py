"""The running bot that Telegram tests drive: the real Application against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.config import Settings
from bot.services import Services
from bot.tg.context import BotApplication
from tests.servers.bot_api import FakeBotAPI

ADMIN = 99


@dataclass
class RunningBot:
    api: FakeBotAPI
    settings: Settings
    services: Services
    application: BotApplication
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def rows(self, table: str, user_id: int = 1) -> list[Any]:
        async with self.services.db.execute(f"SELECT * FROM {table} WHERE user_id = ?", (str(user_id),)) as cursor:
            return list(await cursor.fetchall())

    def buttons(self, call: dict[str, Any]) -> list[dict[str, str]]:
        return [b for row in call["reply_markup"]["inline_keyboard"] for b in row]


StartBot = Callable[..., Awaitable[RunningBot]]
