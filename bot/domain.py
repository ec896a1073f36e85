"""Types that cross package boundaries: what retrieval returns and answers cite."""

from __future__ import annotations

from dataclasses import dataclass, field

# Languages the bot serves, as ISO 639-1 codes, English first (the fallback).
LANGUAGES: tuple[str, ...] = ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my")

# ASEAN members by ISO 3166-1 alpha-2 code; `asean` in a document means all of them.
ASEAN_COUNTRIES: dict[str, str] = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "TL": "Timor-Leste",
    "VN": "Viet Nam",
}
ALL_ASEAN = "asean"


@dataclass(frozen=True)
class Source:
    """A published source a knowledge document rests on."""

    title: str
    publisher: str
    url: str
    date: str


@dataclass(frozen=True)
class Chunk:
    """One section (or part of one) of a knowledge document, as indexed."""

    id: str
    doc_id: str
    group_id: str  # the English original's id: a document and its translations share it
    lang: str
    title: str
    section: str  # heading path inside the document, e.g. "Steps for this week"
    text: str
    path: str  # relative to the knowledge folder, e.g. "en/refrigeration-savings.md"
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    updated: str = ""
    ordinal: int = 0  # position of the chunk within its document

    def applies_to(self, country: str) -> bool:
        """True when the chunk is about `country` or about all of ASEAN."""
        return ALL_ASEAN in self.countries or country.upper() in self.countries


@dataclass(frozen=True)
class ScoredChunk:
    """A retrieved chunk with its fused score and the ranks behind it (1-based, None = absent)."""

    chunk: Chunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    dense_score: float | None = None
    lexical_score: float | None = None
    substituted_from: str | None = field(default=None)  # chunk id it replaced (language preference)
