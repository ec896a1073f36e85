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


async def test_profiles_update_and_forget(tmp_path: Path) -> None:
    from bot.storage import ProfileStore

    db = await open_db(tmp_path / "db.sqlite")
    profiles, turns = ProfileStore(db), ConversationStore(db)
    assert (await profiles.get("u1")).lang is None
    await profiles.update("u1", lang="th")
    assert (await profiles.update("u1", country="TH")) == (await profiles.get("u1"))
    assert (await profiles.get("u1")).lang == "th"
    await turns.save_turn("u1", Turn(question="q", answer="a", lang="th"), "offline", [])
    await turns.save_turn("u2", Turn(question="q", answer="a", lang="en"), "offline", [])
    assert await profiles.forget("u1") == 2
    assert await turns.recent_turns("u1", 5) == () and len(await turns.recent_turns("u2", 5)) == 1
    await db.close()
