"""Webhook transport: a Starlette app that checks Telegram's secret token and queues the update.

Telegram sends `X-Telegram-Bot-Api-Secret-Token` with every request once `setWebhook` was given
a `secret_token`; anything without it is refused with 403. A body over `max_body_bytes` gets 413,
one that is not JSON (or is nested too deeply to read) 400. Rejections are counted and logged as
one summary line a minute at most, so a flood of them cannot flood the log. An update PTB cannot
read is acknowledged (Telegram would otherwise send it again and again) and skipped.
`/healthz` is for the load balancer. The handlers are the same as for polling: an update is put
on the application's queue.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections import Counter
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.tg.context import BotApplication, services_of
from bot.tg.incoming import UpdateReader

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


MAX_BODY_BYTES = 1 << 20  # Telegram's updates are a few kilobytes; a message is at most 4,096 characters
_SUMMARY_EVERY_S = 60.0


class _Rejections:
    """Counts refused requests by reason; logs the first at once, then a summary at most every minute."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._logged_at: float | None = None

    def add(self, reason: str) -> None:
        self._counts[reason] += 1
        now = time.monotonic()
        if self._logged_at is None or now - self._logged_at >= _SUMMARY_EVERY_S:
            summary = ", ".join(f"{why} {count}" for why, count in self._counts.most_common())
            logger.warning("webhook refused %d requests since the last report (%s)", self._counts.total(), summary)
            self._counts.clear()
            self._logged_at = now


def webhook_app(application: BotApplication, webhook_url: str, secret: str, max_body_bytes: int = MAX_BODY_BYTES) -> Starlette:
    """Routes: POST <path of webhook_url> (Telegram) and GET /healthz."""
    path = urlsplit(webhook_url).path or "/"
    rejections = _Rejections()
    reader = UpdateReader()

    async def telegram(request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            rejections.add("wrong secret")
            return Response(status_code=403)
        body = await _body(request, max_body_bytes)
        if body is None:
            rejections.add("too large")
            return Response(status_code=413)
        try:
            raw = json.loads(body)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
            rejections.add("not JSON")
            return Response(status_code=400)
        update = reader.parse(raw, application.bot)
        if update is not None:
            await application.update_queue.put(update)
        return Response()

    async def healthz(_: Request) -> JSONResponse:
        services = services_of(application)
        return JSONResponse({"ok": application.running, "passages": services.retriever.size, "reindexing": services.reindexing})

    return Starlette(routes=[Route(path, telegram, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])])


async def _body(request: Request, limit: int) -> bytes | None:
    """The request body, or None once it passes `limit` bytes (read no further)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)
