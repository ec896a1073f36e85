"""The SQLite stores on a real database file: migrations, turns, profiles, feedback, usage figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from bot.domain import AlertKind, CitedSource, Delivery, Turn
from bot.storage import MIGRATIONS, AlertStore, ConversationStore, FeedbackStore, ProfileStore, StatsStore, open_db

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
    alerts = AlertStore(db)
    await alerts.subscribe("u1", AlertKind.TIP, "th", dt.date(2026, 12, 1))
    assert await alerts.claim("u1", [("tip:2026-12", AlertKind.TIP)])
    exported = await profiles.export("u1")
    tables = ("profiles", "turns", "feedback", "alert_subscriptions", "alert_deliveries")
    assert [len(exported[t]) for t in tables] == [1, 1, 1, 1, 1] and exported["profiles"][0]["country"] == "TH"
    assert exported["alert_subscriptions"][0]["kind"] == "tip" and exported["alert_deliveries"][0]["alert"] == "tip:2026-12"
    assert await profiles.forget("u1") == 5
    assert await profiles.export("u1") == {table: [] for table in tables}
    assert await alerts.kinds("u1") == set()
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


async def test_the_ledger_holds_an_alert_once_and_lets_go_only_of_refused_ones(db: aiosqlite.Connection) -> None:
    alerts, guide, tip = AlertStore(db), ("guide:led:2026-11-23", AlertKind.GUIDES), ("tip:2026-12", AlertKind.TIP)
    assert await alerts.claim("u1", [guide, tip])
    assert await alerts.held([guide[0], tip[0]]) == {("u1", guide[0]), ("u1", tip[0])}  # SENDING: a crash now sends neither again
    assert not await alerts.claim("u1", [tip])  # another run
    await alerts.record("u1", [guide[0], tip[0]], Delivery.REFUSED)  # Telegram said no: it did not arrive
    assert await alerts.held([guide[0]]) == set()
    assert await alerts.claim("u1", [guide, tip])  # so a later run may send them
    await alerts.record("u1", [guide[0]], Delivery.SENT)
    assert not await alerts.claim("u1", [guide])
    assert await alerts.held([guide[0]]) == {("u1", guide[0])} and await alerts.held([]) == set()


async def test_alerts_a_crash_left_unconfirmed_are_counted_and_sent_again_only_when_asked(db: aiosqlite.Connection) -> None:
    alerts, guide, tip = AlertStore(db), ("guide:led:2026-11-23", AlertKind.GUIDES), ("tip:2026-12", AlertKind.TIP)
    assert await alerts.claim("u1", [guide, tip])
    await alerts.record("u1", [tip[0]], Delivery.SENT)  # the guide's send never came back
    long_ago, later = dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    assert (await alerts.unconfirmed(long_ago), await alerts.unconfirmed(later)) == (0, 1)
    assert await alerts.retry_unconfirmed(long_ago) == 0  # claimed since: perhaps a run still sending
    assert not await alerts.claim("u1", [guide])
    assert await alerts.retry_unconfirmed(later) == 1
    assert await alerts.unconfirmed(later) == 0
    assert await alerts.claim("u1", [guide]) and not await alerts.claim("u1", [tip])


async def test_a_claim_that_meets_one_held_alert_keeps_none_of_its_own(db: aiosqlite.Connection) -> None:
    alerts = AlertStore(db)
    assert await alerts.claim("u1", [("tip:2026-12", AlertKind.TIP)])
    assert not await alerts.claim("u1", [("rule:eudr:2026-12-30", AlertKind.DEADLINES), ("tip:2026-12", AlertKind.TIP)])
    assert await alerts.held(["rule:eudr:2026-12-30"]) == set()  # let go, for a later run to plan again
    assert await alerts.claim("u1", [("rule:eudr:2026-12-30", AlertKind.DEADLINES)])


async def test_subscribers_carry_their_profile_and_the_day_each_kind_was_chosen(db: aiosqlite.Connection) -> None:
    alerts, profiles = AlertStore(db), ProfileStore(db)
    await profiles.update("u1", lang="vi", country="VN", sector="food")
    await alerts.subscribe("u1", AlertKind.DEADLINES, "en", dt.date(2026, 11, 1))
    await alerts.subscribe("u1", AlertKind.TIP, "en", dt.date(2026, 12, 1))
    await alerts.subscribe("u2", AlertKind.NEWS, "th", dt.date(2026, 12, 2))  # no profile: the language used when opting in
    found = [s async for s in alerts.subscribers(list(AlertKind))]
    assert [(s.user_id, s.lang, s.country, s.sector) for s in found] == [("u1", "vi", "VN", "food"), ("u2", "th", None, None)]
    assert found[0].kinds == {AlertKind.DEADLINES: dt.date(2026, 11, 1), AlertKind.TIP: dt.date(2026, 12, 1)}
    assert [s.user_id async for s in alerts.subscribers([AlertKind.NEWS])] == ["u2"]
    await alerts.unsubscribe("u1", [AlertKind.TIP])
    assert await alerts.kinds("u1") == {AlertKind.DEADLINES}
    await alerts.unsubscribe("u1")
    assert await alerts.kinds("u1") == set()
