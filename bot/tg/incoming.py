"""Updates as Telegram sends them, read at the edge before python-telegram-bot sees them.

PTB parses a whole getUpdates batch at once: one update it cannot read (a Bot API server of
another version, a field of the wrong type) fails the batch, PTB logs the raw batch (message
texts, user ids) at CRITICAL, and polling asks for the same batch again, for ever. Here each
update is tried alone; one that fails is logged once, by its id and the error's type only,
and replaced by a bare update with the same id, which no handler matches, so polling moves on.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from telegram import Bot, Update

logger = logging.getLogger(__name__)

_PARSE_ERRORS = (TypeError, ValueError, KeyError, AttributeError)  # what PTB's de_json raises on bad data
_REMEMBERED = 1000  # update ids already reported, so that a re-delivered one is not reported again


class UpdateReader:
    """Tells readable updates from unreadable ones, reporting each unreadable one once."""

    def __init__(self) -> None:
        self._reported: deque[int] = deque(maxlen=_REMEMBERED)

    def parse(self, raw: Any, bot: Bot | None = None) -> Update | None:
        """The update (tied to `bot`, for replies), or None (reported once) when PTB cannot read it."""
        try:
            return Update.de_json(raw, bot)
        except _PARSE_ERRORS as exc:
            self._report(raw, exc)
            return None

    def readable(self, batch: list[Any]) -> list[Any]:
        """A getUpdates result with each unreadable update replaced by a bare one of the same id."""
        kept = []
        for raw in batch:
            if self.parse(raw) is not None:
                kept.append(raw)
            elif isinstance(raw, dict) and isinstance(raw.get("update_id"), int):
                kept.append({"update_id": raw["update_id"]})
        return kept

    def _report(self, raw: Any, exc: Exception) -> None:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if update_id in self._reported:
            return
        if isinstance(update_id, int):
            self._reported.append(update_id)
        kinds = sorted(k for k in raw if k != "update_id") if isinstance(raw, dict) else []
        logger.warning("skipped update %s (%s): python-telegram-bot cannot read it: %s", update_id, "/".join(kinds) or "?", type(exc).__name__)
