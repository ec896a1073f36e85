"""Telegram's outgoing limits: python-telegram-bot's `AIORateLimiter`, with previews let through
and outreach paced evenly.

A call made with `rate_limit_args=PREVIEW` (a draft, or an edit of an answer's preview) is
neither held back by the overall limit nor tried again after a `RetryAfter`: previews are paced
per chat already (previews.py), one that waited in line would only arrive stale, and its
`RetryAfter` goes to the preview, which holds the next one back as long as asked.

A call made with `rate_limit_args=OUTREACH` (an alert or a broadcast, `outbox.py`) first waits
for its turn at `outreach_per_s`, evenly spaced: `AIORateLimiter`'s overall limit lets a burst of
a second's worth through at once, which a run of thousands of messages would turn into two
seconds' worth in one. It then goes through the overall limit with every other call, so that
alerts sent inside `greenbot run` share Telegram's 30 a second with the answers.
Every other call is limited and retried as PTB does it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

PREVIEW = 0  # no waiting in line and no retry (AIORateLimiter itself would read 0 as "the default retries")
OUTREACH = -1  # evenly paced, then as every other call


class FloodLimiter(AIORateLimiter):
    """`AIORateLimiter`, except for calls marked `PREVIEW` or `OUTREACH`."""

    def __init__(self, *, outreach_per_s: float = 30, **limits: Any) -> None:
        super().__init__(**limits)
        self._outreach = AsyncLimiter(max_rate=1, time_period=1 / outreach_per_s)  # one at a time: no burst

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if rate_limit_args == PREVIEW:
            return await callback(*args, **kwargs)
        if rate_limit_args == OUTREACH:
            async with self._outreach:
                pass  # only the start of each call is paced
            rate_limit_args = None
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
