"""Alerts end to end: /alerts in the real Application, and `greenbot alerts send` and
`greenbot broadcast` against the fake Bot API server, which enforces Telegram's limits, answers
403 for blocked chats and records every call. The database is real SQLite; the day is fixed."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.cli import app
from bot.domain import LANGUAGES, AlertKind
from bot.retrieval import HybridRetriever
from bot.storage import open_db
from tests.integration.bots import RunningBot, StartBot
from tests.servers.bot_api import FakeBotAPI
from tests.support import REPO, add_deadline

pytestmark = pytest.mark.integration

TODAY = "2026-12-10"  # the tiny guides changed on 2026-11-23; the LED rule below takes effect on 2026-12-30
SINCE = "2026-11-01"
COUNTRIES = ("VN", "TH", "MY", "ID", "PH", "KH", "LA", "MM", "SG")
FIRST_OWNER = 10_000
Greenbot = Callable[..., Result]


@pytest.fixture
def knowledge(tiny_knowledge: Path) -> Path:
    add_deadline(tiny_knowledge, "led-lighting", "2026-12-30")
    return tiny_knowledge


@pytest.fixture
def env(tmp_path: Path, knowledge: Path, bot_api: FakeBotAPI) -> dict[str, str]:
    """`greenbot` on the tiny knowledge folder, its own database, and the fake Bot API."""
    return {
        "GREENBOT_PATHS__KNOWLEDGE_DIR": str(knowledge),
        "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data"),
        "GREENBOT_PATHS__PROMPTS_DIR": str(REPO / "prompts"),
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_BASE_URL": f"{bot_api.url}/bot",  # type: ignore[attr-defined]
        "GREENBOT_TELEGRAM__RETRY_BACKOFF_S": "0.05",
    }


@pytest.fixture
def greenbot(env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Greenbot:
    """Run a `greenbot` command in a thread (it runs its own event loop), with `rate` messages a second."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str, rate: float = 30) -> Result:
        limits = {"GREENBOT_ALERTS__MESSAGES_PER_S": str(rate), "GREENBOT_TELEGRAM__FLOOD_LIMIT_PER_S": str(rate)}
        return CliRunner().invoke(app, list(args), env=env | limits)

    return run


async def _seed(data_dir: Path, owners: int, kinds: tuple[AlertKind, ...] = (AlertKind.DEADLINES, AlertKind.TIP)) -> list[int]:
    """`owners` owners in nine languages and nine countries, opted into `kinds` on SINCE."""
    ids = list(range(FIRST_OWNER, FIRST_OWNER + owners))
    db = await open_db(data_dir / "greenbot.sqlite")
    try:
        profiles = [(str(i), LANGUAGES[n % 9], COUNTRIES[n % 9], "food") for n, i in enumerate(ids)]
        await db.executemany("INSERT INTO profiles (user_id, lang, country, sector) VALUES (?, ?, ?, ?)", profiles)
        choices = [(str(i), kind.value, "en", SINCE) for i in ids for kind in kinds]
        await db.executemany("INSERT INTO alert_subscriptions (user_id, kind, lang, since) VALUES (?, ?, ?, ?)", choices)
        await db.commit()
    finally:
        await db.close()
    return ids


async def _ledger(data_dir: Path) -> Counter[str]:
    db = await open_db(data_dir / "greenbot.sqlite")
    try:
        async with db.execute("SELECT outcome FROM alert_deliveries") as cursor:
            return Counter([row[0] async for row in cursor])
    finally:
        await db.close()


async def _subscribed(data_dir: Path) -> set[int]:
    db = await open_db(data_dir / "greenbot.sqlite")
    try:
        async with db.execute("SELECT DISTINCT user_id FROM alert_subscriptions") as cursor:
            return {int(row[0]) async for row in cursor}
    finally:
        await db.close()


def _per_chat(api: FakeBotAPI) -> Counter[int]:
    return Counter(int(params["chat_id"]) for params in api.sent())


def _most_in_a_second(api: FakeBotAPI) -> int:
    """The most sendMessage calls that arrived within any (1 s - jitter) window."""
    times = sorted(call.at for call in api.calls if call.method == "sendMessage")
    window, most, start = 1.0 - api.jitter_s, 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


# --- /alerts ---------------------------------------------------------------------------------


