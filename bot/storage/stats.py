"""Usage figures for the admins' /stats: users, questions, offline share, feedback, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiosqlite


@dataclass(frozen=True)
class Usage:
    """What happened in the last `days` days."""

    days: int
    users: int
    questions: int
    per_day: list[tuple[str, int]] = field(default_factory=list)  # (YYYY-MM-DD, questions)
    per_language: list[tuple[str, int]] = field(default_factory=list)
    offline_share: float = 0.0  # of answered (not refused) questions
    thumbs_up: int = 0
    thumbs_down: int = 0
    top_refused: list[tuple[str, int]] = field(default_factory=list)  # (question, times)
    top_disliked: list[tuple[str, int]] = field(default_factory=list)


class StatsStore:
    """Reads the turns and feedback tables; writes nothing."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def usage(self, days: int = 7, top: int = 5) -> Usage:
        """Aggregate the turns and feedback tables over the last `days` days."""
        since = f"-{days} days"
        recent = "created_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)"

        async def rows(sql: str) -> list[Any]:
            async with self._db.execute(sql, (since, top) if "LIMIT ?" in sql else (since,)) as cursor:
                return list(await cursor.fetchall())

        [(users, questions, answered, offline)] = await rows(
            f"SELECT COUNT(DISTINCT user_id), COUNT(*), COALESCE(SUM(mode != 'refusal'), 0), COALESCE(SUM(mode = 'offline'), 0) FROM turns WHERE {recent}"
        )
        per_day = await rows(f"SELECT substr(created_at, 1, 10) AS day, COUNT(*) FROM turns WHERE {recent} GROUP BY day ORDER BY day")
        per_language = await rows(f"SELECT lang, COUNT(*) AS n FROM turns WHERE {recent} GROUP BY lang ORDER BY n DESC")
        [(up, down)] = await rows(f"SELECT COALESCE(SUM(rating = 'up'), 0), COALESCE(SUM(rating = 'down'), 0) FROM feedback WHERE {recent}")
        refused = await rows(
            f"SELECT question, COUNT(*) AS n FROM turns WHERE {recent} AND mode = 'refusal' GROUP BY lower(question) ORDER BY n DESC, question LIMIT ?"
        )
        disliked = await rows(
            f"SELECT question, COUNT(*) AS n FROM feedback WHERE {recent} AND rating = 'down' GROUP BY lower(question) ORDER BY n DESC, question LIMIT ?"
        )
        return Usage(
            days=days,
            users=int(users),
            questions=int(questions),
            per_day=[(str(d), int(n)) for d, n in per_day],
            per_language=[(str(lang), int(n)) for lang, n in per_language],
            offline_share=int(offline) / int(answered) if answered else 0.0,
            thumbs_up=int(up),
            thumbs_down=int(down),
            top_refused=[(str(q), int(n)) for q, n in refused],
            top_disliked=[(str(q), int(n)) for q, n in disliked],
        )
