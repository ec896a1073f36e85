"""Webhook transport: a Starlette app that checks Telegram's secret token and queues the update.

Telegram sends `X-Telegram-Bot-Api-Secret-Token` with every request once `setWebhook` was given
a `secret_token`; anything without it is refused with 403. `/healthz` is for the load balancer.
The handlers are the same as for polling: an update is put on the application's queue.
"""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update

from bot.tg.context import BotApplication, services_of

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_app(application: BotApplication, webhook_url: str, secret: str) -> Starlette:
    """Routes: POST <path of webhook_url> (Telegram) and GET /healthz."""
    path = urlsplit(webhook_url).path or "/"

    async def telegram(request: Request) -> Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            logger.warning("webhook request without the right secret token from %s", request.client.host if request.client else "?")
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):  # not JSON, or not an update
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response()

    async def healthz(_: Request) -> JSONResponse:
        services = services_of(application)
        return JSONResponse({"ok": application.running, "chunks": services.retriever.size, "reindexing": services.reindexing})

    return Starlette(routes=[Route(path, telegram, methods=["POST"]), Route("/healthz", healthz, methods=["GET"])])
