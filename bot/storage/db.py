"""Opens the bot's one SQLite file: WAL mode, foreign keys, migrations applied."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import aiosqlite

from bot.errors import StorageError
from bot.storage.migrations import migrate

logger = logging.getLogger(__name__)


async def open_db(path: Path) -> aiosqlite.Connection:
    """A migrated connection to the database at `path` (created if missing)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path)
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA busy_timeout=5000")
        applied = await migrate(db)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"{path}: cannot open the database: {exc}") from exc
    if applied:
        logger.info("migrated %s: %s", path, ", ".join(applied))
    return db
