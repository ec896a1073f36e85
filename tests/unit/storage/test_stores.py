"""The SQLite stores on a real database file: migrations, turns, profiles, feedback, usage figures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from bot.domain import CitedSource, Turn
from bot.storage import MIGRATIONS, ConversationStore, FeedbackStore, ProfileStore, StatsStore, open_db

SOURCE = CitedSource(number=1, id="led-vi", original_id="led", title="Đèn LED", url="https://e.org", snippet="LED dùng ít điện hơn", countries=("VN",))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection = await open_db(tmp_path / "db.sqlite")
    yield connection
    await connection.close()


def _turn(question: str, lang: str = "en") -> Turn:
    return Turn(question=question, answer=f"answer to {question}", lang=lang)


async def test_blank_database_is_migrated_and_reopened(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "db.sqlite")
    async with db.execute("SELECT name FROM _migrations ORDER BY name") as cursor:
        assert [row[0] async for row in cursor] == [m.__name__ for m in MIGRATIONS]
    async with db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone()) == ("wal",)
    store = ConversationStore(db)
    for i in range(5):
        await store.save_turn("u1", _turn(f"q{i}", "vi"), "offline", [SOURCE])
    await store.save_turn("u2", _turn("other"), "llm", [])
    assert [t.question for t in await store.recent_turns("u1", 3)] == ["q2", "q3", "q4"]
    await db.close()

    again = await open_db(tmp_path / "db.sqlite")  # nothing left to apply, data kept
    assert len(await ConversationStore(again).recent_turns("u1", 10)) == 5
    await again.close()


async def test_last_sources_come_back_whole(db: aiosqlite.Connection) -> None:
    store = ConversationStore(db)
    assert await store.last_sources("u1") == []
    await store.save_turn("u1", _turn("q1"), "offline", [SOURCE])
    await store.save_turn("u1", _turn("out of scope"), "refusal", [], "out_of_scope")
    assert await store.last_sources("u1") == [SOURCE]


async def test_turns_older_than_the_retention_period_are_purged(db: aiosqlite.Connection) -> None:
    store = ConversationStore(db, retention_days=30)
    old = await store.save_turn("u1", _turn("old"), "offline", [])
    await store.save_turn("u1", _turn("new"), "offline", [])
    await db.execute("UPDATE turns SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-31 days') WHERE id = ?", (old,))
    assert await store.purge() == 1
    assert [t.question for t in await store.recent_turns("u1", 5)] == ["new"]


async def test_profiles_update_export_and_forget(db: aiosqlite.Connection) -> None:
    profiles, turns, feedback = ProfileStore(db), ConversationStore(db), FeedbackStore(db)
    assert (await profiles.get("u1")).lang is None
    await profiles.update("u1", lang="th")
    assert (await profiles.update("u1", country="TH")) == (await profiles.get("u1"))
    assert (await profiles.get("u1")).lang == "th"
    turn = await turns.save_turn("u1", _turn("q", "th"), "offline", [])
    await turns.save_turn("u2", _turn("q"), "offline", [])
    await feedback.rate("u1", turn, "down")
    exported = await profiles.export("u1")
    assert [len(exported[t]) for t in ("profiles", "turns", "feedback")] == [1, 1, 1] and exported["profiles"][0]["country"] == "TH"
    assert await profiles.forget("u1") == 3
    assert await profiles.export("u1") == {"profiles": [], "turns": [], "feedback": []}
    assert len(await turns.recent_turns("u2", 5)) == 1


async def test_feedback_is_one_rating_per_answer_and_exports_without_user_ids(db: aiosqlite.Connection) -> None:
    turns, feedback = ConversationStore(db), FeedbackStore(db)
    first = await turns.save_turn("u1", _turn("q1"), "offline", [SOURCE])
    second = await turns.save_turn("u1", _turn("q2"), "llm", [])
    up = await feedback.rate("u1", first, "up")
    assert await feedback.rate("u1", first, "down") == up  # changed, not added
    assert await feedback.rate("u2", first, "up") is None  # not their answer
    assert await feedback.explain("u1", up or 0, "wrong")
    with pytest.raises(ValueError, match="unknown feedback reason"):
        await feedback.explain("u1", up or 0, "rude")
    await feedback.rate("u1", second, "up")
    rows = [row async for row in feedback.export(rating="down")]
    assert [(r["question"], r["reason"], r["source_ids"], r["mode"]) for r in rows] == [("q1", "wrong", ["led-vi"], "offline")]
    assert "user_id" not in rows[0]
    assert [r["question"] async for r in feedback.export(since="2999-01-01")] == []
    assert len([r async for r in feedback.export()]) == 2


async def test_usage_counts_users_languages_offline_share_and_problems(db: aiosqlite.Connection) -> None:
    turns, feedback = ConversationStore(db), FeedbackStore(db)
    liked = await turns.save_turn("u1", _turn("led"), "offline", [SOURCE])
    disliked = await turns.save_turn("u2", _turn("cbam", "vi"), "llm", [SOURCE])
    for user in ("u1", "u3"):
        await turns.save_turn(user, _turn("Football?"), "refusal", [], "out_of_scope")
    await feedback.rate("u1", liked, "up")
    await feedback.rate("u2", disliked, "down")
    figures = await StatsStore(db).usage(days=7)
    assert (figures.users, figures.questions, figures.offline_share) == (3, 4, 0.5)
    assert figures.per_language == [("en", 3), ("vi", 1)] and len(figures.per_day) == 1
    assert (figures.thumbs_up, figures.thumbs_down) == (1, 1)
    assert figures.top_refused == [("Football?", 2)] and figures.top_disliked == [("cbam", 1)]


async def test_the_message_that_carries_an_answer_leads_back_to_its_turn(db: aiosqlite.Connection) -> None:
    turns, feedback = ConversationStore(db), FeedbackStore(db)
    turn = await turns.save_turn("u1", _turn("q1"), "llm", [SOURCE])
    await turns.delivered(turn, chat_id=1, message_id=1001)
    assert await turns.answered_in("u1", 1, 1001) == turn
    assert await turns.answered_in("u1", 1, 1000) is None and await turns.answered_in("u2", 1, 1001) is None
    assert await feedback.rating("u1", turn) is None
    await feedback.rate("u1", turn, "down")
    assert await feedback.rating("u1", turn) == "down"
