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
from bot.knowledge.loader import Problem, YamlFile, load_topics, read_model, yaml_files
from bot.knowledge.programmes import Programme, ProgrammeKind, ProgrammeStatus
from bot.knowledge.schema import ENGLISH

PROGRAMMES_FOLDER = "programmes"


@dataclass(frozen=True)
class ProgrammeFile(YamlFile):
    """A programme that passed every per-file check, and where each of its parts was read."""

    programme: Programme


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
    paths = yaml_files(root / PROGRAMMES_FOLDER)
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
    read = read_model(path, Programme, what="programme file", fields_of="programmes")
    if isinstance(read, list):
        return read
    programme, parsed = read
    entry = ProgrammeFile(path, parsed, programme)
    problems = [problem for i, topic in enumerate(programme.topics) for problem in entry.unknown_topics(("topics", i), [topic], topics)]
    if programme.id != path.stem:
        problems.append(Problem(path, entry.line_of("id"), f"id is {programme.id!r} but the file name says {path.stem!r}: make them match"))
    return problems or entry