@pytest.fixture
async def bot(start_bot: StartBot, knowledge: Path, tiny_retriever: HybridRetriever) -> RunningBot:
    return await start_bot(paths={"knowledge_dir": knowledge}, with_retriever=tiny_retriever, today=dt.date.fromisoformat(TODAY))


async def _tap(bot: RunningBot, data: str, language_code: str = "vi") -> dict[str, object]:
    bot.api.push_callback(data, language_code=language_code)
    return (await bot.api.wait_for(len(bot.api.sent("editMessageText")) + 1, "editMessageText"))[-1]


async def test_an_owner_switches_alerts_on_and_off_in_their_language_and_mydata_and_forget_cover_them(bot: RunningBot) -> None:
    api = bot.api
    api.push_text("/alerts", language_code="vi")
    [screen] = await api.wait_for(1)
    assert screen["text"].startswith("Chọn những gì tôi có thể gửi cho bạn.")
    assert [(b["text"], b["callback_data"]) for b in bot.buttons(screen)] == [
        ("◻️ Hướng dẫn mới và cập nhật", "alert:guides"),
        ("◻️ Hạn chót", "alert:deadlines"),
        ("◻️ Mẹo của tháng", "alert:tip"),
        ("◻️ Thông báo", "alert:news"),
    ]
    assert [b["text"][0] for b in bot.buttons(await _tap(bot, "alert:deadlines"))] == ["◻️"[0], "✅", "◻️"[0], "◻️"[0]]
    await _tap(bot, "alert:tip")
    assert [tuple(row[1:]) for row in await bot.rows("alert_subscriptions")] == [("deadlines", "vi", TODAY), ("tip", "vi", TODAY)]
    assert [b["text"][0] for b in bot.buttons(await _tap(bot, "alert:deadlines"))] == ["◻️"[0], "◻️"[0], "✅", "◻️"[0]]
    assert [row[1] for row in await bot.rows("alert_subscriptions")] == ["tip"]

    api.push_text("/mydata")
    [document] = await api.wait_for(1, "sendDocument")
    assert b'"kind": "tip"' in document["document"]["content"]
    api.push_text("/forget")
    await api.wait_for(2)
    await _tap(bot, "forget:yes")
    assert await bot.rows("alert_subscriptions") == []


async def test_in_a_group_alerts_point_to_the_private_chat_where_the_link_opens_them(bot: RunningBot) -> None:
    bot.api.push_text("/alerts", chat_id=-100, language_code="en")
    [reply] = await bot.api.wait_for(1)
    assert reply["text"] == "Alerts come in our private chat. Open it and send /alerts there: https://t.me/greenguide_test_bot?start=alerts"
    assert "reply_markup" not in reply
    bot.api.push_text("/start alerts", language_code="en")  # what the link sends in the private chat
    [screen] = (await bot.api.wait_for(2))[1:]
    assert int(screen["chat_id"]) == 1 and screen["text"].startswith("Choose what I may send you.")
    assert [b["callback_data"] for b in bot.buttons(screen)] == ["alert:guides", "alert:deadlines", "alert:tip", "alert:news"]


async def test_the_daily_job_in_greenbot_run_sends_what_the_command_would(start_bot: StartBot, knowledge: Path, tiny_retriever: HybridRetriever) -> None:
    bot = await start_bot(
        paths={"knowledge_dir": knowledge}, with_retriever=tiny_retriever, today=dt.date.fromisoformat(TODAY), alerts={"send_daily_at": "07:30"}
    )
    [job] = bot.application.job_queue.get_jobs_by_name("alerts")  # type: ignore[union-attr]
    assert job.next_t is not None and (job.next_t.hour, job.next_t.minute) == (7, 30)
    await bot.services.alerts.subscribe("7", AlertKind.DEADLINES, "th", dt.date.fromisoformat(SINCE))
    await job.run(bot.application)
    [alert] = bot.api.sent(chat_id=7)
    assert alert["text"].startswith("<b>กำหนดเวลา</b>\n• 2026-12-30: Rule th takes effect")
    await job.run(bot.application)
    assert len(bot.api.sent(chat_id=7)) == 1  # the ledger holds it


# --- greenbot alerts send --------------------------------------------------------------------


