"""How the bot speaks: the user's interface language and sending rendered parts safely."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update, User
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
        buttons = markup if index == len(parts) - 1 else None
        try:
            sent = await message.reply_html(part.html, disable_web_page_preview=True, reply_markup=buttons)
        except BadRequest as exc:
            if "can't parse entities" not in exc.message.lower():
                raise
            logger.warning("Telegram rejected the HTML (%s); sending plain text", exc.message)
            sent = await message.reply_text(part.plain, disable_web_page_preview=True, reply_markup=buttons)
    return sent
