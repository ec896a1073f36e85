"""`greenbot broadcast FILE`: a content team's announcement, one text per language, sent to the
owners who opted into announcements, optionally only those of some countries, businesses or
languages.

The file is YAML:

    id: eudr-dates-moved-2025-12        # names it in the delivery ledger: never sent twice
    text:
      en: "The EU moved the EUDR dates…"
      vi: "…"
      …                                 # every language it is sent in

A text missing for a language it would be sent in is an error naming the language and line.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bot.alerts.plan import MAX_TEXT_CHARS, Alert, Outgoing, Plan, news_sections
from bot.domain import LANGUAGES, AlertKind, Subscriber
from bot.knowledge import Problem
from bot.knowledge.loader import read_model
from bot.knowledge.schema import SLUG, Language
from bot.prompts import Prompts


def _fits(text: str) -> str:
    """One Telegram message, as sent (HTML-escaped, "&" takes five characters)."""
    if len(html.escape(text)) > MAX_TEXT_CHARS:
        raise ValueError(f"is {len(html.escape(text))} characters as sent; keep it under {MAX_TEXT_CHARS} (one Telegram message)")
    return text.strip()


class Broadcast(BaseModel):
    """One announcement file; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG, max_length=64)
    text: dict[Language, Annotated[str, Field(min_length=1), AfterValidator(_fits)]]

    @property
    def key(self) -> str:
        return f"news:{self.id}"


def load_broadcast(path: Path, langs: Collection[str] = LANGUAGES) -> Broadcast | list[Problem]:
    """The announcement, or every reason it cannot be sent in `langs` (file:line each)."""
    if not path.is_file():
        return [Problem(path, 1, "no such file")]
    read = read_model(path, Broadcast, what="broadcast file", fields_of="broadcasts")
    if isinstance(read, list):
        return read
    broadcast, parsed = read
    missing = [lang for lang in LANGUAGES if lang in langs and lang not in broadcast.text]
    if missing:
        return [Problem(path, parsed.line_of(("text",)), f"text has no {', '.join(missing)} version: add it, or send only to the others with --lang")]
    return broadcast


def plan_broadcast(
    broadcast: Broadcast,
    subscribers: Iterable[Subscriber],
    held: set[tuple[str, str]],
    prompts: Prompts,
    *,
    countries: Collection[str] = (),
    sectors: Collection[str] = (),
    langs: Collection[str] = (),
) -> Plan:
    """One message to each owner who opted into announcements and fits every filter given
    (an owner who did not say their country or business fits no such filter)."""
    plan = Plan()
    alert = Alert(broadcast.key, AlertKind.NEWS)
    texts = {lang: news_sections(prompts, lang, text) for lang, text in broadcast.text.items()}
    wanted = {c.upper() for c in countries}
    for owner in subscribers:
        if AlertKind.NEWS not in owner.kinds:
            continue
        if (wanted and owner.country not in wanted) or (sectors and owner.sector not in sectors) or (langs and owner.lang not in langs):
            continue
        plan.owners += 1
        if (owner.user_id, alert.key) in held:
            plan.held += 1
        elif owner.lang in texts:
            plan.add(Outgoing(owner.user_id, owner.lang, (alert,), texts[owner.lang]))
    return plan