async def test_a_run_to_1000_owners_in_nine_languages_delivers_once_each_within_the_limits_and_drops_blocked_owners(
    greenbot: Greenbot, bot_api: FakeBotAPI, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    owners = await _seed(data, 1000)
    blocked = set(owners[::100])  # 10 owners blocked the bot
    bot_api.blocked = blocked
    bot_api.messages_per_s, bot_api.min_interval_s["sendMessage"] = 30, 1.0  # Telegram's: 30 a second, 1 a second per chat (about 34 s)

    dry = await asyncio.to_thread(greenbot, "alerts", "send", "--dry-run", "--today", TODAY)
    assert dry.exit_code == 0, dry.output
    assert "alerts for 2026-12-10: 1000 owners opted in, 1000 messages to send, 0 alerts already in the ledger" in dry.stdout
    assert "messages      112    111    111    111    111    111    111    111    111    1000" in dry.stdout
    assert "deadlines     112    111    111    111    111    111    111    111    111    1000" in dry.stdout  # the LED rule, ASEAN-wide
    assert dry.stdout.count("--- sample in ") == 9 and "--- sample in km (owner 10006) ---\nថ្ងៃផុតកំណត់\n• 2026-12-30: Rule km takes effect" in dry.stdout
    assert bot_api.sent() == []  # a dry run sends nothing

    result = await asyncio.to_thread(greenbot, "alerts", "send", "--today", TODAY)  # the settings' defaults: 30 a second
    assert result.exit_code == 0, result.output
    assert "sent: 990 sent, 10 blocked, 0 refused, 0 unknown, 0 taken by another run" in result.stdout
    per_chat = _per_chat(bot_api)
    assert set(per_chat) == set(owners) and set(per_chat.values()) == {1}  # exactly one each (the blocked ones: one refused try)
    assert bot_api.floods == [] and _most_in_a_second(bot_api) <= 30
    times = sorted(call.at for call in bot_api.calls if call.method == "sendMessage")
    assert times[-1] - times[0] >= 999 / 30 - 0.1  # evenly paced, no burst at the start
    assert await _subscribed(data) == set(owners) - blocked
    assert await _ledger(data) == Counter({"sent": 2 * 990, "blocked": 2 * 10})  # the rule and the tip, each
    by_lang = {params["text"].split("\n")[0] for params in bot_api.sent()}
    assert by_lang == {"<b>Deadlines</b>", "<b>Hạn chót</b>", "<b>กำหนดเวลา</b>", "<b>Tenggat waktu</b>", "<b>Tarikh akhir</b>", "<b>Mga deadline</b>",
                       "<b>ថ្ងៃផុតកំណត់</b>", "<b>ກຳນົດເວລາ</b>", "<b>နောက်ဆုံးရက်များ</b>"}  # fmt: skip

    again = await asyncio.to_thread(greenbot, "alerts", "send", "--today", TODAY)
    assert "990 owners opted in, 0 messages to send, 1980 alerts already in the ledger" in again.stdout
    assert len(bot_api.sent()) == 1000


async def test_a_run_killed_halfway_and_run_again_sends_no_alert_twice(greenbot: Greenbot, env: dict[str, str], bot_api: FakeBotAPI, tmp_path: Path) -> None:
    data = tmp_path / "data"
    owners = await _seed(data, 300)
    command = [sys.executable, "-c", "from bot.cli import main; main()", "alerts", "send", "--today", TODAY]
    rate = {"GREENBOT_ALERTS__MESSAGES_PER_S": "100", "GREENBOT_TELEGRAM__FLOOD_LIMIT_PER_S": "100"}
    sender = subprocess.Popen(command, env=os.environ | env | rate, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while len(bot_api.sent()) < 120:
        assert sender.poll() is None, sender.communicate()
        await asyncio.sleep(0.01)
    sender.send_signal(signal.SIGKILL)  # no chance to tidy up
    await asyncio.to_thread(sender.communicate)
    first = len(bot_api.sent())
    assert first < 300

    ledger = await _ledger(data)
    in_flight = ledger["sending"] // 2  # claimed, then killed: sent or not, never again (two alerts a message)
    result = await asyncio.to_thread(greenbot, "alerts", "send", "--today", TODAY, rate=500)
    assert result.exit_code == 0, result.output
    per_chat = _per_chat(bot_api)
    assert max(per_chat.values()) == 1  # no owner got anything twice
    assert 0 <= len(owners) - len(per_chat) <= in_flight <= 32  # at most the sends under way at the kill are lost
    assert len(per_chat) == len(bot_api.sent()) and len(bot_api.sent()) - first == len(owners) - ledger["sent"] // 2 - in_flight
    assert f"{2 * in_flight} alerts of earlier runs are unconfirmed" in result.output or in_flight == 0

    # the staff may choose to send those again, knowing that some did arrive
    shown = await asyncio.to_thread(greenbot, "alerts", "unconfirmed", "--older-than", "0")
    assert shown.output.startswith(f"{2 * in_flight} alerts claimed over 0 minutes ago are unconfirmed")
    retried = await asyncio.to_thread(greenbot, "alerts", "unconfirmed", "--older-than", "0", "--retry")
    assert retried.output.startswith(f"{2 * in_flight} unconfirmed alerts will be sent again")
    again = await asyncio.to_thread(greenbot, "alerts", "send", "--today", TODAY, rate=500)
    assert again.exit_code == 0, again.output
    assert set(_per_chat(bot_api)) == set(owners)  # nobody is left out now
    assert len(bot_api.sent()) - len(owners) <= in_flight  # the price: a second copy for those that had arrived


# --- greenbot broadcast ----------------------------------------------------------------------


def _announcement(tmp_path: Path, langs: tuple[str, ...] = LANGUAGES) -> Path:
    path = tmp_path / "eudr-webinar.yaml"
    path.write_text("id: eudr-webinar\ntext:\n" + "".join(f'  {lang}: "Webinar ({lang})"\n' for lang in langs), encoding="utf-8")
    return path


async def test_a_broadcast_goes_once_to_those_who_chose_announcements_in_the_chosen_country(greenbot: Greenbot, bot_api: FakeBotAPI, tmp_path: Path) -> None:
    news = await _seed(tmp_path / "data", 45, kinds=(AlertKind.NEWS,))
    await _seed_more_without_news(tmp_path / "data")
    path = _announcement(tmp_path)
    dry = await asyncio.to_thread(greenbot, "broadcast", str(path), "--country", "vn", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "broadcast eudr-webinar: 5 owners opted in, 5 messages to send" in dry.stdout and "news            5       5" in dry.stdout
    assert "--- sample in en (owner 10000) ---\nWebinar (en)\n\nYou get this because you switched it on." in dry.stdout

    sent = await asyncio.to_thread(greenbot, "broadcast", str(path), "--country", "VN", "--sector", "food")
    assert "sent: 5 sent" in sent.stdout, sent.output
    assert sorted(_per_chat(bot_api)) == news[::9] and {p["text"] for p in bot_api.sent()} == {
        "Webinar (en)\n\nYou get this because you switched it on. Send /alerts to change what you get."
    }
    again = await asyncio.to_thread(greenbot, "broadcast", str(path))  # everywhere now: the Vietnamese owners have it already
    assert "45 owners opted in, 40 messages to send, 5 alerts already in the ledger" in again.stdout
    assert len(bot_api.sent()) == 45 and max(_per_chat(bot_api).values()) == 1


async def _seed_more_without_news(data_dir: Path) -> None:
    db = await open_db(data_dir / "greenbot.sqlite")
    try:
        await db.execute("INSERT INTO profiles (user_id, lang, country) VALUES ('1', 'en', 'VN')")
        await db.execute("INSERT INTO alert_subscriptions (user_id, kind, lang, since) VALUES ('1', 'tip', 'en', ?)", (SINCE,))
        await db.commit()
    finally:
        await db.close()


async def test_a_broadcast_file_missing_a_language_is_refused_with_its_line(greenbot: Greenbot, bot_api: FakeBotAPI, tmp_path: Path) -> None:
    path = _announcement(tmp_path, ("en", "vi"))
    refused = await asyncio.to_thread(greenbot, "broadcast", str(path))
    assert refused.exit_code == 1
    assert refused.stderr.strip() == f"Error: {path}:2: text has no th, id, ms, tl, km, lo, my version: add it, or send only to the others with --lang"
    assert (await asyncio.to_thread(greenbot, "broadcast", str(path), "--lang", "vi", "--dry-run")).exit_code == 0
    unknown = await asyncio.to_thread(greenbot, "broadcast", str(path), "--country", "FR")
    assert unknown.exit_code == 2 and "unknown country FR" in unknown.stderr
    assert bot_api.sent() == []
