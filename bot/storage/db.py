"""Opens the bot's one SQLite file: WAL mode, foreign keys, migrations applied."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import aiosqlite

from bot.errors import StorageError
from bot.storage.migrations import migrate

logger = logging.getLogger(__name__)

# What open_db returns: the stores take it, and whoever opened it closes it. Only storage/ reads
# or writes through it, so that whether it is aiosqlite stays inside this package.
Connection = aiosqlite.Connection
_BUSY_MS = 30_000


async def _use_wal(db: aiosqlite.Connection) -> None:
    """Switch a new database to write-ahead logging. Two processes switching at once can get
    "database is locked" at once, without SQLite's busy wait: wait and try again then."""
    delay = 0.01
    for _ in range(12):  # about 40 s in all
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 8.0)
    await db.execute("PRAGMA journal_mode=WAL")


async def open_db(path: Path) -> Connection:
    """A migrated connection to the database at `path` (created if missing).

    Deleted rows are overwritten (`secure_delete`), so that what /forget removed does not linger
    in free pages. A failed open closes the connection, whose thread would otherwise keep the
    process alive after the error.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"{path}: cannot open the database: {exc}") from exc
    try:
        await db.execute(f"PRAGMA busy_timeout={_BUSY_MS}")  # first: another process may be migrating
        await _use_wal(db)
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA secure_delete=ON")
        applied = await migrate(db)
    except (OSError, sqlite3.Error) as exc:
        await db.close()
        raise StorageError(f"{path}: cannot open the database: {exc}") from exc
    except BaseException:
        await db.close()
        raise
    if applied:
        logger.info("migrated %s: %s", path, ", ".join(applied))
    return db
