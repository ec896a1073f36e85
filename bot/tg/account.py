"""/help, /privacy, /mydata and /forget: what the bot does and what it keeps about the user."""

from __future__ import annotations

import json

from telegram import Update

from bot.tg import keyboards
from bot.tg.context import BotContext
from bot.tg.replies import say, sent_to_private_chat, tapped, ui_language

MYDATA_FILENAME = "greenguide-my-data.json"
MYDATA_START = "mydata"  # the deep link t.me/<bot>?start=mydata opens the private chat with /start mydata


async def help_command(update: Update, context: BotContext) -> None:
    """The commands in the user's language, and how to use the bot in a group."""
    services = context.services
    lang = await ui_language(update.effective_user, services)
    prompts = services.prompts
    text = f"{prompts.message(lang, 'help')}\n\n{prompts.message(lang, 'help_groups', username=context.bot.username)}"
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, disable_web_page_preview=True)


async def privacy_command(update: Update, context: BotContext) -> None:
    """What is stored, why and for how long."""
    services = context.services
    await say(update, services, "privacy", retention_days=services.settings.storage.retention_days)


async def mydata_command(update: Update, context: BotContext) -> None:
    """Send the user every row stored about them, as a JSON file, in a private chat only:
    in a group the export (questions, answers, feedback) would be everyone's to read."""
    services, user, message = context.services, update.effective_user, update.effective_message
    assert user is not None and message is not None
    lang = await ui_language(user, services)
    if await sent_to_private_chat(message, context.bot.username, services, lang, "mydata_private_only", start=MYDATA_START):
        return
    data = await services.profiles.export(str(user.id))
    await message.reply_document(
        document=json.dumps(data, ensure_ascii=False, indent=2).encode(),
        filename=MYDATA_FILENAME,
        caption=services.prompts.message(lang, "mydata_caption"),
    )


async def forget_command(update: Update, context: BotContext) -> None:
    """Ask for confirmation before deleting anything."""
    services = context.services
    lang = await ui_language(update.effective_user, services)
    await say(update, services, "forget_confirm", markup=keyboards.forget(services.prompts, lang))


async def forget_chosen(update: Update, context: BotContext) -> None:
    """On "yes", delete the profile, conversation and feedback; either way, say what happened."""
    services = context.services
    query, lang = await tapped(update, services)  # the language before the profile (and its choice) is gone
    if keyboards.parse(query.data) == ["yes"]:
        await services.profiles.forget(str(query.from_user.id))
        await query.edit_message_text(services.prompts.message(lang, "forget_done"))
    else:
        await query.edit_message_text(services.prompts.message(lang, "forget_cancelled"))
