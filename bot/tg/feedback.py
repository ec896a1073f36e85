"""👍/👎 under answers (buttons, or reactions on the answer), and the optional reason after a 👎."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from telegram import ReactionTypeEmoji, Update
from telegram.constants import ChatType

from bot.storage import REASONS, Rating
from bot.tg import keyboards
from bot.tg.context import BotContext
from bot.tg.logs import note
from bot.tg.replies import tapped, ui_language

if TYPE_CHECKING:
    from bot.services import Services

_REACTIONS: dict[str, Rating] = {"👍": "up", "👎": "down"}


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
    await query.edit_message_reply_markup(keyboards.to_person(services.prompts, lang))  # one rating per answer; a person can still be asked
    if rating == "up":
        await query.answer(services.prompts.message(lang, "feedback_thanks"))
        return
    await query.answer()
    await _ask_why(context, services, query.message.chat.id, lang, feedback_id)


async def reacted(update: Update, context: BotContext) -> None:
    """A 👍 or 👎 the owner puts on an answer in a private chat is the same rating as the
    buttons, and a 👎 asks what was wrong, once. Other reactions, and reactions on messages that
    are not answers, store nothing."""
    reaction = update.message_reaction
    assert reaction is not None
    ratings = [_REACTIONS[r.emoji] for r in reaction.new_reaction if isinstance(r, ReactionTypeEmoji) and r.emoji in _REACTIONS]
    if reaction.chat.type != ChatType.PRIVATE or reaction.user is None or not ratings:
        return
    services, user_id = context.services, str(reaction.user.id)
    turn_id = await services.conversations.answered_in(user_id, reaction.chat.id, reaction.message_id)
    if turn_id is None:
        return
    before = await services.feedback.rating(user_id, turn_id)
    feedback_id = await services.feedback.rate(user_id, turn_id, ratings[-1])
    if feedback_id is None:  # the answer was deleted meanwhile
        return
    note(mode=f"feedback_{ratings[-1]}")
    if ratings[-1] == "down" and before != "down":  # not again for the same 👎 taken off and put back
        await _ask_why(context, services, reaction.chat.id, await ui_language(reaction.user, services), feedback_id)


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


async def _ask_why(context: BotContext, services: Services, chat_id: int, lang: str, feedback_id: int) -> None:
    """What was wrong with the answer, each reason one tap."""
    await context.bot.send_message(
        chat_id, services.prompts.message(lang, "feedback_why"), reply_markup=keyboards.reasons(services.prompts, lang, feedback_id, REASONS)
    )
