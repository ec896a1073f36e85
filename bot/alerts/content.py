"""What alerts can tell: the guides (when each last changed, whom it concerns, its title and
opening in every language it has) and the rules' deadlines in their front matter.

Read once per run from the knowledge folder, so that a run's every owner is planned from the
same content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain import ALL_ASEAN, SentenceKind
from bot.knowledge import Deadline, Document, Shown
from bot.knowledge.schema import ENGLISH
from bot.language.sentences import split_sentences

_TIP_SENTENCES = 2  # of a guide's opening: a tip is read on a phone


@dataclass(frozen=True)
class Guide:
    """One guide in all its languages, as alerts need it."""

    id: str  # the English original's
    updated: dt.date  # the English original's: a change there is a change for every language
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    titles: dict[str, str]  # language → title
    openings: dict[str, str]  # language → the first sentences of its introduction, when it has any to quote
    deadlines: tuple[Deadline, ...]

    def concerns(self, country: str | None, sector: str | None, sectors: Iterable[str] = ()) -> bool:
        """True for an owner in `country` (without one: ASEAN-wide guides only) and of `sector`
        (any, without one), unless the guide (or `sectors`, narrower) names other businesses."""
        named = tuple(sectors) or self.sectors
        where = ALL_ASEAN in self.countries or (country is not None and country.upper() in self.countries)
        return where and (not named or sector is None or sector in named)

    def title(self, lang: str) -> Shown:
        return Shown(self.titles[lang], lang) if lang in self.titles else Shown(self.titles[ENGLISH], ENGLISH)

    def opening(self, lang: str) -> Shown:
        return Shown(self.openings[lang], lang) if lang in self.openings else Shown(self.openings[ENGLISH], ENGLISH)


def guides(documents: Iterable[Document]) -> tuple[Guide, ...]:
    """Every English guide with its translations' titles and openings, by id."""
    documents = list(documents)
    versions: dict[str, list[Document]] = {}
    for doc in documents:
        versions.setdefault(doc.group_id, []).append(doc)
    found = []
    for doc in sorted(documents, key=lambda d: d.meta.id):
        if doc.meta.translation_of is not None:
            continue
        family = versions[doc.meta.id]
        openings = {v.meta.lang: text for v in family if (text := _opening(v.body))}
        meta = doc.meta
        found.append(
            Guide(
                id=meta.id,
                updated=meta.updated,
                countries=tuple(meta.countries),
                sectors=tuple(meta.sectors),
                titles={v.meta.lang: v.meta.title for v in family},
                openings=openings,
                deadlines=tuple(meta.deadlines),
            )
        )
    return tuple(found)


def _opening(body: str) -> str:
    """The first quotable sentences before the guide's first section ("This page explains…" left out)."""
    intro = "" if body.lstrip().startswith("## ") else body.split("\n## ", 1)[0]
    sentences = [s.text for s in split_sentences(intro) if s.kind is SentenceKind.SENTENCE]
    return " ".join(sentences[:_TIP_SENTENCES])
