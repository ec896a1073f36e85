"""/alerts: the owner switches each kind of alert on or off, on inline buttons.

Alerts go to the owner's private chat, so the screen is shown there only. The language the
owner reads the screen in is kept with their choice, for an owner who never set one in /profile.
"""

from __future__ import annotations

from telegram import Update

from bot.domain import AlertKind
from bot.tg import keyboards
from bot.tg.context import BotContext
from bot.tg.replies import sent_to_private_chat, tapped, ui_language

ALERTS_START = "alerts"  # the deep link t.me/<bot>?start=alerts opens the private chat with /start alerts


async def alerts_command(update: Update, context: BotContext) -> None:
    """The kinds of alert, each a button showing whether it is on."""
    services, user, message = context.services, update.effective_user, update.effective_message
    assert user is not None and message is not None
    lang = await ui_language(user, services)
    if await sent_to_private_chat(message, context.bot.username, services, lang, "alerts_private_only", start=ALERTS_START):
        return
    chosen = await services.alerts.kinds(str(user.id))
    await message.reply_text(services.prompts.message(lang, "alerts_intro"), reply_markup=keyboards.alerts(services.prompts, lang, chosen))


async def alert_chosen(update: Update, context: BotContext) -> None:
    """Switch the tapped kind on (from today) or off, and show the buttons as they now stand."""
    services = context.services
    query, lang = await tapped(update, services)
    user_id, kind = str(query.from_user.id), AlertKind(keyboards.parse(query.data)[0])
    if kind in await services.alerts.kinds(user_id):
        await services.alerts.unsubscribe(user_id, [kind])
    else:
        await services.alerts.subscribe(user_id, kind, lang, services.today())
    chosen = await services.alerts.kinds(user_id)
    await query.edit_message_text(services.prompts.message(lang, "alerts_intro"), reply_markup=keyboards.alerts(services.prompts, lang, chosen))
