"""One structured log line per update, written by the update processor PTB runs every update through.

Handlers add what they learn (language, answer mode) with `note()`; the line carries the update
id, a keyed hash of the user id (never the id itself), the kind of update and the latency, and
never the message text or the token. The processor also skips an update it handled before:
Telegram delivers again what it had not yet confirmed when the bot stopped, crash or not.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import logging
import time
from collections.abc import Awaitable
from contextvars import ContextVar
from typing import Any

from telegram import Update
from telegram.ext import SimpleUpdateProcessor

from bot.storage import HandledUpdates

logger = logging.getLogger(__name__)

_fields: ContextVar[dict[str, Any] | None] = ContextVar("update_log_fields", default=None)


def note(**fields: Any) -> None:
    """Add fields to the log line of the update being handled (no-op outside one)."""
    current = _fields.get()
    if current is not None:
        current.update(fields)


class LoggedUpdateProcessor(SimpleUpdateProcessor):
    """Runs updates concurrently, as PTB's default does, and logs one line for each."""

    def __init__(self, max_concurrent_updates: int, user_key: bytes, handled: HandledUpdates) -> None:
        super().__init__(max_concurrent_updates)
        self._user_key = user_key
        self._handled = handled

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if isinstance(update, Update) and await self._handled.seen(update.update_id):
            logger.info("update=%s skipped: handled before the bot restarted", update.update_id)
            if inspect.iscoroutine(coroutine):  # PTB hands over the handlers' coroutine to await
                coroutine.close()
            return
        try:
            await self._logged(update, coroutine)
        finally:
            if isinstance(update, Update):
                await self._handled.record(update.update_id)

    async def _logged(self, update: object, coroutine: Awaitable[Any]) -> None:
        fields: dict[str, Any] = {}
        token = _fields.set(fields)
        started = time.perf_counter()
        try:
            await coroutine
        finally:
            _fields.reset(token)
            if isinstance(update, Update):
                user = update.effective_user
                line = {
                    "update": update.update_id,
                    "kind": fields.pop("kind", _kind(update)),
                    "user": self.user_hash(user.id) if user else "-",
                    "lang": fields.pop("lang", "-"),
                    "mode": fields.pop("mode", "-"),
                    **fields,
                    "latency_ms": round((time.perf_counter() - started) * 1000),
                }
                logger.info(" ".join(f"{key}={value}" for key, value in line.items()))

    def user_hash(self, user_id: int) -> str:
        """A stable pseudonym: the same user gives the same hash, which cannot be reversed without the key."""
        return hmac.new(self._user_key, str(user_id).encode(), hashlib.sha256).hexdigest()[:12]


def _kind(update: Update) -> str:
    if update.callback_query:
        return "button"
    if update.message_reaction:
        return "reaction"
    message = update.effective_message
    if message is None:
        return "other"
    if message.text:
        return "command" if message.text.startswith("/") else "text"
    return "voice" if message.voice else "media"
