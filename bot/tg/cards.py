"""The words of /programmes: the list's heading, a programme's card, and the first check's
questions and verdicts, in the owner's language.

A text the programme file has no version of in that language is shown in English, and the card
or question then says so. Dates are written YYYY-MM-DD, which reads the same in every language.
"""

from __future__ import annotations

import datetime as dt

from bot.domain import ALL_ASEAN, Profile
from bot.knowledge import Programme, ProgrammeStatus, Shown
from bot.prompts import Prompts
from bot.tg.render import Part, render_sections


def listing(prompts: Prompts, lang: str, profile: Profile, found: list[Programme]) -> str:
    """What the buttons of /programmes are: open programmes for the owner's country and business."""
    if profile.country is None:
        return prompts.message(lang, "programmes_asean" if found else "programmes_none", place=prompts.message(lang, "asean_wide"))
    place = prompts.message(lang, f"country_{profile.country.lower()}")
    if profile.sector is not None:
        place = f"{place} ({prompts.message(lang, f'sector_{profile.sector}')})"
    return prompts.message(lang, "programmes_for" if found else "programmes_none", place=place)


def card(programme: Programme, prompts: Prompts, lang: str, today: dt.date) -> list[Part]:
    """What you get, who can apply, how to apply, the link, when it was last checked, and
    whether it is open on `today`."""
    name, summary, gets, how = (text.shown(lang) for text in (programme.name, programme.summary, programme.what_you_get, programme.how_to_apply))
    conditions = [condition.shown(lang) for condition in programme.who_can_apply]
    where = prompts.message(lang, "asean_wide" if programme.country == ALL_ASEAN else f"country_{programme.country.lower()}")
    dates = [status_note(programme, prompts, lang, today), prompts.message(lang, "card_last_checked", date=programme.last_verified.isoformat())]
    sections = [
        (name.text, f"{programme.agency} · {where}\n{summary.text}"),
        (prompts.message(lang, "card_what_you_get"), gets.text),
        (prompts.message(lang, "card_who_can_apply"), "\n".join(f"• {c.text}" for c in conditions)),
        (prompts.message(lang, "card_how_to_apply"), f"{how.text}\n{programme.url}"),
        ("", " ".join(note for note in dates if note)),
    ]
    if _in_english(lang, name, summary, gets, how, *conditions):
        sections.append(("", prompts.message(lang, "card_in_english")))
    return render_sections(sections)


def status_note(programme: Programme, prompts: Prompts, lang: str, today: dt.date) -> str | None:
    """Closed since, opens on, or open until; None for an open programme with no closing date."""
    status = programme.status(today)
    if status is ProgrammeStatus.CLOSED and programme.closes is not None:
        return prompts.message(lang, "card_closed", date=programme.closes.isoformat())
    if status is ProgrammeStatus.UPCOMING and programme.opens is not None:
        return prompts.message(lang, "card_opens", date=programme.opens.isoformat())
    if programme.closes is not None:
        return prompts.message(lang, "card_open_until", date=programme.closes.isoformat())
    return None


def question(programme: Programme, index: int, prompts: Prompts, lang: str) -> str:
    """Condition `index` of who_can_apply, asked as a yes/no question."""
    condition = programme.who_can_apply[index].shown(lang)
    lines = [prompts.message(lang, "check_question", number=index + 1, total=len(programme.who_can_apply)), "", condition.text]
    if _in_english(lang, condition):
        lines += ["", prompts.message(lang, "card_in_english")]
    return "\n".join(lines)


def may_qualify(programme: Programme, prompts: Prompts, lang: str) -> str:
    """Every condition answered yes: how to apply, and that this is no promise."""
    return "\n\n".join(
        [
            prompts.message(lang, "check_may_qualify", name=programme.name.shown(lang).text),
            f"{programme.how_to_apply.shown(lang).text}\n{programme.url}",
            prompts.message(lang, "check_no_promise", agency=programme.agency),
        ]
    )


def not_for_you(programme: Programme, index: int, prompts: Prompts, lang: str, *, others: bool) -> str:
    """Condition `index` answered no: which one, that this is no promise, and whether other
    programmes (as buttons under this text) may suit."""
    condition = programme.who_can_apply[index].shown(lang).text
    return "\n\n".join(
        [
            prompts.message(lang, "check_not_for_you", condition=condition),
            prompts.message(lang, "check_no_promise", agency=programme.agency),
            prompts.message(lang, "check_others" if others else "check_no_others"),
        ]
    )


def _in_english(lang: str, *texts: Shown) -> bool:
    """True when some of `texts` stand in English for the owner's language."""
    return any(text.lang != lang for text in texts)
