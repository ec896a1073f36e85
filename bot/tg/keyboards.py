"""Inline keyboards and their callback data, which Telegram limits to 64 bytes.

Callback data is `<kind>:<value>[:next]`; `:next` marks a step of the /start onboarding,
after which the next question follows. Handlers are routed by `<kind>` in app.py.
"""

from __future__ import annotations

import re
from typing import Protocol

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import ASEAN_COUNTRIES, LANGUAGES, SECTORS, AlertKind
from bot.knowledge import MAX_PROGRAMME_ID_CHARS, Programme
from bot.prompts import Prompts

LANG, COUNTRY, SECTOR, PROFILE = "lang", "country", "sector", "profile"
TOPIC, ASK, SECTOR_ASK, RATE, WHY, FORGET = "topic", "ask", "sask", "fb", "why", "forget"
PROGRAMME, CHECK, ANSWER = "prog", "check", "elig"  # a programme's card; its first check; one answer in it
ALERT = "alert"  # switch one kind of alert on or off
ADVISOR, ASK_ADVISOR = "advisor", "ask"  # advisor:ask shows whom to ask; advisor:yes / advisor:no answer "write a case summary?"
SKIP, NEXT = "skip", "next"
YES, NO = "yes", "no"
MAX_CALLBACK_BYTES = 64


class KeyboardFactory(Protocol):
    """languages, countries and sectors: the keyboards of the onboarding steps."""

    def __call__(self, prompts: Prompts, lang: str, *, onboarding: bool = False) -> InlineKeyboardMarkup: ...


def data(*parts: object) -> str:
    """Callback data from its parts; refuses anything Telegram would reject."""
    value = ":".join(str(p) for p in parts)
    if len(value.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {value!r}")
    return value


_PROGRAMME_ID = rf"[a-z0-9-]{{1,{MAX_PROGRAMME_ID_CHARS}}}"

# What each kind of button may carry after its kind (and an optional ":next"); ids and indexes
# are bounded so that a forged number can never overflow SQLite's 64-bit integers.
_VALUES = {
    LANG: r"[a-z]{2}|skip",
    COUNTRY: r"[A-Z]{2}|skip",
    SECTOR: r"[a-z]{1,20}|skip",
    PROFILE: "|".join((LANG, COUNTRY, SECTOR)),
    TOPIC: r"\d{1,3}",
    ASK: r"\d{1,3}:\d{1,3}",
    SECTOR_ASK: r"[a-z]{1,20}:\d{1,2}",
    RATE: r"(?:up|down):\d{1,18}",
    WHY: r"\d{1,18}:[a-z_]{1,20}",
    FORGET: r"yes|no",
    ADVISOR: rf"{ASK_ADVISOR}|yes|no",
    PROGRAMME: _PROGRAMME_ID,
    CHECK: _PROGRAMME_ID,
    ANSWER: rf"{_PROGRAMME_ID}:\d:(?:yes|no)",  # the condition's index and the answer
    ALERT: "|".join(AlertKind),
}
_VALID = re.compile("|".join(f"{kind}:(?:{values})(?::{NEXT})?" for kind, values in _VALUES.items()))


def is_valid(callback_data: str | None) -> bool:
    """True for data that one of our keyboards could have made (a forged or garbled tap is not)."""
    return callback_data is not None and _VALID.fullmatch(callback_data) is not None


def parse(callback_data: str | None) -> list[str]:
    """The parts after the kind: "fb:up:12" → ["up", "12"]."""
    return (callback_data or "").split(":")[1:]


def _rows(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def _step(onboarding: bool) -> tuple[str, ...]:
    return (NEXT,) if onboarding else ()


def languages(prompts: Prompts, lang: str, *, onboarding: bool = False) -> InlineKeyboardMarkup:
    """Each language named in itself."""
    buttons = [InlineKeyboardButton(prompts.message(code, "language_name"), callback_data=data(LANG, code, *_step(onboarding))) for code in LANGUAGES]
    if onboarding:
        buttons.append(InlineKeyboardButton(prompts.message(lang, "skip"), callback_data=data(LANG, SKIP, NEXT)))
    return _rows(buttons, 3)


def countries(prompts: Prompts, lang: str, *, onboarding: bool = False) -> InlineKeyboardMarkup:
    """The ASEAN members, named in the user's language."""
    buttons = [
        InlineKeyboardButton(prompts.message(lang, f"country_{code.lower()}"), callback_data=data(COUNTRY, code, *_step(onboarding)))
        for code in ASEAN_COUNTRIES
    ]
    buttons.append(InlineKeyboardButton(prompts.message(lang, "skip"), callback_data=data(COUNTRY, SKIP, *_step(onboarding))))
    return _rows(buttons, 3)


def sectors(prompts: Prompts, lang: str, *, onboarding: bool = False) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(prompts.message(lang, f"sector_{s}"), callback_data=data(SECTOR, s, *_step(onboarding))) for s in SECTORS]
    buttons.append(InlineKeyboardButton(prompts.message(lang, "skip"), callback_data=data(SECTOR, SKIP, *_step(onboarding))))
    return _rows(buttons, 2)


def profile(prompts: Prompts, lang: str) -> InlineKeyboardMarkup:
    keys = (("change_language", LANG), ("change_country", COUNTRY), ("change_sector", SECTOR))
    return _rows([InlineKeyboardButton(prompts.message(lang, key), callback_data=data(PROFILE, what)) for key, what in keys], 1)


def topics(prompts: Prompts, lang: str, sector: str | None = None) -> InlineKeyboardMarkup:
    """The questions for the owner's kind of business first, one a row; then one button per
    topic, two a row (the index keeps the data short whatever the topic id)."""
    first = [[InlineKeyboardButton(q, callback_data=data(SECTOR_ASK, sector, i))] for i, q in enumerate(prompts.sector_questions(lang, sector))]
    buttons = [InlineKeyboardButton(t.name, callback_data=data(TOPIC, i)) for i, t in enumerate(prompts.topics(lang).values())]
    return InlineKeyboardMarkup(first + [list(row) for row in _rows(buttons, 2).inline_keyboard])


def questions(prompts: Prompts, lang: str, topic_index: int) -> InlineKeyboardMarkup:
    topic = list(prompts.topics(lang).values())[topic_index]
    return _rows([InlineKeyboardButton(q, callback_data=data(ASK, topic_index, i)) for i, q in enumerate(topic.questions)], 1)


def rating(turn_id: int, prompts: Prompts, lang: str) -> InlineKeyboardMarkup:
    """👍 and 👎 under an answer, and a way to a person."""
    thumbs = [InlineKeyboardButton("👍", callback_data=data(RATE, "up", turn_id)), InlineKeyboardButton("👎", callback_data=data(RATE, "down", turn_id))]
    return InlineKeyboardMarkup([thumbs, *to_person(prompts, lang).inline_keyboard])


def to_person(prompts: Prompts, lang: str) -> InlineKeyboardMarkup:
    """The button that shows whom to ask: under an answer, and still there once it is rated."""
    return _rows([InlineKeyboardButton(prompts.message(lang, "talk_to_person"), callback_data=data(ADVISOR, ASK_ADVISOR))], 1)


def consent(prompts: Prompts, lang: str) -> InlineKeyboardMarkup:
    """Yes or no to "shall I write a case summary for you to forward?"."""
    return _rows([InlineKeyboardButton(prompts.message(lang, f"referral_{a}"), callback_data=data(ADVISOR, a)) for a in (YES, NO)], 2)


def reasons(prompts: Prompts, lang: str, feedback_id: int, choices: tuple[str, ...]) -> InlineKeyboardMarkup:
    """What was wrong with an answer, each reason one tap."""
    return _rows([InlineKeyboardButton(prompts.message(lang, f"reason_{r}"), callback_data=data(WHY, feedback_id, r)) for r in choices], 1)


def forget(prompts: Prompts, lang: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            InlineKeyboardButton(prompts.message(lang, "forget_yes"), callback_data=data(FORGET, "yes")),
            InlineKeyboardButton(prompts.message(lang, "forget_no"), callback_data=data(FORGET, "no")),
        ],
        2,
    )


