"""How the bot speaks: the user's interface language and sending rendered parts safely."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest

from bot.domain import FALLBACK_LANG, LANGUAGES
from bot.language import supported_code
from bot.tg.render import Part, render_text

if TYPE_CHECKING:  # see bot/tg/__init__.py
    from bot.services import Services

logger = logging.getLogger(__name__)


async def ui_language(user: User | None, services: Services) -> str:
    """The language for the bot's own words: the user's choice, else their phone's, else English."""
    if user is None:
        return FALLBACK_LANG
    profile = await services.profiles.get(str(user.id))
    client = supported_code(user.language_code)
    return profile.lang or (client if client in LANGUAGES else None) or FALLBACK_LANG


async def tapped(update: Update, services: Services) -> tuple[CallbackQuery, str]:
    """Acknowledge a button tap (Telegram shows a spinner until then); the query and the user's language."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    return query, await ui_language(query.from_user, services)


async def sent_to_private_chat(message: Message, bot_username: str, services: Services, lang: str, key: str, start: str = "") -> bool:
    """Outside a private chat, reply with `key`'s message and a link to the private chat with the
    bot (opened with /start `start`, when given), and say so; in a private chat, do nothing."""
    if message.chat.type == ChatType.PRIVATE:
        return False
    link = f"https://t.me/{bot_username}" + (f"?start={start}" if start else "")
    await message.reply_text(services.prompts.message(lang, key, link=link), disable_web_page_preview=True)
    return True


async def say(update: Update, services: Services, key: str, *, markup: InlineKeyboardMarkup | None = None, **values: Any) -> None:
    """Reply with interface string `key` in the user's language."""
    lang = await ui_language(update.effective_user, services)
    await send_parts(update.effective_message, render_text(services.prompts.message(lang, key, **values)), markup=markup)


async def send_parts(message: Message | None, parts: list[Part], *, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Reply with each part as HTML (buttons under the last); if Telegram rejects the markup,
    send the same text plain. Returns the last message sent."""
    assert message is not None
    sent = None
    for index, part in enumerate(parts):
        sent = await _html_or_plain(part, functools.partial(_reply, message, markup if index == len(parts) - 1 else None))
    return sent


async def replace_parts(message: Message, parts: list[Part], *, markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Edit `message` (an answer's preview) into the first part, and send the others after it,
    the buttons under the last. Returns the last message."""
    first, rest = parts[0], parts[1:]
    edited = await _html_or_plain(first, functools.partial(_edit, message, None if rest else markup))
    return await send_parts(message, rest, markup=markup) if rest else edited


async def _html_or_plain(part: Part, send: Callable[[str, str | None], Awaitable[Message]]) -> Message:
    """`send` the part as HTML, or as plain text if Telegram rejects the markup."""
    try:
        return await send(part.html, ParseMode.HTML)
    except BadRequest as exc:
        if "can't parse entities" not in exc.message.lower():
            raise
        logger.warning("Telegram rejected the HTML (%s); sending plain text", exc.message)
        return await send(part.plain, None)


async def _reply(message: Message, markup: InlineKeyboardMarkup | None, text: str, parse_mode: str | None) -> Message:
    return await message.reply_text(text, parse_mode=parse_mode, disable_web_page_preview=True, reply_markup=markup)


async def _edit(message: Message, markup: InlineKeyboardMarkup | None, text: str, parse_mode: str | None) -> Message:
    edited = await message.edit_text(text, parse_mode=parse_mode, disable_web_page_preview=True, reply_markup=markup)
    return edited if isinstance(edited, Message) else message
