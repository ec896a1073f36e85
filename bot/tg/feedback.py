"""👍/👎 under answers, and the optional reason after a 👎."""

from __future__ import annotations

from typing import cast

from telegram import Update

from bot.storage import REASONS, Rating
from bot.tg import keyboards
from bot.tg.context import BotContext
from bot.tg.logs import note
from bot.tg.replies import tapped, ui_language


async def rated(update: Update, context: BotContext) -> None:
    """Store the rating of the answer the buttons were under; after 👎, ask what was wrong."""
    query = update.callback_query
    assert query is not None and query.message is not None
    services = context.services
    lang = await ui_language(query.from_user, services)
    try:
        rating, turn_id = keyboards.parse(query.data)
        feedback_id = await services.feedback.rate(str(query.from_user.id), int(turn_id), cast(Rating, rating)) if rating in ("up", "down") else None
    except ValueError:
        feedback_id = None
    if feedback_id is None:  # a malformed button, or the answer was deleted meanwhile
        await query.answer()
        return
    note(mode=f"feedback_{rating}")
    await query.edit_message_reply_markup(None)  # one rating per answer
    if rating == "up":
        await query.answer(services.prompts.message(lang, "feedback_thanks"))
        return
    await query.answer()
    await query.get_bot().send_message(
        query.message.chat.id,
        services.prompts.message(lang, "feedback_why"),
        reply_markup=keyboards.reasons(services.prompts, lang, feedback_id, REASONS),
    )


async def reason_chosen(update: Update, context: BotContext) -> None:
    """Attach the tapped reason to the 👎 and thank the user."""
    services = context.services
    query, lang = await tapped(update, services)
    try:
        feedback_id, reason = keyboards.parse(query.data)
        await services.feedback.explain(str(query.from_user.id), int(feedback_id), reason)
    except ValueError:
        return
    await query.edit_message_text(services.prompts.message(lang, "feedback_thanks"))