def alerts(prompts: Prompts, lang: str, chosen: set[AlertKind]) -> InlineKeyboardMarkup:
    """One button per kind of alert, ✅ when the owner has it on; a tap switches it."""
    return _rows(
        [
            InlineKeyboardButton(
                f"{'✅' if kind in chosen else '◻️'} {prompts.message(lang, f'alerts_kind_{kind.value}')}", callback_data=data(ALERT, kind.value)
            )
            for kind in AlertKind
        ],
        1,
    )


def programmes(listed: list[Programme], lang: str) -> InlineKeyboardMarkup:
    """One programme a row, named in the owner's language; each opens its card."""
    return _rows([InlineKeyboardButton(p.name.shown(lang).text, callback_data=data(PROGRAMME, p.id)) for p in listed], 1)


def card(prompts: Prompts, lang: str, programme: Programme, *, checkable: bool) -> InlineKeyboardMarkup:
    """Under a card: the first check (only while the programme is open) and its website."""
    buttons = [InlineKeyboardButton(prompts.message(lang, "check_start"), callback_data=data(CHECK, programme.id))] if checkable else []
    return _rows([*buttons, _website(prompts, lang, programme)], 1)


def answers(prompts: Prompts, lang: str, programme: Programme, index: int) -> InlineKeyboardMarkup:
    """Yes and No to condition `index` of the first check."""
    return _rows([InlineKeyboardButton(prompts.message(lang, f"check_{a}"), callback_data=data(ANSWER, programme.id, index, a)) for a in (YES, NO)], 2)


def website(prompts: Prompts, lang: str, programme: Programme) -> InlineKeyboardMarkup:
    return _rows([_website(prompts, lang, programme)], 1)


def _website(prompts: Prompts, lang: str, programme: Programme) -> InlineKeyboardButton:
    return InlineKeyboardButton(prompts.message(lang, "card_website"), url=str(programme.url))
