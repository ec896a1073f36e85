"""👍/👎 on answers, stored with the question, answer, language, mode and sources they rate."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, Literal, cast

import aiosqlite

Rating = Literal["up", "down"]
REASONS = ("wrong", "off_topic", "language", "too_long")
# Exported columns: no user id, so an export can be shared with evaluators.
_EXPORTED = ("id", "created_at", "question", "answer", "lang", "mode", "source_ids", "rating", "reason")


class FeedbackStore:
    """One rating per user and answer; a second tap changes it rather than adding a row."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def rate(self, user_id: str, turn_id: int, rating: Rating) -> int | None:
        """Rate the user's turn `turn_id`; return the feedback id, or None if the turn is gone."""
        cursor = await self._db.execute(
            """
            INSERT INTO feedback (user_id, turn_id, question, answer, lang, mode, source_ids, rating)
            SELECT user_id, id, question, answer, lang, mode, source_ids, ? FROM turns WHERE id = ? AND user_id = ?
            ON CONFLICT (user_id, turn_id) DO UPDATE SET rating = excluded.rating, reason = NULL,
                created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            RETURNING id
            """,
            (rating, turn_id, user_id),
        )
        row = await cursor.fetchone()
        await cursor.close()
        await self._db.commit()
        return int(row[0]) if row else None

    async def rating(self, user_id: str, turn_id: int) -> Rating | None:
        """The user's rating of the turn, if they gave one."""
        async with self._db.execute("SELECT rating FROM feedback WHERE user_id = ? AND turn_id = ?", (user_id, turn_id)) as cursor:
            row = await cursor.fetchone()
        return cast(Rating, row[0]) if row else None

    async def explain(self, user_id: str, feedback_id: int, reason: str) -> bool:
        """Attach one of `REASONS` to the user's 👎; False if there is no such feedback."""
        if reason not in REASONS:
            raise ValueError(f"unknown feedback reason {reason!r}")
        cursor = await self._db.execute("UPDATE feedback SET reason = ? WHERE id = ? AND user_id = ? AND rating = 'down'", (reason, feedback_id, user_id))
        await self._db.commit()
        return cursor.rowcount == 1

    async def export(self, since: str | None = None, rating: Rating | None = None) -> AsyncIterator[dict[str, Any]]:
        """Feedback rows oldest first, as the evaluation harness reads them (`feedback export`)."""
        query = f"SELECT {', '.join(_EXPORTED)} FROM feedback WHERE 1 = 1"
        params: list[str] = []
        if since:
            query += " AND created_at >= ?"
            params.append(since)
        if rating:
            query += " AND rating = ?"
            params.append(rating)
        async with self._db.execute(query + " ORDER BY id", params) as cursor:
            async for row in cursor:
                item = dict(zip(_EXPORTED, row, strict=True))
                item["source_ids"] = json.loads(item["source_ids"])
                yield item
