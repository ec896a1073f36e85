"""The words of /programmes: the list's heading, a programme's card, and the first check's
questions and verdicts, in the owner's language.

A text the programme file has no version of in that language is shown in English, and the card
or question then says so. Dates are written YYYY-MM-DD, which reads the same in every language.
"""

from __future__ import annotations

import datetime as dt

from bot.domain import Profile
from bot.knowledge import Programme
from bot.pipeline.programmes import card_sections, in_english
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
    whether it is open on `today` (the same card an answer's model reads)."""
    return render_sections(card_sections(programme, prompts, lang, today))


def question(programme: Programme, index: int, prompts: Prompts, lang: str) -> str:
    """Condition `index` of who_can_apply, asked as a yes/no question."""
    condition = programme.who_can_apply[index].shown(lang)
    lines = [prompts.message(lang, "check_question", number=index + 1, total=len(programme.who_can_apply)), "", condition.text]
    if in_english(lang, condition):
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
