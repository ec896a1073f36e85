"""knowledge/referrals/<country>.yaml: the places where an owner can ask a person for help
(national SME agencies, energy-efficiency centres, ASEAN-wide bodies), with only the contacts
public sources give.

Read like the programmes: a bad file is reported with its line and left out, so the bot never
shows a place it could not read whole. Every contact field must be written, as null when no
public source gives one, so that a missing phone number is a decision and not an oversight.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from bot.domain import ALL_ASEAN
from bot.knowledge.loader import Problem, YamlFile, load_topics, read_model, yaml_files
from bot.knowledge.schema import SLUG, Country, Review, SourceMeta, Wording

REFERRALS_FOLDER = "referrals"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Place(BaseModel):
    """One place that takes an owner's request for help; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)  # as the place names itself: not translated
    helps_with: Wording  # what to ask it about, in the owner's language
    topics: tuple[str, ...] = Field(min_length=1)  # ids from topics.yaml (checked by the loader)
    website: HttpUrl | None
    email: Annotated[str, Field(pattern=_EMAIL)] | None
    phone: Annotated[str, Field(min_length=1)] | None
    address: Annotated[str, Field(min_length=1)] | None
    sources: tuple[SourceMeta, ...] = Field(min_length=1)
    last_verified: dt.date

    @property
    def reachable(self) -> bool:
        """Whether a source gave any way to reach it: without one, owners see only its name."""
        return any((self.website, self.email, self.phone, self.address))


class ReferralList(BaseModel):
    """One country's file (or `asean` for the ASEAN-wide places)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    country: Country
    places: tuple[Place, ...] = Field(min_length=1)
    # Whether a native speaker has checked the translations of `helps_with` (the English is the original).
    review: Review = "machine"


@dataclass(frozen=True)
class ReferralFile(YamlFile):
    """A referral file that passed every per-file check, and where each of its parts was read."""

    referrals: ReferralList


@dataclass(frozen=True)
class Referrals:
    """Every referral file read from one knowledge folder, and what could not be read."""

    files: tuple[ReferralFile, ...] = ()
    problems: tuple[Problem, ...] = ()
    paths: tuple[Path, ...] = ()  # every referral file found, good or bad

    def places_for(self, country: str | None) -> tuple[Place, ...]:
        """The places of `country` (none without one), then the ASEAN-wide ones; in each, those an
        owner can reach (a website, email, phone or address) first, else in the file's order."""
        national = [f for f in self.files if country is not None and f.referrals.country == country.upper()]
        regional = [f for f in self.files if f.referrals.country == ALL_ASEAN]
        return tuple(
            place
            for group in (national, regional)
            for place in sorted((place for entry in group for place in entry.referrals.places), key=lambda place: not place.reachable)
        )


def load_referrals(root: Path) -> Referrals:
    """Load `root/referrals/*.yaml` (none when the folder is absent); bad files become problems.
    A place id used twice is reported in each file after the first, and that file is left out."""
    topics = load_topics(root)
    paths = yaml_files(root / REFERRALS_FOLDER)
    files: list[ReferralFile] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        loaded = load_referral_file(path, topics)
        if isinstance(loaded, list):
            problems.extend(loaded)
            continue
        twice = [
            Problem(path, loaded.line_of("places", i, "id"), f"place id {place.id!r} is also in {seen[place.id].name}: ids must be unique")
            for i, place in enumerate(loaded.referrals.places)
            if place.id in seen
        ]
        if twice:
            problems.extend(twice)
            continue
        seen.update({place.id: path for place in loaded.referrals.places})
        files.append(loaded)
    return Referrals(tuple(files), tuple(problems), tuple(paths))


def load_referral_file(path: Path, topics: dict[str, str]) -> ReferralFile | list[Problem]:
    """Parse and validate one referral file: its places, or every reason it cannot be used."""
    read = read_model(path, ReferralList, what="referral file", fields_of="referral files")
    if isinstance(read, list):
        return read
    referrals, parsed = read
    entry = ReferralFile(path, parsed, referrals)
    problems = [problem for i, place in enumerate(referrals.places) for problem in entry.unknown_topics(("places", i, "topics"), place.topics, topics)]
    if referrals.country.lower() != path.stem:
        problems.append(
            Problem(
                path,
                entry.line_of("country"),
                f"country is {referrals.country!r} but the file name says {path.stem!r}: name it {referrals.country.lower()}.yaml",
            )
        )
    return problems or entry
