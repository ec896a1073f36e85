"""/programmes: the programmes open for the owner, each one's card, and a first check of
whether they may qualify, on inline buttons.

Every tap reads the programme again from the directory and asks whether it is open today, so a
button from before a programme closed never offers it as open. The check keeps no state: each
button carries the programme, the condition it answers and the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Update

from bot.knowledge import Programme, ProgrammeStatus
from bot.pipeline.programmes import status_note
from bot.tg import cards, keyboards
from bot.tg.context import BotContext
from bot.tg.render import render_text
from bot.tg.replies import say, send_parts, tapped, ui_language

if TYPE_CHECKING:  # see bot/tg/__init__.py
    from bot.services import Services


async def programmes_command(update: Update, context: BotContext) -> None:
    """The programmes open today for the owner's country (and ASEAN-wide ones) and business, as buttons."""
    services, user = context.services, update.effective_user
    assert user is not None
    lang = await ui_language(user, services)
    profile = await services.profiles.get(str(user.id))
    found = services.directory.matching(country=profile.country, sector=profile.sector, today=services.today())
    markup = keyboards.programmes(found, lang) if found else None
    await send_parts(update.effective_message, render_text(cards.listing(services.prompts, lang, profile, found)), markup=markup)


async def programme_chosen(update: Update, context: BotContext) -> None:
    """Send the tapped programme's card; the first check is offered only while it is open."""
    services = context.services
    query, lang = await tapped(update, services)
    programme = services.directory.get(keyboards.parse(query.data)[0])
    if programme is None:
        await say(update, services, "programme_gone")
        return
    today = services.today()
    markup = keyboards.card(services.prompts, lang, programme, checkable=programme.status(today) is ProgrammeStatus.OPEN)
    await send_parts(update.effective_message, cards.card(programme, services.prompts, lang, today), markup=markup)


async def check_started(update: Update, context: BotContext) -> None:
    """Ask the programme's first condition, in a message of its own under the card."""
    services = context.services
    query, lang = await tapped(update, services)
    programme = await _open_or_say_why_not(update, services, keyboards.parse(query.data)[0], lang)
    if programme is not None:
        text = cards.question(programme, 0, services.prompts, lang)
        await send_parts(update.effective_message, render_text(text), markup=keyboards.answers(services.prompts, lang, programme, 0))


async def check_answered(update: Update, context: BotContext) -> None:
    """Yes: the next condition, or "you may qualify" and how to apply after the last one.
    No: "this one is not for you", with other open programmes of the same kind as buttons."""
    services = context.services
    query, lang = await tapped(update, services)
    programme_id, index, answer = keyboards.parse(query.data)
    programme = await _open_or_say_why_not(update, services, programme_id, lang)
    if programme is None:
        return
    prompts, step, last = services.prompts, int(index), len(programme.who_can_apply) - 1
    if step > last:  # a keyboard from before the conditions changed: start again
        await query.edit_message_text(cards.question(programme, 0, prompts, lang), reply_markup=keyboards.answers(prompts, lang, programme, 0))
    elif answer == keyboards.NO:
        profile = await services.profiles.get(str(query.from_user.id))
        others = services.directory.alternatives(programme, country=profile.country, sector=profile.sector, today=services.today())
        text = cards.not_for_you(programme, step, prompts, lang, others=bool(others))
        await query.edit_message_text(text, reply_markup=keyboards.programmes(others, lang) if others else None)
    elif step < last:
        await query.edit_message_text(cards.question(programme, step + 1, prompts, lang), reply_markup=keyboards.answers(prompts, lang, programme, step + 1))
    else:
        await query.edit_message_text(cards.may_qualify(programme, prompts, lang), reply_markup=keyboards.website(prompts, lang, programme))


async def _open_or_say_why_not(update: Update, services: Services, programme_id: str, lang: str) -> Programme | None:
    """The programme when it is open today; otherwise tell the owner that it is gone, closed or not open yet."""
    programme = services.directory.get(programme_id)
    if programme is None:
        await say(update, services, "programme_gone")
        return None
    today = services.today()
    if programme.status(today) is ProgrammeStatus.OPEN:
        return programme
    note = status_note(programme, services.prompts, lang, today)
    assert note is not None  # a programme that is not open has the date that closed it or will open it
    await send_parts(update.effective_message, render_text(note))
    return None
