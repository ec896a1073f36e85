"""A programme an owner can apply to (a loan, grant, guarantee, tax incentive, label, audit or
training), as one strict model of a `knowledge/programmes/<id>.yaml` file.

Whether a programme is open depends on the day, so every question about it takes `today`:
nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationInfo, field_validator

from bot.domain import ALL_ASEAN
from bot.knowledge.schema import SLUG, Country, Review, Sector, SourceMeta, Wording

MAX_PROGRAMME_ID_CHARS = 48  # an id travels in a button's callback data, which Telegram limits to 64 bytes
MAX_CONDITIONS = 4  # the first check asks each condition as a question: more is too long on a phone


class ProgrammeKind(StrEnum):
    """What a programme gives."""

    LOAN = "loan"
    GRANT = "grant"
    GUARANTEE = "guarantee"
    TAX = "tax"  # a tax incentive
    LABEL = "label"  # an eco-label or certification
    AUDIT = "audit"  # a free or subsidised audit
    TRAINING = "training"


class ProgrammeStatus(StrEnum):
    """Where a programme stands on a given day."""

    UPCOMING = "upcoming"  # `opens` is still ahead
    OPEN = "open"
    CLOSED = "closed"  # `closes` has passed


class Programme(BaseModel):
    """One programme file; unknown keys are errors. `opens` and `closes` must be written, as
    null when the source gives no date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=SLUG, max_length=MAX_PROGRAMME_ID_CHARS)
    name: Wording
    summary: Wording
    country: Country  # an ASEAN code, or `asean` for a regional programme
    agency: str = Field(min_length=1)
    kinds: tuple[ProgrammeKind, ...] = Field(min_length=1)
    sectors: tuple[Sector, ...] = ()  # none: open to every kind of business
    topics: tuple[str, ...] = Field(min_length=1)  # ids from topics.yaml (checked by the loader)
    who_can_apply: tuple[Wording, ...] = Field(min_length=1, max_length=MAX_CONDITIONS)
    what_you_get: Wording
    how_to_apply: Wording
    url: HttpUrl
    opens: dt.date | None
    closes: dt.date | None
    last_verified: dt.date
    sources: tuple[SourceMeta, ...] = Field(min_length=1)
    # Whether a native speaker has checked the translations (the English is the original).
    review: Review = "machine"

    @field_validator("closes")
    @classmethod
    def _closes_after_opening(cls, closes: dt.date | None, info: ValidationInfo) -> dt.date | None:
        opens = info.data.get("opens")
        if closes is not None and opens is not None and closes < opens:
            raise ValueError(f"{closes.isoformat()} is before opens ({opens.isoformat()})")
        return closes

    def status(self, today: dt.date) -> ProgrammeStatus:
        """Open from `opens` through `closes`, both days included; no date means no limit."""
        if self.opens is not None and today < self.opens:
            return ProgrammeStatus.UPCOMING
        if self.closes is not None and today > self.closes:
            return ProgrammeStatus.CLOSED
        return ProgrammeStatus.OPEN

    def applies_to(self, country: str | None) -> bool:
        """ASEAN-wide programmes apply everywhere; a national one only to its country."""
        return self.country == ALL_ASEAN or (country is not None and self.country == country.upper())

    def serves(self, sector: str | None) -> bool:
        """True for an owner of `sector` (or of an unknown one) unless the programme names others."""
        return not self.sectors or sector is None or sector in self.sectors

    def wordings(self) -> dict[tuple[str | int, ...], Wording]:
        """Every translated text, by its place in the file (as pydantic locates errors)."""
        texts: dict[tuple[str | int, ...], Wording] = {("name",): self.name, ("summary",): self.summary}
        texts.update({("who_can_apply", i): condition for i, condition in enumerate(self.who_can_apply)})
        texts.update({("what_you_get",): self.what_you_get, ("how_to_apply",): self.how_to_apply})
        return texts
