"""`greenbot knowledge check`: every problem in a knowledge folder, each with its line."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.domain import FALLBACK_LANG, LANGUAGES
from bot.knowledge.directory import Directory
from bot.knowledge.glossary import Glossary, load_glossary
from bot.knowledge.loader import CORE_FILE, Document, KnowledgeFolder, Problem, Severity
from bot.knowledge.referrals import Referrals
from bot.knowledge.schema import Wording
from bot.knowledge.translations import Freshness, sections, staleness
from bot.knowledge.wording import field_name

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

    def including(self, problems: list[Problem]) -> CheckReport:
        """This report with more problems (another part of the folder's) after its own."""
        return CheckReport(problems=[*self.problems, *problems], missing_translations=self.missing_translations)


# (text, the language it should be in) → the language it is really in, or None when it matches.
LanguageCheck = Callable[[str, str], str | None]
# text → (line index, characters) of each sentence too long to quote (the sentence splitter lives above this package).
LengthCheck = Callable[[str], list[tuple[int, int]]]
_MIN_PARAGRAPH = 80  # characters: shorter paragraphs (lists of names, figures) say little about the language


def check_folder(
    folder: KnowledgeFolder,
    *,
    today: dt.date,
    strict: bool = False,
    wrong_language: LanguageCheck | None = None,
    too_long: LengthCheck | None = None,
) -> CheckReport:
    """Add the cross-document checks to what loading found; with `wrong_language`, also whether
    each guide is written in its `lang` (the language detector lives above this package), and with
    `too_long`, which sentences an offline answer can never quote."""
    by_id = {doc.meta.id: doc for doc in folder.documents}
    glossary, glossary_problems = load_glossary(folder.root)
    problems = list(folder.problems) + glossary_problems
    terms = TermCheck(glossary)
    for doc in folder.documents:
        problems.extend(_check_translation(doc, by_id, strict))
        original = by_id.get(doc.meta.translation_of or "")
        if original is not None:
            problems.extend(terms.misses(doc, original))
        problems.extend(_check_links(doc))
        problems.extend(_check_deadlines(doc, strict))
        if wrong_language is not None:
            problems.extend(_check_language(doc, wrong_language))
        if too_long is not None:
            problems.extend(_check_lengths(doc, too_long))
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
    named = {path.stem for path in folder.files}
    unknown = [core_id for core_id in folder.core if core_id not in named]
    problems.extend(Problem(folder.root / CORE_FILE, 1, f"core guide {core_id!r} does not exist") for core_id in unknown)
    return CheckReport(problems=problems, missing_translations=missing_translations(folder.documents, folder.core))


def check_programmes(directory: Directory, *, today: dt.date, verify_every_days: int, strict: bool = False) -> list[Problem]:
    """What loading the programme files found, and what time did to the good ones: a
    `last_verified` more than `verify_every_days` old, a passed `closes`, and texts missing in a
    language (owners who read it see English). These are warnings, errors with `strict`."""
    severity: Severity = "error" if strict else "warning"
    problems = list(directory.problems)
    for entry in directory.files:
        programme = entry.programme
        problems += _unverified(
            entry.path, entry.line_of("last_verified"), programme.last_verified, today, verify_every_days, severity, "the programme's sources"
        )
        if programme.closes is not None and programme.closes < today:
            problems.append(
                Problem(
                    entry.path,
                    entry.line_of("closes"),
                    f"closes {programme.closes.isoformat()} has passed, so the bot no longer offers it: "
                    "if the source says it was extended, move the date; if it has ended, delete the file",
                    severity,
                )
            )
        for loc, wording in programme.wordings().items():
            problems += _untranslated(entry.path, entry.line_of(*loc), field_name(loc), wording, severity)
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def check_referrals(referrals: Referrals, *, today: dt.date, verify_every_days: int, strict: bool = False) -> list[Problem]:
    """What loading the referral files found, and for each good place: a `last_verified` more than
    `verify_every_days` old (contacts move), a `helps_with` missing in a language, and no contact
    at all (owners see only a name). These are warnings, errors with `strict`."""
    severity: Severity = "error" if strict else "warning"
    problems = list(referrals.problems)
    for entry in referrals.files:
        for i, place in enumerate(entry.referrals.places):
            line = entry.line_of("places", i, "last_verified")
            problems += _unverified(entry.path, line, place.last_verified, today, verify_every_days, severity, f"{place.id}'s contacts and sources")
            problems += _untranslated(entry.path, entry.line_of("places", i, "helps_with"), f"{place.id}'s helps_with", place.helps_with, severity)
            if not place.reachable:
                message = f"{place.id} has no website, email, phone or address: owners see only its name; find one in a public source"
                problems.append(Problem(entry.path, entry.line_of("places", i, "website"), message, severity))
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def _unverified(path: Path, line: int, last_verified: dt.date, today: dt.date, every_days: int, severity: Severity, what: str) -> list[Problem]:
    """A `last_verified` more than `every_days` before `today`: check `what` again."""
    age = (today - last_verified).days
    if age <= every_days:
        return []
    message = f"last_verified {last_verified.isoformat()} is {age} days ago (more than {every_days}): check {what}, then set it to the day you checked"
    return [Problem(path, line, message, severity)]


def _untranslated(path: Path, line: int, field: str, wording: Wording, severity: Severity) -> list[Problem]:
    """A text that owners reading some languages see in English."""
    missing = wording.missing()
    return [Problem(path, line, f"{field} has no {', '.join(missing)} text: owners who read it see English", severity)] if missing else []


def missing_translations(documents: list[Document], core: list[str]) -> dict[str, list[str]]:
    """For each core guide (core.yaml), the languages it has no translation in yet."""
    have: dict[str, set[str]] = {}
    for doc in documents:
        have.setdefault(doc.group_id, set()).add(doc.meta.lang)
    gaps = {doc_id: [lang for lang in LANGUAGES if lang not in have[doc_id]] for doc_id in sorted(core) if doc_id in have}
    return {doc_id: langs for doc_id, langs in gaps.items() if langs}


def _check_translation(doc: Document, by_id: dict[str, Document], strict: bool) -> list[Problem]:
    original_id = doc.meta.translation_of
    if original_id is None:
        return []
    line = doc.key_lines.get("translation_of", 1)
    original = by_id.get(original_id)
    if original is None:
        return [Problem(doc.path, line, f"translation_of names {original_id!r}, but no document has that id")]
    if original.meta.translation_of is not None:
        return [Problem(doc.path, line, f"translation_of names {original_id!r}, which is itself a translation")]
    state = staleness(doc, original)
    severity: Severity = "error" if strict else "warning"
    where = doc.key_lines.get("translated_from", line)
    if state.freshness is Freshness.UNSTAMPED:
        return [
            Problem(
                doc.path,
                where,
                f"no record of the English version it was made from: once it matches {original.rel_path}, run `greenbot knowledge stamp {doc.rel_path}`",
                severity,
            )
        ]
    if state.freshness is Freshness.STALE:
        return [
            Problem(
                doc.path,
                where,
                f"{original.rel_path} changed since this translation ({state.describe()}): update it, then run `greenbot knowledge stamp {doc.rel_path}`",
                severity,
            )
        ]
    return []


def _check_deadlines(doc: Document, strict: bool) -> list[Problem]:
    """Deadlines live in the English original, whose texts carry every language: a translation's
    own would be a second, diverging list. A missing language is a warning (that owner reads English)."""
    if not doc.meta.deadlines:
        return []
    line = doc.key_lines.get("deadlines", 1)
    if doc.meta.translation_of is not None:
        return [Problem(doc.path, line, f"deadlines belong in the English original ({doc.meta.translation_of}), with a text per language under `what`")]
    severity: Severity = "error" if strict else "warning"
    return [
        Problem(doc.path, line, f"{field_name(('deadlines', index, 'what'))} has no {', '.join(missing)} text: owners who read it see English", severity)
        for index, deadline in enumerate(doc.meta.deadlines)
        if (missing := deadline.what.missing())
    ]


class TermCheck:
    """Localisation QA: where a section of the English uses a glossary term, the same section of
    a translation should use one of that term's forms in its language. Misses are warnings (never
    errors, even with --strict): a translator may have had a good reason."""

    def __init__(self, glossary: Glossary) -> None:
        self._terms = [(_word(term.en[0]), term) for term in glossary.terms.values() if term.check]

    def misses(self, translation: Document, original: Document) -> list[Problem]:
        theirs, ours = sections(original.body), sections(translation.body)
        if len(theirs) != len(ours):
            return []  # a stale translation is reported as such; its sections cannot be paired
        problems = []
        for index, (english, translated) in enumerate(zip(theirs, ours, strict=True)):
            text = translated.text.casefold()
            missing = [
                term.en[0]
                for pattern, term in self._terms
                if pattern.search(english.text) and not any(f.casefold() in text for f in term.forms(translation.meta.lang))
            ]
            if missing:
                line = _section_line(translation, index)
                problems.append(
                    Problem(
                        translation.path,
                        line,
                        f"glossary: {', '.join(repr(m) for m in missing)} in the English of this section, but none of the glossary's {translation.meta.lang} forms",
                        "warning",
                    )
                )
        return problems


def _word(form: str) -> re.Pattern[str]:
    """The term as the glossary writes it: "insurance" is a term, "Insurance Economics" a name."""
    return re.compile(rf"(?<!\w){re.escape(form)}s?(?!\w)")


def _section_line(doc: Document, index: int) -> int:
    """The file line where section `index` of `doc` starts (0: the intro, at the body's start)."""
    if index == 0:
        return doc.body_line
    headings = [i for i, line in enumerate(doc.body.splitlines()) if line.startswith("## ")]
    return doc.body_line + headings[index - 1] if index - 1 < len(headings) else doc.body_line


def _check_language(doc: Document, wrong_language: LanguageCheck) -> list[Problem]:
    """A guide most of whose paragraphs read as another language than its `lang`."""
    paragraphs = [p for p in doc.body.split("\n\n") if len(p) >= _MIN_PARAGRAPH and not p.lstrip().startswith(("#", "|"))]
    found = [other for p in paragraphs if (other := wrong_language(p, doc.meta.lang)) is not None]
    if paragraphs and len(found) * 2 > len(paragraphs):
        most = max(set(found), key=found.count)
        return [
            Problem(
                doc.path,
                doc.key_lines.get("lang", 1),
                f"lang is {doc.meta.lang!r} but the text reads as {most!r} ({len(found)} of {len(paragraphs)} paragraphs)",
            )
        ]
    return []


def _check_lengths(doc: Document, too_long: LengthCheck) -> list[Problem]:
    """Each sentence an offline answer can never quote whole, as a warning at its line."""
    hint = " (Thai and Lao: end each sentence with a line break)" if doc.meta.lang in ("th", "lo") else ""
    return [
        Problem(doc.path, doc.body_line + at, f"a sentence of {length} characters is too long for an offline answer to quote: split it{hint}", "warning")
        for at, length in too_long(doc.body)
    ]


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


def check_paths(report: CheckReport, only: list[Path], root: Path) -> CheckReport:
    """Keep what concerns the given files or folders: their problems, and the translation gaps of
    the guides or language folders named (checking a part still reads the whole folder)."""
    kept_gaps = {}
    for doc_id, langs in report.missing_translations.items():
        if _inside(root / FALLBACK_LANG / f"{doc_id}.md", only):
            kept_gaps[doc_id] = langs
        elif wanted := [lang for lang in langs if _inside(root / lang / f"{doc_id}.md", only)]:
            kept_gaps[doc_id] = wanted
    return CheckReport(problems=[p for p in report.problems if _inside(p.path, only)], missing_translations=kept_gaps)


def documents_under(documents: list[Document], only: list[Path]) -> list[Document]:
    """The documents in the given files or folders."""
    return [doc for doc in documents if _inside(doc.path, only)]


def files_under(paths: tuple[Path, ...], only: list[Path]) -> list[Path]:
    """The files among `paths` that are in the given files or folders."""
    return [path for path in paths if _inside(path, only)]


def _inside(path: Path, only: list[Path]) -> bool:
    """By the paths as named, not where links lead: a refused link is reported too."""
    named = Path(os.path.abspath(path))
    wanted = [Path(os.path.abspath(p)) for p in only]
    return any(named == w or w in named.parents for w in wanted)
