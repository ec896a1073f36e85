"""The one error handler: log first (with the update id), then apologise in the user's language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TimedOut

from bot.tg.context import BotContext
from bot.tg.logs import note
from bot.tg.replies import ui_language

logger = logging.getLogger(__name__)


async def error_handler(update: object, context: BotContext) -> None:
    """One failing update never stops the bot; the user hears that something went wrong,
    unless a message timed out on its way: Telegram may have delivered it all the same."""
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(context.error, TimedOut):
        logger.warning("update %s: a Bot API call timed out and may have been carried out; no apology sent", update_id)
        note(mode="timed_out")
        return
    logger.error("update %s failed", update_id, exc_info=context.error)
    note(mode="error")
    if isinstance(update, Update) and update.effective_message is not None:
        services = context.services
        lang = await ui_language(update.effective_user, services)
        await update.effective_message.reply_text(services.prompts.message(lang, "error"))


async def unknown_command(update: Update, context: BotContext) -> None:
    """Commands the bot does not have (or this user may not use)."""
    services = context.services
    lang = await ui_language(update.effective_user, services)
    assert update.effective_message is not None
    await update.effective_message.reply_text(services.prompts.message(lang, "unknown_command"))
