"""/start, /lang and /profile: language, country and sector, each skippable and changeable.

/start walks through the three keyboards in turn (their callback data carries `:next`);
/lang and /profile open one keyboard at a time.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from bot.domain import ASEAN_COUNTRIES, LANGUAGES, SECTORS, Profile
from bot.prompts import Prompts
from bot.tg import account, alerts, keyboards
from bot.tg.context import BotContext
from bot.tg.render import render_text
from bot.tg.replies import say, send_parts, tapped, ui_language


async def start(update: Update, context: BotContext) -> None:
    """Greet in the user's language, say what the bot does in two lines, start the onboarding.

    `/start mydata` and `/start alerts` come from the deep links a group gets for /mydata and
    /alerts: send the export, or show the alerts screen, instead."""
    if context.args == [account.MYDATA_START]:
        await account.mydata_command(update, context)
        return
    if context.args == [alerts.ALERTS_START]:
        await alerts.alerts_command(update, context)
        return
    services = context.services
    lang = await ui_language(update.effective_user, services)
    prompts = services.prompts
    await send_parts(update.effective_message, render_text(f"{prompts.message(lang, 'greeting')}\n\n{prompts.message(lang, 'can_do')}"))
    await say(update, services, "choose_language", markup=keyboards.languages(prompts, lang, onboarding=True))


async def lang_command(update: Update, context: BotContext) -> None:
    """Offer the languages as buttons, each named in its own language."""
    services = context.services
    lang = await ui_language(update.effective_user, services)
    await say(update, services, "choose_language", markup=keyboards.languages(services.prompts, lang))


async def profile_command(update: Update, context: BotContext) -> None:
    """Show what the bot knows about the user's business, with buttons to change it."""
    services, user = context.services, update.effective_user
    assert user is not None
    lang = await ui_language(user, services)
    profile = await services.profiles.get(str(user.id))
    await send_parts(update.effective_message, render_text(_describe(profile, services.prompts, lang)), markup=keyboards.profile(services.prompts, lang))


async def profile_chosen(update: Update, context: BotContext) -> None:
    """Open the keyboard for the part of the profile to change."""
    services = context.services
    query, lang = await tapped(update, services)
    prompts = services.prompts
    what = keyboards.parse(query.data)[0]
    if what == keyboards.LANG:
        await query.edit_message_text(prompts.message(lang, "choose_language"), reply_markup=keyboards.languages(prompts, lang))
    elif what == keyboards.COUNTRY:
        await query.edit_message_text(prompts.message(lang, "choose_country"), reply_markup=keyboards.countries(prompts, lang))
    elif what == keyboards.SECTOR:
        await query.edit_message_text(prompts.message(lang, "choose_sector"), reply_markup=keyboards.sectors(prompts, lang))


async def language_chosen(update: Update, context: BotContext) -> None:
    """Store the tapped language and confirm in it; during onboarding, ask for the country next."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    code, onboarding = _choice(query)
    services = context.services
    if code in LANGUAGES:
        await services.profiles.update(str(query.from_user.id), lang=code)
    lang = await ui_language(query.from_user, services)
    await query.edit_message_text(services.prompts.message(lang, "language_set"))
    if onboarding:
        await _ask_next(query, services.prompts, lang, "choose_country", keyboards.countries(services.prompts, lang, onboarding=True))


async def country_chosen(update: Update, context: BotContext) -> None:
    """Store the country (it scopes answers); during onboarding, ask for the sector next."""
    await _profile_choice(update, context, "country", tuple(ASEAN_COUNTRIES), ("choose_sector", keyboards.sectors))


async def sector_chosen(update: Update, context: BotContext) -> None:
    """Store the sector; during onboarding, that was the last step."""
    await _profile_choice(update, context, "sector", SECTORS, None)


async def _profile_choice(
    update: Update, context: BotContext, field: str, allowed: tuple[str, ...], next_step: tuple[str, keyboards.KeyboardFactory] | None
) -> None:
    """Store a tapped profile value ("skip" stores nothing), show the profile as it now is;
    during onboarding, go on to `next_step` or finish."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    code, onboarding = _choice(query)
    services = context.services
    if code in allowed:
        await services.profiles.update(str(query.from_user.id), **{field: code})
    lang = await ui_language(query.from_user, services)
    profile = await services.profiles.get(str(query.from_user.id))
    await query.edit_message_text(_describe(profile, services.prompts, lang))
    if not onboarding:
        return
    if next_step:
        key, keyboard = next_step
        await _ask_next(query, services.prompts, lang, key, keyboard(services.prompts, lang, onboarding=True))
    else:
        assert query.message is not None
        await query.get_bot().send_message(query.message.chat.id, services.prompts.message(lang, "onboarding_done"))


async def _ask_next(query: CallbackQuery, prompts: Prompts, lang: str, key: str, markup: InlineKeyboardMarkup) -> None:
    assert query.message is not None
    await query.get_bot().send_message(query.message.chat.id, prompts.message(lang, key), reply_markup=markup)


def _describe(profile: Profile, prompts: Prompts, lang: str) -> str:
    """The profile as a few labelled lines in the user's language."""
    unset = prompts.message(lang, "not_set")
    language = prompts.message(profile.lang, "language_name") if profile.lang else unset
    country = prompts.message(lang, f"country_{profile.country.lower()}") if profile.country else unset
    sector = prompts.message(lang, f"sector_{profile.sector}") if profile.sector else unset
    return "\n".join(
        [
            prompts.message(lang, "profile_heading"),
            f"{prompts.message(lang, 'profile_language')}: {language}",
            f"{prompts.message(lang, 'profile_country')}: {country}",
            f"{prompts.message(lang, 'profile_sector')}: {sector}",
        ]
    )


def _choice(query: CallbackQuery) -> tuple[str, bool]:
    """("vi", True) from "lang:vi:next"."""
    parts = keyboards.parse(query.data)
    return (parts[0] if parts else ""), keyboards.NEXT in parts[1:]
