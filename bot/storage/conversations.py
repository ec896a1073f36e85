"""Conversation turns: the last few exchanges of each chat, for follow-ups, /sources, and the
message that carries each answer (a reaction on it rates the answer)."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Sequence

import aiosqlite

from bot.domain import AnswerMode, CitedSource, RefusalReason, Turn

_PURGE_EVERY_S = 24 * 3600


class ConversationStore:
    """Saves and reads turns; turns older than `retention_days` are deleted about once a day."""

    def __init__(self, db: aiosqlite.Connection, retention_days: int = 90) -> None:
        self._db = db
        self._retention_days = retention_days
        self._last_purge = 0.0

    async def save_turn(self, user_id: str, turn: Turn, mode: AnswerMode, sources: Sequence[CitedSource], refusal_reason: RefusalReason | None = None) -> int:
        """Store one exchange with the sources it cited; return its id (feedback refers to it)."""
        if time.monotonic() - self._last_purge > _PURGE_EVERY_S:
            await self.purge()
        cursor = await self._db.execute(
            "INSERT INTO turns (user_id, question, answer, lang, mode, topic_query, source_ids, sources, refusal_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                user_id,
                turn.question,
                turn.answer,
                turn.lang,
                mode,
                turn.topic_query,
                json.dumps([s.id for s in sources]),
                json.dumps([dataclasses.asdict(s) for s in sources], ensure_ascii=False),
                refusal_reason,
            ),
        )
        await self._db.commit()
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def recent_turns(self, user_id: str, limit: int) -> tuple[Turn, ...]:
        """The last `limit` turns of `user_id`, oldest first."""
        async with self._db.execute(
            "SELECT question, answer, lang, topic_query FROM turns WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return tuple(Turn(question=q, answer=a, lang=lang, topic_query=t) for q, a, lang, t in reversed(list(rows)))

    async def last_sources(self, user_id: str) -> list[CitedSource]:
        """The sources cited by the user's most recent answer that had any."""
        async with self._db.execute("SELECT sources FROM turns WHERE user_id = ? AND sources != '[]' ORDER BY id DESC LIMIT 1", (user_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return []
        return [CitedSource(**(item | {"countries": tuple(item["countries"])})) for item in json.loads(row[0])]

    async def delivered(self, turn_id: int, chat_id: int, message_id: int) -> None:
        """Note the message that carries the turn's answer (its last part, under the buttons)."""
        await self._db.execute("UPDATE turns SET chat_id = ?, message_id = ? WHERE id = ?", (chat_id, message_id, turn_id))
        await self._db.commit()

    async def answered_in(self, user_id: str, chat_id: int, message_id: int) -> int | None:
        """The user's turn whose answer that message carries; None for any other message."""
        async with self._db.execute("SELECT id FROM turns WHERE chat_id = ? AND message_id = ? AND user_id = ?", (chat_id, message_id, user_id)) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def purge(self) -> int:
        """Delete turns older than the retention period; return how many."""
        self._last_purge = time.monotonic()
        cursor = await self._db.execute("DELETE FROM turns WHERE created_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)", (f"-{self._retention_days} days",))
        await self._db.commit()
        return cursor.rowcount
