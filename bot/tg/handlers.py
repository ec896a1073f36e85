"""One coroutine per command or message type: Update → Question → pipeline → reply.

Handlers only translate between Telegram and the pipeline; what to answer is decided there.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.domain import LANGUAGES, Question
from bot.language import normalise_code
from bot.services import Services
from bot.tg.render import Part, render_answer, render_text

logger = logging.getLogger(__name__)

LANG_CALLBACK = "lang:"


def services_of(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The services opened in post_init."""
    services = context.application.bot_data["services"]
    assert isinstance(services, Services)
    return services


async def ui_language(update: Update, services: Services) -> str:
    """The language for the bot's own words: the user's choice, else their phone's, else English."""
    user = update.effective_user
    if user is None:
        return "en"
    profile = await services.profiles.get(str(user.id))
    client = normalise_code(user.language_code)
    return profile.lang or (client if client in LANGUAGES else None) or "en"


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet in the user's language, say what the bot does, offer the language choice."""
    services = services_of(context)
    lang = await ui_language(update, services)
    text = f"{services.prompts.message(lang, 'greeting')}\n\n{services.prompts.message(lang, 'can_do')}"
    await send_parts(update.effective_message, render_text(text))
    await lang_command(update, context)


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the languages as buttons, each named in its own language."""
    services = services_of(context)
    lang = await ui_language(update, services)
    buttons = [
        InlineKeyboardButton(services.prompts.message(code, "language_name"), callback_data=f"{LANG_CALLBACK}{code}")
        for code in LANGUAGES
    ]
    keyboard = InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])
    assert update.effective_message is not None
    await update.effective_message.reply_text(services.prompts.message(lang, "choose_language"), reply_markup=keyboard)


async def language_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Store the tapped language and confirm in it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    code = query.data.removeprefix(LANG_CALLBACK)
    await query.answer()
    if code not in LANGUAGES:
        return
    services = services_of(context)
    await services.profiles.update(str(query.from_user.id), lang=code)
    await query.edit_message_text(services.prompts.message(code, "language_set"))


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message through the pipeline."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = services_of(context)
    profile = await services.profiles.get(str(user.id))
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    answer = await services.pipeline.answer(
        Question(
            text=message.text,
            user_id=str(user.id),
            chosen_lang=profile.lang,
            client_lang=user.language_code,
            country=profile.country,
        )
    )
    prompts = services.prompts
    parts = render_answer(answer, prompts.message(answer.language, "sources_heading"), prompts.message(answer.language, "applies_to"))
    await send_parts(message, parts)
    logger.info("update %s: lang=%s mode=%s latency_ms=%.0f", update.update_id, answer.language, answer.mode, answer.timings_ms.get("total", 0))


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, documents, locations and voice notes: say what the bot can read."""
    services = services_of(context)
    lang = await ui_language(update, services)
    await send_parts(update.effective_message, render_text(services.prompts.message(lang, "text_only")))


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log first, then apologise in the user's language; one failing update never stops the bot."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("update %s failed", update_id, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        services = services_of(context)
        lang = await ui_language(update, services)
        await update.effective_message.reply_text(services.prompts.message(lang, "error"))


async def send_parts(message: Message | None, parts: list[Part]) -> None:
    """Reply with each part as HTML; if Telegram rejects the markup, send the same text plain."""
    assert message is not None
    for part in parts:
        try:
            await message.reply_html(part.html, disable_web_page_preview=True)
        except BadRequest as exc:
            if "can't parse entities" not in exc.message.lower():
                raise
            logger.warning("Telegram rejected the HTML (%s); sending plain text", exc.message)
            await message.reply_text(part.plain, disable_web_page_preview=True)
