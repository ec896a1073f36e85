"""A model's answer shown in a private chat while it is written, then replaced by the checked answer.

With `Preview.DRAFT` the text so far goes out as a draft (`sendMessageDraft`), and the answer
then as a message of its own, with its sources and 👍/👎. With `Preview.EDIT`, for Bot API
servers that refuse drafts, the first preview is a message that is edited as the text grows and
at the end into the answer. A refused draft switches the whole bot to `EDIT`, at once.

Previews are paced (`Pace`): one at most every `draft_every_s` (`edit_every_s`), counted from
when the last one went through so that Telegram never sees two closer together, and only once
`preview_min_words` words were added; a `RetryAfter` holds the next one back as long as it asks.
They are sent by a task of their own, so a slow Bot API call never holds up the answer, and never
waited for or tried again by the flood limiter (flood.py: `PREVIEW`); the checked answer goes
out only after the preview call in flight, so no preview lands after it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.config import Preview, TelegramSettings
from bot.tg.flood import PREVIEW
from bot.tg.render import TELEGRAM_LIMIT, Part
from bot.tg.replies import replace_parts, send_parts

logger = logging.getLogger(__name__)

_REFUSED = (BadRequest, Forbidden, InvalidToken)  # what a server without drafts answers (a 404 is InvalidToken to PTB)


class Pace:
    """When the next preview may go, on `clock`: not before `every_s` after the last one went
    through (or a `RetryAfter`), and only with `min_words` words more than it showed."""

    def __init__(self, every_s: float, min_words: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._every_s = every_s
        self._min_words = min_words
        self._clock = clock
        self._shown_words = 0
        self._next_at = float("-inf")

    def wait_s(self, text: str) -> float | None:
        """Seconds until `text` may be shown (0: now); None while it adds too few words."""
        if len(text.split()) - self._shown_words < self._min_words:
            return None
        return max(0.0, self._next_at - self._clock())

    def shown(self, text: str) -> None:
        self._shown_words = len(text.split())
        self._next_at = self._clock() + self._every_s

    def hold(self, seconds: float) -> None:
        """Telegram asked to wait: nothing goes before then."""
        self._next_at = max(self._next_at, self._clock() + seconds)


class Previews:
    """How private chats see answers being written, for the whole bot: what the settings ask,
    until a server refuses drafts."""

    def __init__(self, settings: TelegramSettings) -> None:
        self._settings = settings
        self.kind = settings.preview

    def start(self, bot: ExtBot[int], chat_id: int, draft_id: int, *, private: bool) -> AnswerPreview:
        """The preview of one answer; in a group, or with previews off, it shows nothing."""
        return AnswerPreview(bot, chat_id, draft_id, self, self.kind if private else Preview.NONE)

    def pace(self, kind: Preview) -> Pace:
        every_s = self._settings.edit_every_s if kind is Preview.EDIT else self._settings.draft_every_s
        return Pace(every_s, self._settings.preview_min_words)

    def refuse_drafts(self, error: TelegramError) -> None:
        if self.kind is Preview.DRAFT:
            logger.warning("the Bot API server refused a draft (%s): answers are previewed by editing a message from now on", error)
        self.kind = Preview.EDIT


class AnswerPreview:
    """The preview of one answer, in `async with` while the answer is made: `offer` it the text
    so far as often as it comes; then `deliver` the checked answer."""

    def __init__(self, bot: ExtBot[int], chat_id: int, draft_id: int, previews: Previews, kind: Preview) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._draft_id = draft_id  # non-zero; a draft's changes under one id are animated
        self._previews = previews
        self._kind = kind
        self._pace = previews.pace(kind)
        self._latest = ""
        self._offered = asyncio.Event()
        self._sending = False
        self._closing = False
        self._message: Message | None = None  # EDIT: the message the preview is shown in
        self.shown = 0  # previews that went through
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> AnswerPreview:
        if self._kind is not Preview.NONE:
            self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop previewing; a preview call in flight is waited for, so that none lands after the answer."""
        self._closing = True
        if self._task is None:
            return
        if not self._sending:  # waiting for text or for the pace: nothing in flight
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def offer(self, text: str) -> None:
        """The answer so far (the whole text); shown when the pace allows, if still the latest."""
        self._latest = text
        self._offered.set()

    async def deliver(self, reply_to: Message, parts: list[Part], markup: InlineKeyboardMarkup | None) -> Message | None:
        """The answer, once previewing stopped: as new messages after drafts (or none), or into
        the preview message after edits. The last message sent (or edited) is returned."""
        if self._message is None:
            return await send_parts(reply_to, parts, markup=markup)
        return await replace_parts(self._message, parts, markup=markup)

    async def _run(self) -> None:
        while not self._closing:
            await self._offered.wait()
            wait = self._pace.wait_s(self._latest)
            if wait is None:
                self._offered.clear()
            elif wait > 0:
                await asyncio.sleep(wait)
            else:
                self._offered.clear()
                self._sending = True
                try:
                    await self._show(self._latest)
                finally:
                    self._sending = False

    async def _show(self, text: str) -> None:
        """One preview. A refused draft switches to editing; one that failed otherwise is let go
        (the next carries its text): the answer itself is what matters."""
        try:
            await self._send(text if len(text) <= TELEGRAM_LIMIT else f"{text[: TELEGRAM_LIMIT - 1]}…")
        except RetryAfter as exc:
            self._pace.hold(_seconds(exc))
            return
        except _REFUSED as exc:
            if self._kind is Preview.DRAFT:
                self._previews.refuse_drafts(exc)
                self._kind, self._pace = Preview.EDIT, self._previews.pace(Preview.EDIT)
                self._offered.set()  # the same text again, as an edit
                return
            logger.info("a preview edit was refused: %s", exc)
        except TelegramError as exc:  # a lost connection, a timeout
            logger.info("a preview did not go through: %s", exc)
        else:
            self.shown += 1
        self._pace.shown(text)

    async def _send(self, text: str) -> None:
        if self._kind is Preview.DRAFT:
            await self._bot.send_message_draft(self._chat_id, self._draft_id, text, rate_limit_args=PREVIEW)
        elif self._message is None:
            self._message = await self._bot.send_message(self._chat_id, text, rate_limit_args=PREVIEW)
        else:
            await self._bot.edit_message_text(text, self._chat_id, self._message.message_id, rate_limit_args=PREVIEW)


def _seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
