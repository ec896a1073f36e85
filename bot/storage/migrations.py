"""Numbered schema migrations, applied in order and recorded in `_migrations`.

Never edit a migration once released: add the next `mNNN_` function to `MIGRATIONS`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]


async def m001_conversation_turns(db: aiosqlite.Connection) -> None:
    await db.execute(
        """
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            lang TEXT NOT NULL,
            mode TEXT NOT NULL,
            topic_query TEXT NOT NULL DEFAULT '',
            source_ids TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """
    )
    await db.execute("CREATE INDEX turns_by_user ON turns (user_id, id)")


async def m002_profiles_and_feedback(db: aiosqlite.Connection) -> None:
    await db.execute(
        """
        CREATE TABLE profiles (
            user_id TEXT PRIMARY KEY,
            lang TEXT,
            country TEXT,
            sector TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """
    )
    await db.execute(
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            lang TEXT NOT NULL,
            mode TEXT NOT NULL,
            source_ids TEXT NOT NULL DEFAULT '[]',
            rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
            reason TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )
        """
    )
    await db.execute("CREATE INDEX feedback_by_user ON feedback (user_id)")


async def m003_turn_sources_and_feedback_link(db: aiosqlite.Connection) -> None:
    """Turns keep their cited sources (for /sources); feedback points at the turn it rates."""
    await db.execute("ALTER TABLE turns ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'")
    await db.execute("ALTER TABLE turns ADD COLUMN refusal_reason TEXT")
    await db.execute("CREATE INDEX turns_by_time ON turns (created_at)")
    await db.execute("ALTER TABLE feedback ADD COLUMN turn_id INTEGER")
    await db.execute("CREATE UNIQUE INDEX feedback_once_per_turn ON feedback (user_id, turn_id)")
    await db.execute("CREATE INDEX feedback_by_time ON feedback (created_at)")


async def m004_handled_updates(db: aiosqlite.Connection) -> None:
    """Telegram update ids already handled, so that a re-delivery after a crash is skipped."""
    await db.execute("CREATE TABLE handled_updates (update_id INTEGER PRIMARY KEY, handled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))")
    await db.execute("CREATE INDEX handled_updates_by_time ON handled_updates (handled_at)")


async def m005_answer_messages(db: aiosqlite.Connection) -> None:
    """The chat message that carries each turn's answer, so that a reaction on it rates the turn."""
    await db.execute("ALTER TABLE turns ADD COLUMN chat_id INTEGER")
    await db.execute("ALTER TABLE turns ADD COLUMN message_id INTEGER")
    await db.execute("CREATE INDEX turns_by_message ON turns (chat_id, message_id)")


async def m006_alerts(db: aiosqlite.Connection) -> None:
    """The alerts owners opted into, and the delivery ledger: one row per owner and alert,
    written before the alert is sent, so that no alert reaches an owner twice."""
    await db.execute(
        """
        CREATE TABLE alert_subscriptions (
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('guides', 'deadlines', 'tip', 'news')),
            lang TEXT NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (user_id, kind)
        )
        """
    )
    await db.execute(
        """
        CREATE TABLE alert_deliveries (
            user_id TEXT NOT NULL,
            alert TEXT NOT NULL,
            kind TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('sending', 'sent', 'blocked', 'refused', 'unknown')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (user_id, alert)
        )
        """
    )
    await db.execute("CREATE INDEX alert_deliveries_by_alert ON alert_deliveries (alert)")


MIGRATIONS: list[Migration] = [
    m001_conversation_turns,
    m002_profiles_and_feedback,
    m003_turn_sources_and_feedback_link,
    m004_handled_updates,
    m005_answer_messages,
    m006_alerts,
]


async def migrate(db: aiosqlite.Connection) -> list[str]:
    """Apply the migrations not yet recorded, all in one transaction; return their names.

    The transaction takes SQLite's write lock before it reads what was applied, so when two
    processes open a new database at once, the second waits and then finds the work done.
    """
    await db.execute("BEGIN IMMEDIATE")
    try:
        await db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        async with db.execute("SELECT name FROM _migrations") as cursor:
            done = {row[0] async for row in cursor}
        applied = []
        for migration in MIGRATIONS:
            if migration.__name__ not in done:
                await migration(db)
                await db.execute("INSERT INTO _migrations (name) VALUES (?)", (migration.__name__,))
                applied.append(migration.__name__)
        await db.commit()
    except BaseException:
        await db.rollback()
        raise
    return applied
