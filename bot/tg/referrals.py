"""Referral to a person: whom to ask, and, only on the owner's yes, a case summary they can
forward themselves.

An owner asks for a person in words (the pipeline recognises it and lists the places), with
/advisor, or with the button under an answer. The summary holds their last question, their
country and their business: no name, username or id of theirs, and it goes to no one but them,
in their private chat only (in a group, the others would read a question they may have asked
the bot alone). The bot never contacts a place.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType

from bot.domain import Profile
from bot.prompts import Prompts
from bot.tg import keyboards
from bot.tg.context import BotContext
from bot.tg.render import render_answer, render_text
from bot.tg.replies import send_parts, tapped, ui_language


async def referral_requested(update: Update, context: BotContext) -> None:
    """The button under an answer: the places for the owner's country, then the consent question."""
    query, lang = await tapped(update, context.services)
    await _places(update, context, str(query.from_user.id), lang)


async def advisor_command(update: Update, context: BotContext) -> None:
    """/advisor: the same as the button, for an owner who has no answer to tap under."""
    assert update.effective_user is not None
    await _places(update, context, str(update.effective_user.id), await ui_language(update.effective_user, context.services))


async def _places(update: Update, context: BotContext, user_id: str, lang: str) -> None:
    """The places for the owner's country, then the consent question."""
    services = context.services
    profile = await services.profiles.get(user_id)
    answer = services.pipeline.referral(lang, profile.country)
    prompts = services.prompts
    await send_parts(update.effective_message, render_answer(answer, prompts.message(lang, "sources_heading"), prompts.message(lang, "applies_to")))
    assert update.effective_message is not None
    await ask_consent(update.effective_message, prompts, lang)


async def ask_consent(message: Message, prompts: Prompts, lang: str) -> None:
    """Ask whether to write a case summary, with Yes and No buttons: in a private chat only."""
    if message.chat.type == ChatType.PRIVATE:
        await send_parts(message, render_text(prompts.message(lang, "referral_consent")), markup=keyboards.consent(prompts, lang))


async def consent_given(update: Update, context: BotContext) -> None:
    """Yes: the consent question becomes the note on forwarding, and the summary follows as a
    message of its own, ready to forward. No: nothing is written, and the owner is told so."""
    services = context.services
    query, lang = await tapped(update, services)
    prompts = services.prompts
    if keyboards.parse(query.data)[0] != keyboards.YES:
        await query.edit_message_text(prompts.message(lang, "referral_declined"))
        return
    user_id = str(query.from_user.id)
    profile = await services.profiles.get(user_id)
    last = await services.conversations.recent_turns(user_id, 1)
    await query.edit_message_text(prompts.message(lang, "referral_summary_intro"))
    await send_parts(update.effective_message, render_text(case_summary(prompts, lang, profile, last[-1].question if last else None)))


def case_summary(prompts: Prompts, lang: str, profile: Profile, question: str | None) -> str:
    """What a place needs to start: the owner's last question, country and business, in their
    language; never who they are on Telegram."""
    not_given = prompts.message(lang, "case_not_given")
    country = prompts.message(lang, f"country_{profile.country.lower()}") if profile.country else not_given
    business = prompts.message(lang, f"sector_{profile.sector}") if profile.sector else not_given
    lines = [
        prompts.message(lang, "case_heading"),
        f"{prompts.message(lang, 'case_country')}: {country}",
        f"{prompts.message(lang, 'case_business')}: {business}",
        f"{prompts.message(lang, 'case_question')}: {question or not_given}",
    ]
    return "\n".join(lines)
