"""User profiles (language, country, sector) and everything stored about a user."""

from __future__ import annotations

import dataclasses
from typing import Any

import aiosqlite

from bot.domain import Profile

_USER_TABLES = ("profiles", "turns", "feedback", "alert_subscriptions", "alert_deliveries")


class ProfileStore:
    """Reads and writes profiles; exports and forgets all of a user's rows."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def get(self, user_id: str) -> Profile:
        """The user's profile, empty if they never set anything."""
        async with self._db.execute("SELECT lang, country, sector FROM profiles WHERE user_id = ?", (user_id,)) as cursor:
            row = await cursor.fetchone()
        return Profile(user_id, *row) if row else Profile(user_id)

    async def update(self, user_id: str, **fields: str | None) -> Profile:
        """Set some of lang, country and sector; the others keep their value."""
        profile = dataclasses.replace(await self.get(user_id), **fields)  # type: ignore[arg-type]  # fields are lang/country/sector
        await self._db.execute(
            """
            INSERT INTO profiles (user_id, lang, country, sector) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, country = excluded.country,
                sector = excluded.sector, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            """,
            (user_id, profile.lang, profile.country, profile.sector),
        )
        await self._db.commit()
        return profile

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about the user, table by table (`/mydata`)."""
        data: dict[str, list[dict[str, Any]]] = {}
        for table in _USER_TABLES:
            async with self._db.execute(f"SELECT * FROM {table} WHERE user_id = ? ORDER BY rowid", (user_id,)) as cursor:
                names = [column[0] for column in cursor.description]
                data[table] = [dict(zip(names, row, strict=True)) async for row in cursor]
        return data

    async def forget(self, user_id: str) -> int:
        """Delete every row about the user (profile, conversation, feedback, alerts and what was
        sent to them); return how many.

        The write-ahead log still holds the deleted text until a checkpoint copies it over the
        (zeroed, with secure_delete) pages of the main file, so one is run at once and the log
        truncated."""
        deleted = 0
        for table in _USER_TABLES:
            cursor = await self._db.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
            deleted += cursor.rowcount
        await self._db.commit()
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted
