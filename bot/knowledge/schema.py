"""The front matter every knowledge document must carry, as a strict model."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    RootModel,
    field_validator,
)

from bot.domain import ALL_ASEAN, ASEAN_COUNTRIES, LANGUAGES, SECTORS

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # lowercase words joined by dashes: ids and file names
Review = Literal["machine", "native"]  # a translation as made, or as a native speaker checked it
_SOURCE_DATE = re.compile(r"^(n\.d\.|\d{4}(-\d{2}(-\d{2})?)?)$")


def _known_language(code: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r} (expected one of {', '.join(LANGUAGES)})")
    return code


def _known_country(code: str) -> str:
    if code != ALL_ASEAN and code not in ASEAN_COUNTRIES:
        raise ValueError(f"unknown country {code!r} (expected {ALL_ASEAN} or one of {', '.join(ASEAN_COUNTRIES)})")
    return code


def _known_sector(code: str) -> str:
    if code not in SECTORS:
        raise ValueError(f"unknown sector {code!r} (expected one of {', '.join(SECTORS)})")
    return code


# The codes a knowledge file may use, checked where they are read (guides and programmes alike).
Language = Annotated[str, AfterValidator(_known_language)]
Country = Annotated[str, AfterValidator(_known_country)]
Sector = Annotated[str, AfterValidator(_known_sector)]


ENGLISH = LANGUAGES[0]  # every text has it: owners whose language is missing read it


@dataclass(frozen=True)
class Shown:
    """A text as shown to an owner, and the language it is really in (English when their
    language has none)."""

    text: str
    lang: str


class Wording(RootModel[dict[Language, str]]):
    """One text in several languages, by language code; English is required."""

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _english_and_no_blanks(cls, texts: dict[str, str]) -> dict[str, str]:
        if ENGLISH not in texts:
            raise ValueError(f"has no {ENGLISH} text: English is what owners see when their language is missing")
        blank = [lang for lang, text in texts.items() if not text.strip()]
        if blank:
            raise ValueError(f"empty {', '.join(blank)} text")
        return {lang: text.strip() for lang, text in texts.items()}

    def shown(self, lang: str) -> Shown:
        """The text in `lang`, else in English."""
        return Shown(self.root[lang], lang) if lang in self.root else Shown(self.root[ENGLISH], ENGLISH)

    def missing(self) -> list[str]:
        """The served languages this text has no version in, in their usual order."""
        return [lang for lang in LANGUAGES if lang not in self.root]


def _source_date(value: object) -> str:
    """YAML reads 2023-06-26 as a date and 2020 as a number; all are kept as text."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not _SOURCE_DATE.match(text):
        raise ValueError(f"source date {text!r} must be YYYY-MM-DD, YYYY-MM, YYYY or n.d.")
    return text


class SourceMeta(BaseModel):
    """One entry of `sources:`."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: HttpUrl
    date: Annotated[str, BeforeValidator(_source_date)]


class TranslatedFrom(BaseModel):
    """What a translation was made from: its original's content hash and section hashes then.
    `greenbot knowledge stamp` writes it; nobody edits it by hand."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hash: str = Field(pattern=r"^[0-9a-f]{12}$")
    sections: list[Annotated[str, Field(pattern=r"^[0-9a-f]{8}$")]] = Field(min_length=1)


class Deadline(BaseModel):
    """A date a guide's rule takes effect (CBAM, EUDR…): `greenbot alerts send` reminds the
    owners it concerns as it nears. Written in the English original only, with a text per
    language; `sectors` narrows it to some kinds of business (none: the guide's)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    what: Wording
    sectors: list[Sector] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)  # English originals only


class FrontMatter(BaseModel):
    """The YAML block at the top of a knowledge document; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    lang: Language
    topics: list[str] = Field(min_length=1)
    countries: list[Country] = Field(min_length=1)
    sources: list[SourceMeta] = Field(min_length=1)
    updated: dt.date
    review_by: dt.date
    translation_of: str | None = Field(default=None, pattern=SLUG)
    # Translations only: what they were made from (`greenbot knowledge stamp` writes it) and
    # whether a native speaker has checked them.
    translated_from: TranslatedFrom | None = None
    review: Review | None = None
    sectors: list[Sector] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)  # English originals only
