"""Alerts benchmark: how long 10,000 and 100,000 alerts take to plan and to send at Telegram's limit.

    .venv/bin/python bench/alerts.py [--owners 10000 100000] [--send 10000]

Planning (measured): N owners in nine languages and nine countries, opted into deadlines, new
guides and the monthly tip, in a fresh SQLite file; the real knowledge/ folder as on 2026-12-10
(the EUDR date falls within 30 days, every guide changed since the owners opted in). Timed:
`plan_alerts` whole, as `greenbot alerts send` runs it: loading the knowledge folder, reading
the owners and the ledger, and composing one message each. Peak memory: the peak of Python's
allocations during planning (tracemalloc), and the process's maximum resident size.

Sending at Telegram's limit (computed with a fake clock, not waited for): the real
FloodLimiter, as the sender configures it (outreach paced at 30 a second, then PTB's overall
limit of 30), takes N calls that do nothing, 32 at a time, on an event loop whose clock jumps
to the next timer instead of sleeping. The figure is the limiter's own schedule.

Sending capacity (measured): --send N messages through the real sender (ledger claim, HTTP to
the fake Bot API server in a forked process, ledger record) with the pace raised out of the
way: how fast this code and machine could go, to show that at 30 a second Telegram's pace, not
the sender, sets the time.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import resource
import selectors
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.domain import LANGUAGES, SECTORS  # noqa: E402
from bot.knowledge import load_directory  # noqa: E402
from bot.prompts import Prompts  # noqa: E402
from bot.storage import AlertStore, open_db  # noqa: E402
from bot.tg.flood import OUTREACH, FloodLimiter  # noqa: E402
from bot.tg.outbox import deliver, plan_alerts, sender_bot  # noqa: E402
from tests.servers.bot_api import FakeBotAPI  # noqa: E402
from tests.servers.uvicorn_thread import ServerProcess  # noqa: E402

TODAY = dt.date(2026, 12, 10)
COUNTRIES = ("VN", "TH", "MY", "ID", "PH", "KH", "LA", "MM", "SG")
CONCURRENCY = 32


async def seed(path: Path, owners: int) -> None:
    db = await open_db(path)
    rows = [(str(100_000 + n), LANGUAGES[n % 9], COUNTRIES[n % 9], SECTORS[n % len(SECTORS)]) for n in range(owners)]
    await db.executemany("INSERT INTO profiles (user_id, lang, country, sector) VALUES (?, ?, ?, ?)", rows)
    kinds = [(user, kind, lang, "2026-11-01") for user, lang, _, _ in rows for kind in ("guides", "deadlines", "tip")]
    await db.executemany("INSERT INTO alert_subscriptions (user_id, kind, lang, since) VALUES (?, ?, ?, ?)", kinds)
    await db.commit()
    await db.close()


async def plan(settings: Settings, owners: int) -> None:
    """Time and peak memory of planning for `owners`."""
    await seed(settings.database_path, owners)
    db = await open_db(settings.database_path)
    directory = load_directory(settings.paths.knowledge_dir)
    tracemalloc.start()
    started = time.perf_counter()
    planned = await plan_alerts(AlertStore(db), Prompts(settings.paths.prompts_dir), settings.paths.knowledge_dir, directory, settings, TODAY)
    took = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    alerts = sum(len(m.alerts) for m in planned.messages)
    print(f"plan {owners:>7,} owners: {took:6.2f} s, {len(planned.messages):,} messages carrying {alerts:,} alerts; peak Python memory {peak / 2**20:.0f} MiB")
    await db.close()


class _Skipping(selectors.DefaultSelector):
    """Waits no time: the loop's clock moves on by what it would have waited."""

    now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout:
            self.now = round(self.now + timeout, 6)
        return super().select(0)


class _FakeClockLoop(asyncio.SelectorEventLoop):
    """An event loop on a fake clock that jumps to the next timer. Timers fall on whole
    microseconds: a limiter's rounding error would otherwise ask to be woken a femtosecond
    later, again and again, at an instant the clock can no longer move by."""

    def __init__(self) -> None:
        self._skipping = _Skipping()
        super().__init__(self._skipping)

    def time(self) -> float:
        return self._skipping.now

    def call_at(self, when: float, *args: Any, **kwargs: Any) -> asyncio.TimerHandle:
        return super().call_at(math.ceil(when * 1e6) / 1e6, *args, **kwargs)


async def paced(messages: int, per_s: float) -> float:
    """Seconds on the loop's clock for the sender's FloodLimiter to let `messages` calls through."""
    limiter = FloodLimiter(overall_max_rate=per_s, max_retries=3, outreach_per_s=per_s)
    loop = asyncio.get_running_loop()
    calls = iter(range(messages))

    async def nothing() -> bool:
        return True

    async def work() -> None:
        for n in calls:
            await limiter.process_request(nothing, (), {}, "sendMessage", {"chat_id": n}, OUTREACH)

    started = loop.time()
    await asyncio.gather(*(work() for _ in range(CONCURRENCY)))
    return loop.time() - started


async def capacity(settings: Settings, messages: int, url: str) -> None:
    """Real sends, pace out of the way: ledger, HTTP, ledger."""
    await seed(settings.database_path, messages)
    fast = settings.model_copy(
        update={
            "telegram": settings.telegram.model_copy(update={"flood_limit_per_s": 0, "base_url": f"{url}/bot"}),
            "alerts": settings.alerts.model_copy(update={"messages_per_s": 1_000_000}),
        }
    )
    db = await open_db(settings.database_path)
    store = AlertStore(db)
    planned = await plan_alerts(
        store, Prompts(settings.paths.prompts_dir), settings.paths.knowledge_dir, load_directory(settings.paths.knowledge_dir), fast, TODAY
    )
    async with sender_bot(fast) as bot:
        started = time.perf_counter()
        report = await deliver(bot, store, planned.messages, CONCURRENCY)
        took = time.perf_counter() - started
    print(f"send capacity: {len(planned.messages):,} messages in {took:.1f} s = {len(planned.messages) / took:,.0f} a second ({report})")
    await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--owners", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--send", type=int, default=10_000, help="messages for the capacity run (0: skip it)")
    args = parser.parse_args()
    server = ServerProcess(FakeBotAPI().app).start() if args.send else None  # forked before anything is loaded
    with tempfile.TemporaryDirectory() as tmp:
        for owners in args.owners:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                paths={"knowledge_dir": ROOT / "knowledge", "prompts_dir": ROOT / "prompts", "data_dir": Path(tmp) / f"plan-{owners}"},
                telegram={"token": "123:BENCH"},
            )
            asyncio.run(plan(settings, owners))
        for owners in args.owners:
            loop = _FakeClockLoop()
            seconds = loop.run_until_complete(paced(owners, 30))
            loop.close()
            print(f"send {owners:>7,} messages at 30 a second (fake clock): {seconds:,.0f} s = {seconds / 60:.1f} min")
        if server is not None:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                paths={"knowledge_dir": ROOT / "knowledge", "prompts_dir": ROOT / "prompts", "data_dir": Path(tmp) / "send"},
                telegram={"token": "123:BENCH"},
            )
            asyncio.run(capacity(settings, args.send, server.url))
            server.stop()
    print(f"max resident size of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
