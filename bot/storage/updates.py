"""Which Telegram updates were already handled, so that none is answered twice.

Telegram re-delivers every update the bot had not yet confirmed when it stopped; after a crash
that includes updates it had answered. Each handled update id is recorded here, and kept for
two days: Telegram keeps undelivered updates for at most 24 hours.
"""

from __future__ import annotations

import aiosqlite

_KEEP = "-2 days"


class HandledUpdates:
    """Update ids handled before, in the bot's database."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def seen(self, update_id: int) -> bool:
        async with self._db.execute("SELECT 1 FROM handled_updates WHERE update_id = ?", (update_id,)) as cursor:
            return await cursor.fetchone() is not None

    async def record(self, update_id: int) -> None:
        await self._db.execute("INSERT OR IGNORE INTO handled_updates (update_id) VALUES (?)", (update_id,))
        await self._db.commit()

    async def purge(self) -> int:
        """Forget ids older than Telegram could deliver again; return how many."""
        cursor = await self._db.execute("DELETE FROM handled_updates WHERE handled_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)", (_KEEP,))
        await self._db.commit()
        return cursor.rowcount
