"""`greenbot knowledge check`: every problem in a knowledge folder, each with its line."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from bot.domain import LANGUAGES
from bot.knowledge.loader import Document, KnowledgeFolder, Problem

# [text](target) — images and reference-style links are not used in the knowledge folder.
_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckReport:
    """The outcome of a check: problems in file order, and the translation gaps."""

    problems: list[Problem]
    missing_translations: dict[str, list[str]]  # core document id → languages it lacks

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def check_folder(folder: KnowledgeFolder, *, today: dt.date, strict: bool = False) -> CheckReport:
    """Add the cross-document checks to what loading found."""
    by_id = {doc.meta.id: doc for doc in folder.documents}
    problems = list(folder.problems)
    for doc in folder.documents:
        problems.extend(_check_translation(doc, by_id))
        problems.extend(_check_links(doc))
        if doc.meta.review_by < today:
            problems.append(
                Problem(
                    doc.path,
                    doc.key_lines.get("review_by", 1),
                    f"review_by {doc.meta.review_by.isoformat()} has passed: check the facts and sources, then move the date",
                    "error" if strict else "warning",
                )
            )
    problems.sort(key=lambda p: (str(p.path), p.line))
    return CheckReport(problems=problems, missing_translations=missing_translations(folder.documents))


def missing_translations(documents: list[Document]) -> dict[str, list[str]]:
    """For each core English document, the languages it has no translation in yet."""
    have: dict[str, set[str]] = {}
    for doc in documents:
        have.setdefault(doc.group_id, set()).add(doc.meta.lang)
    core = sorted(doc.meta.id for doc in documents if doc.meta.core and doc.meta.translation_of is None)
    gaps = {doc_id: [lang for lang in LANGUAGES if lang not in have[doc_id]] for doc_id in core}
    return {doc_id: langs for doc_id, langs in gaps.items() if langs}


def _check_translation(doc: Document, by_id: dict[str, Document]) -> list[Problem]:
    original_id = doc.meta.translation_of
    if original_id is None:
        return []
    line = doc.key_lines.get("translation_of", 1)
    original = by_id.get(original_id)
    if original is None:
        return [Problem(doc.path, line, f"translation_of names {original_id!r}, but no document has that id")]
    if original.meta.translation_of is not None:
        return [Problem(doc.path, line, f"translation_of names {original_id!r}, which is itself a translation")]
    return []


def _check_links(doc: Document) -> list[Problem]:
    problems = []
    for offset, line in enumerate(doc.body.splitlines()):
        for match in _LINK.finditer(line):
            target = match.group(1)
            if _EXTERNAL.match(target):
                continue
            path = (doc.path.parent / target.split("#", 1)[0]).resolve()
            if not path.exists():
                problems.append(Problem(doc.path, doc.body_line + offset, f"broken link: {target} does not exist"))
    return problems


def check_paths(report: CheckReport, only: list[Path]) -> CheckReport:
    """Keep the problems of the given files or folders (checking a part still reads the whole folder)."""
    wanted = [Path(os.path.abspath(p)) for p in only]

    def inside(path: Path) -> bool:  # the paths as named, not where links lead: a refused link is reported too
        named = Path(os.path.abspath(path))
        return any(named == w or w in named.parents for w in wanted)

    return CheckReport(
        problems=[p for p in report.problems if inside(p.path)],
        missing_translations=report.missing_translations,
    )
