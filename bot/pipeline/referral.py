"""A referral to a person: the places of the owner's country, then the ASEAN-wide ones, that
take requests for help, with the contacts public sources give, in the owner's language.

The bot only shows them: the owner contacts a place themselves. The case summary an owner may
forward (tg/referrals.py) is written only when they say yes, and sent to no one but them.
"""

from __future__ import annotations

from bot.knowledge import Place, Referrals
from bot.prompts import Prompts


def referral_text(referrals: Referrals, prompts: Prompts, lang: str, country: str | None) -> str:
    """Who to ask in `country` (the ASEAN-wide places only, without one), each with what to ask
    it about and how to reach it; paragraphs apart, so that a long list splits between places."""
    regional = referrals.places_for(None)
    national = [place for place in referrals.places_for(country) if place not in regional]
    if country is not None:
        intro = prompts.message(lang, "referral_intro", place=prompts.message(lang, f"country_{country.lower()}"))
    else:
        intro = prompts.message(lang, "referral_intro_asean")
    paragraphs = [intro, *(_place(place, prompts, lang) for place in national)]
    if national and regional:
        asean = prompts.message(lang, "asean_wide")
        paragraphs.append(f"{asean[:1].upper()}{asean[1:]}:")
    paragraphs += [_place(place, prompts, lang) for place in regional]
    return "\n\n".join(paragraphs)


def _place(place: Place, prompts: Prompts, lang: str) -> str:
    """Its name, what it helps with, and each contact a source gives."""
    contacts = [
        f"{prompts.message(lang, key)}: {value}"
        for key, value in (
            ("card_website", place.website),
            ("contact_email", place.email),
            ("contact_phone", place.phone),
            ("contact_address", place.address),
        )
        if value is not None
    ]
    return "\n".join([place.name, place.helps_with.shown(lang).text, *([" · ".join(contacts)] if contacts else [])])
