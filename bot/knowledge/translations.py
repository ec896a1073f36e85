"""Keeping translations true to their English original as the English changes.

Each translation records what it was made from: `translated_from` holds the original's content
hash and one short hash per section at that time. `greenbot knowledge stamp` writes it when a
translator has brought a file up to date; `check` then reports a translation whose original has
changed since, naming the sections that changed, and `status` shows every guide in every language.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bot.knowledge.loader import Document
from bot.knowledge.schema import TranslatedFrom

_SECTION = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Section:
    """A `## ` section of a guide (the text before the first heading is the intro)."""

    heading: str
    text: str

    @property
    def hash(self) -> str:
        return _digest(self.heading + "\n" + self.text)[:8]


def sections(body: str) -> list[Section]:
    """The guide's intro and its `## ` sections, in order."""
    parts: list[Section] = []
    starts = [(m.start(), m.end(), m.group(1)) for m in _SECTION.finditer(body)]
    intro = body[: starts[0][0]] if starts else body
    parts.append(Section("(intro)", _flat(intro)))
    for i, (_, end, heading) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(body)
        parts.append(Section(heading, _flat(body[end:stop])))
    return parts


def fingerprint(doc: Document) -> TranslatedFrom:
    """What a translation of `doc` records as its original: the content hash and section hashes."""
    parts = sections(doc.body)
    return TranslatedFrom(hash=_digest(doc.meta.title + "\n" + "\n".join(p.hash for p in parts))[:12], sections=[p.hash for p in parts])


class Freshness(StrEnum):
    """Where a translation stands against its original."""

    CURRENT = "current"
    STALE = "stale"  # the original changed since the translation was stamped
    UNSTAMPED = "unstamped"  # no record of what it was made from


@dataclass(frozen=True)
class Staleness:
    """How a translation compares with its original now."""

    freshness: Freshness
    changed: tuple[str, ...] = ()  # headings of the original's sections that changed or are new
    removed: int = 0  # how many fewer sections the original has than then

    def describe(self) -> str:
        parts = [f"changed: {', '.join(repr(h) for h in self.changed)}"] if self.changed else []
        if self.removed:
            parts.append(f"{self.removed} section{'s' * (self.removed > 1)} removed")
        return "; ".join(parts) or "the title changed"


def staleness(translation: Document, original: Document) -> Staleness:
    """Whether `translation` still matches `original`, and which of its sections changed."""
    recorded = translation.meta.translated_from
    if recorded is None:
        return Staleness(Freshness.UNSTAMPED)
    now = fingerprint(original)
    if now.hash == recorded.hash:
        return Staleness(Freshness.CURRENT)
    then = set(recorded.sections)
    changed = tuple(section.heading for section in sections(original.body) if section.hash not in then)
    return Staleness(Freshness.STALE, changed, removed=max(0, len(recorded.sections) - len(now.sections)))


def stamp(path: Path, record: TranslatedFrom) -> None:
    """Write `record` as the `translated_from` of the translation at `path`, in place."""
    text = path.read_text(encoding="utf-8")
    quoted = ", ".join(f'"{h}"' for h in record.sections)  # hex can read as a number ("96174786", "1e5a…")
    block = f'translated_from:\n  hash: "{record.hash}"\n  sections: [{quoted}]\n'
    head, sep, body = text.partition("\n---")
    existing = re.compile(r"^translated_from:.*\n(?:[ \t]+.*\n)*", re.MULTILINE)
    if existing.search(head + "\n"):
        head = existing.sub(block, head + "\n", count=1).rstrip("\n")
    else:
        head = head.rstrip("\n") + "\n" + block.rstrip("\n")
    path.write_text(head + sep + body, encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
