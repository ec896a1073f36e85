"""`greenbot knowledge status`: every guide in every language, as the content team's dashboard.

A cell is ✓ (translated, current, checked by a native speaker), unreviewed (current, machine-made),
stale (the English changed since the translation was stamped, or it was never stamped) or missing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import jinja2

from bot.domain import FALLBACK_LANG, LANGUAGES
from bot.knowledge.loader import Document
from bot.knowledge.translations import Freshness, staleness

_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("bot.knowledge", "templates"), autoescape=True)


class Cell(StrEnum):
    """One guide in one language."""

    DONE = "✓"
    UNREVIEWED = "unreviewed"
    STALE = "stale"
    MISSING = "missing"


@dataclass(frozen=True)
class Row:
    """One English guide and where it stands in each language."""

    id: str
    title: str
    path: str
    cells: dict[str, Cell]
    notes: dict[str, str]  # language → what changed, for stale cells


@dataclass(frozen=True)
class Status:
    """The dashboard: a row per English guide, and totals per language."""

    rows: list[Row]

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        """Language → cell kind → how many guides."""
        return {lang: dict(Counter(row.cells[lang].value for row in self.rows)) for lang in LANGUAGES}

    def as_dict(self) -> dict[str, object]:
        guides = [{"id": r.id, "title": r.title, "path": r.path, "cells": {k: v.value for k, v in r.cells.items()}, "notes": r.notes} for r in self.rows]
        return {"languages": list(LANGUAGES), "guides": guides, "totals": self.totals}

    def html(self) -> str:
        return _TEMPLATES.get_template("status.html.j2").render(status=self, languages=LANGUAGES, kinds=list(Cell))


def translation_status(documents: list[Document]) -> Status:
    """Where every English guide stands in every language."""
    originals = sorted((d for d in documents if d.meta.translation_of is None), key=lambda d: d.meta.id)
    versions: dict[tuple[str, str], Document] = {(d.group_id, d.meta.lang): d for d in documents}
    rows = []
    for original in originals:
        cells: dict[str, Cell] = {FALLBACK_LANG: Cell.DONE}
        notes: dict[str, str] = {}
        for lang in LANGUAGES[1:]:
            translation = versions.get((original.meta.id, lang))
            if translation is None:
                cells[lang] = Cell.MISSING
                continue
            state = staleness(translation, original)
            if state.freshness is not Freshness.CURRENT:
                cells[lang] = Cell.STALE
                notes[lang] = "never stamped" if state.freshness is Freshness.UNSTAMPED else state.describe()
            else:
                cells[lang] = Cell.DONE if translation.meta.review == "native" else Cell.UNREVIEWED
        rows.append(Row(original.meta.id, original.meta.title, original.rel_path, cells, notes))
    return Status(rows)


def write_html(status: Status, path: Path) -> None:
    path.write_text(status.html(), encoding="utf-8")
