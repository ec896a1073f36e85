"""Conversation turns: the last few exchanges of each chat, for follow-up questions."""

from __future__ import annotations

import json

import aiosqlite

from bot.domain import Turn


class ConversationStore:
    """Saves and reads turns; the pipeline gets the last few as history."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def save_turn(self, user_id: str, turn: Turn, mode: str, source_ids: list[str]) -> None:
        await self._db.execute(
            "INSERT INTO turns (user_id, question, answer, lang, mode, topic_query, source_ids) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, turn.question, turn.answer, turn.lang, mode, turn.topic_query, json.dumps(source_ids)),
        )
        await self._db.commit()

    async def recent_turns(self, user_id: str, limit: int) -> tuple[Turn, ...]:
        """The last `limit` turns of `user_id`, oldest first."""
        async with self._db.execute(
            "SELECT question, answer, lang, topic_query FROM turns WHERE user_id = ? ORDER BY id DESC LIMIT ?",
            (user_id, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return tuple(Turn(question=q, answer=a, lang=lang, topic_query=t) for q, a, lang, t in reversed(list(rows)))
