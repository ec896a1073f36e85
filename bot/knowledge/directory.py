"""knowledge/programmes/*.yaml as one directory: read with a `Problem` per bad file, and asked
which programmes are open for an owner on a given day.

A bad file never stops the others: it is reported with its line and left out, so the bot never
shows a programme it could not read whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.domain import ALL_ASEAN
from bot.knowledge.loader import TOPICS_FILE, ParsedYaml, Problem, load_topics, load_yaml_file
from bot.knowledge.programmes import Programme, ProgrammeKind, ProgrammeStatus
from bot.knowledge.schema import ENGLISH

PROGRAMMES_FOLDER = "programmes"


@dataclass(frozen=True)
class ProgrammeFile:
    """A programme that passed every per-file check, and where each of its parts was read."""

    programme: Programme
    path: Path
    parsed: ParsedYaml

    def line_of(self, *loc: str | int) -> int:
        return self.parsed.line_of(loc)


@dataclass(frozen=True)
class Directory:
    """Every programme read from one knowledge folder, and what could not be read."""

    files: tuple[ProgrammeFile, ...]
    problems: tuple[Problem, ...] = ()
    paths: tuple[Path, ...] = ()  # every programme file found, good or bad

    @property
    def programmes(self) -> tuple[Programme, ...]:
        return tuple(entry.programme for entry in self.files)

    def get(self, programme_id: str) -> Programme | None:
        return next((p for p in self.programmes if p.id == programme_id), None)

    def matching(
        self,
        *,
        country: str | None,
        sector: str | None,
        today: dt.date,
        topics: Iterable[str] = (),
        kinds: Iterable[ProgrammeKind] = (),
    ) -> list[Programme]:
        """The programmes open on `today` for an owner in `country` (ASEAN-wide ones too; only
        those without a country) and of `sector` (any, without one); with `topics` or `kinds`,
        only those sharing one of them. The country's own come first, then by English name."""
        wanted_topics, wanted_kinds = set(topics), set(kinds)
        found = [
            p
            for p in self.programmes
            if p.status(today) is ProgrammeStatus.OPEN
            and p.applies_to(country)
            and p.serves(sector)
            and (not wanted_topics or wanted_topics.intersection(p.topics))
            and (not wanted_kinds or wanted_kinds.intersection(p.kinds))
        ]
        return sorted(found, key=lambda p: (p.country == ALL_ASEAN, p.name.shown(ENGLISH).text.casefold()))

    def alternatives(self, programme: Programme, *, country: str | None, sector: str | None, today: dt.date) -> list[Programme]:
        """Other programmes open on `today` that give what `programme` gives, where it applies
        (in the owner's `country` when it is ASEAN-wide)."""
        where = country if programme.country == ALL_ASEAN else programme.country
        others = self.matching(country=where, sector=sector, today=today, kinds=programme.kinds)
        return [p for p in others if p.id != programme.id]


def load_directory(root: Path) -> Directory:
    """Load `root/programmes/*.yaml` (an empty directory when the folder is absent); bad files
    become problems, never exceptions."""
    topics = load_topics(root)
    folder = root / PROGRAMMES_FOLDER
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")) if folder.is_dir() else []
    files: list[ProgrammeFile] = []
    problems: list[Problem] = []
    for path in paths:
        loaded = load_programme(path, topics)
        if isinstance(loaded, ProgrammeFile):
            files.append(loaded)
        else:
            problems.extend(loaded)
    return Directory(tuple(files), tuple(problems), tuple(paths))


def load_programme(path: Path, topics: dict[str, str]) -> ProgrammeFile | list[Problem]:
    """Parse and validate one programme file: the programme, or every reason it cannot be used."""
    if path.suffix != ".yaml":
        return [Problem(path, 1, f"name the file {path.stem}.yaml: only .yaml files are read")]
    loaded = load_yaml_file(path, Programme, "programmes")
    if isinstance(loaded, list):
        return loaded
    programme, parsed = loaded
    entry = ProgrammeFile(programme, path, parsed)
    problems = [
        Problem(path, entry.line_of("topics", i), f"unknown topic {topic!r} (add it to {TOPICS_FILE} first)")
        for i, topic in enumerate(programme.topics)
        if topic not in topics
    ]
    if programme.id != path.stem:
        problems.append(Problem(path, entry.line_of("id"), f"id is {programme.id!r} but the file name says {path.stem!r}: make them match"))
    return problems or entry
