"""One question at a time per chat: a question sent while the chat's previous one is still being
answered waits for it, so that answers arrive in the order they were asked, and a follow-up is
read with the answer before it. Other chats never wait (concurrent updates, app.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    questions: int = 0  # answered now or waiting


class ChatTurns:
    """A lock per chat with a question in flight, forgotten once none is."""

    def __init__(self) -> None:
        self._chats: dict[int, _Chat] = {}

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until the chat's earlier questions are answered (first come, first served)."""
        chat = self._chats.setdefault(chat_id, _Chat())
        chat.questions += 1
        try:
            async with chat.lock:
                yield
        finally:
            chat.questions -= 1
            if not chat.questions:
                del self._chats[chat_id]

    def __len__(self) -> int:
        """Chats with a question in flight."""
        return len(self._chats)
