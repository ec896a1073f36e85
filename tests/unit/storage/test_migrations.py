"""Migrating a blank database yields the expected schema, and migrating again does nothing."""

from __future__ import annotations

from pathlib import Path

from bot.domain import Turn
from bot.storage import MIGRATIONS, ConversationStore, open_db


async def test_blank_database_is_migrated_and_reopened(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "db.sqlite")
    async with db.execute("SELECT name FROM _migrations ORDER BY name") as cursor:
        assert [row[0] async for row in cursor] == [m.__name__ for m in MIGRATIONS]
    async with db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone()) == ("wal",)
    store = ConversationStore(db)
    for i in range(5):
        await store.save_turn("u1", Turn(question=f"q{i}", answer=f"a{i}", lang="vi"), "offline", ["x"])
    await store.save_turn("u2", Turn(question="other", answer="a", lang="en"), "llm", [])
    assert [t.question for t in await store.recent_turns("u1", 3)] == ["q2", "q3", "q4"]
    await db.close()

    again = await open_db(tmp_path / "db.sqlite")  # nothing left to apply, data kept
    assert len(await ConversationStore(again).recent_turns("u1", 10)) == 5
    await again.close()
