"""Per-user question limits (a minute and a day), so one user cannot crowd out the rest, and
the pace at which questions start.

A user over a limit hears so once per window, not once per message: the notices share
Telegram's outgoing limit with everyone's answers, and a flood of them made others wait.

Questions start at most `starts_per_s` a second, after a burst of `_START_BURST`. When 200
arrive in one poll, starting them all in the same moment held the event loop for 100-150 ms at a
time (each start opens connections and hands work to threads, which then hold the GIL while the
loop waits to get it back); paced at 200 a second, the worst lag fell to 14-87 ms, and the answers
came no later: they queue for the CPU either way (bench/bot_load.py, README).
"""

from __future__ import annotations

from typing import Literal

from aiolimiter import AsyncLimiter
from cachetools import TTLCache

Verdict = Literal["ok", "minute", "day"]
_DAY_S = 24 * 3600
_START_BURST = 10  # questions that start at once, before the pace applies


class QuestionLimits:
    """Leaky buckets per user; a user idle for a day is forgotten (their buckets are empty by then)."""

    def __init__(self, per_minute: int, per_day: int, starts_per_s: float, max_users: int = 100_000) -> None:
        self._per_minute = per_minute
        self._per_day = per_day
        self._buckets: TTLCache[int, tuple[AsyncLimiter, AsyncLimiter]] = TTLCache(maxsize=max_users, ttl=_DAY_S)
        self._starts = AsyncLimiter(_START_BURST, _START_BURST / starts_per_s)
        self._told = {"minute": TTLCache[int, bool](maxsize=max_users, ttl=60), "day": TTLCache[int, bool](maxsize=max_users, ttl=_DAY_S)}

    @property
    def per_day(self) -> int:
        return self._per_day

    async def admit(self, user_id: int) -> Verdict:
        """Count one question if both limits allow it; otherwise say which limit was hit."""
        buckets = self._buckets.get(user_id)
        if buckets is None:
            buckets = self._buckets[user_id] = (AsyncLimiter(self._per_minute, 60), AsyncLimiter(self._per_day, _DAY_S))
        minute, day = buckets
        if not day.has_capacity():
            return "day"
        if not minute.has_capacity():
            return "minute"
        await minute.acquire()  # both have capacity, so neither waits
        await day.acquire()
        return "ok"

    async def start(self) -> None:
        """Wait for this question's turn to start. Called inside the chat's turn, so that a chat's
        questions start in the order they came (the limiter lets a newcomer take a freed slot
        before a waiter it woke)."""
        await self._starts.acquire()

    def first_notice(self, user_id: int, verdict: Verdict) -> bool:
        """True the first time in the window that `user_id` is told about the `verdict` limit."""
        told = self._told[verdict]
        if user_id in told:
            return False
        told[user_id] = True
        return True
