"""Telegram's outgoing limits: python-telegram-bot's `AIORateLimiter`, with previews let through.

A call made with `rate_limit_args=PREVIEW` (a draft, or an edit of an answer's preview) is
neither held back by the overall limit nor tried again after a `RetryAfter`: previews are paced
per chat already (previews.py), one that waited in line would only arrive stale, and its
`RetryAfter` goes to the preview, which holds the next one back as long as asked. Every other
call is limited and retried as PTB does it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

PREVIEW = 0  # no waiting in line and no retry (AIORateLimiter itself would read 0 as "the default retries")


class FloodLimiter(AIORateLimiter):
    """`AIORateLimiter`, except for calls marked `PREVIEW`."""

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
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
