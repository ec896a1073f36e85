"""Types that cross package boundaries: what retrieval returns and answers cite."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# English: every guide is written in it first, and the bot falls back to it when it has
# nothing in (or cannot tell) the user's language.
FALLBACK_LANG = "en"
# Languages the bot serves (guides, interface, answers), as ISO 639-1 codes, the fallback first.
LANGUAGES: tuple[str, ...] = (FALLBACK_LANG, "vi", "th", "id", "ms", "tl", "km", "lo", "my")

# Names the model is given when told which language to write in.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "vi": "Vietnamese", "th": "Thai", "id": "Indonesian", "ms": "Malay",
    "tl": "Filipino", "km": "Khmer", "lo": "Lao", "my": "Burmese", "zh": "Chinese", "ta": "Tamil",
}

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

# Business sectors a profile may name; their labels are interface strings `sector_<id>`.
SECTORS: tuple[str, ...] = ("food", "retail", "garments", "agriculture", "manufacturing", "tourism", "services", "other")


@dataclass(frozen=True)
class Source:
    """A published source a knowledge document rests on."""

    title: str
    publisher: str
    url: str
    date: str


class SentenceKind(StrEnum):
    """What a unit of guide text is, for quoting it on its own."""

    SENTENCE = "sentence"
    LIST_ITEM = "list_item"  # a step or bullet: a whole point
    LEAD_IN = "lead_in"  # only introduces what follows ("Take these steps:")
    META = "meta"  # the guide about itself ("This page explains…")
    LONG = "long"  # too long to quote whole; still searched


@dataclass(frozen=True)
class Sentence:
    """One unit of a passage: a sentence, a list item or a table row read as a sentence."""

    text: str
    kind: SentenceKind = SentenceKind.SENTENCE

    @property
    def quotable(self) -> bool:
        """Whether an offline answer may show it alone."""
        return self.kind in (SentenceKind.SENTENCE, SentenceKind.LIST_ITEM)


@dataclass(frozen=True)
class Chunk:
    """A passage of a knowledge document, as indexed: up to a few consecutive sentences of one section."""

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
    sectors: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    section_index: int = 0  # position of its section in the document: the same in every translation
    sentences: tuple[Sentence, ...] = ()  # the passage's units, in order
    section_text: str = ""  # the whole section the passage belongs to: context for a model

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
    sentence_scores: tuple[float, ...] = ()  # how close each of chunk.sentences is to the question (cosine)
    context: tuple[tuple[Sentence, float], ...] = ()  # the rest of its section, each sentence with its closeness
    dense_margin: float | None = None  # dense_score minus the query's typical score over the index: how much it stands out


@dataclass(frozen=True)
class Preferences:
    """What the owner is, as a preference: guides for their country and sector rank a little higher."""

    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Filters:
    """Hard restrictions, for the content team's `greenbot search`: a country (its own guides
    plus ASEAN-wide ones) and a topic. Answers use Preferences instead."""

    country: str | None = None
    topic: str | None = None

    def allows(self, chunk: Chunk) -> bool:
        if self.country and not chunk.applies_to(self.country):
            return False
        return not self.topic or self.topic in chunk.topics


Role = Literal["system", "user", "assistant"]  # who says a message to a chat model


@dataclass(frozen=True)
class Completion:
    """A model's reply and what it cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    model: str


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, as stored and given to the model as history."""

    question: str
    answer: str
    lang: str
    topic_query: str = ""  # the standalone question retrieval used (for offline follow-ups)


@dataclass(frozen=True)
class Profile:
    """What a user told us about themselves; every field is optional and changeable."""

    user_id: str
    lang: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Question:
    """What a user asked, with what we know of them. Built by the terminal chat, the Telegram
    layer and the evaluation harness alike."""

    text: str
    user_id: str = "local"
    chosen_lang: str | None = None  # picked with /lang: a prior when the message itself is unclear
    client_lang: str | None = None  # e.g. Telegram's language_code
    reply_lang: str | None = None  # answer in this language whatever the message's (greenbot ask --lang)
    country: str | None = None  # ISO code from the user's profile: a preference, never a filter
    sector: str | None = None  # the kind of business (SECTORS): guides for it are preferred
    history: tuple[Turn, ...] | None = None  # None: load from the conversation store


@dataclass(frozen=True)
class CitedSource:
    """A numbered source under an answer; a document and its translations share one number."""

    number: int
    id: str  # the document shown (a translation where the user's language has one)
    original_id: str  # the English original's id, which its translations share
    title: str
    url: str
    snippet: str
    countries: tuple[str, ...] = ()
    date: str = ""
    publisher: str = ""


@dataclass
class Answer:
    """The pipeline's reply to one question."""

    text: str
    language: str
    mode: str  # "llm", "offline", "refusal" or "greeting" (a greeting or thank-you answered in kind)
    sources: list[CitedSource] = field(default_factory=list)
    contexts: list[ScoredChunk] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    language_reason: str = ""
    language_confidence: float = 0.0
    refusal_reason: str | None = None  # "out_of_scope", "unsafe", "injection", "no_context", "too_long", "empty", "search_failed"
    notices: list[str] = field(default_factory=list)  # e.g. "offline", "model_failed", "no_content_in_language"
    ungrounded_numbers: list[str] = field(default_factory=list)
    removed_citations: list[int] = field(default_factory=list)
    flagged_no_citation: bool = False
    standalone_question: str = ""
    turn_id: int | None = None  # the stored exchange, which feedback refers to; None if not stored


def answer_as_dict(answer: Answer) -> dict[str, object]:
    """The JSON shape of an answer (`greenbot ask --json`, evaluation results)."""
    return {
        "answer": answer.text,
        "language": answer.language,
        "mode": answer.mode,
        "sources": [s.__dict__ | {"countries": list(s.countries)} for s in answer.sources],
        "contexts": [hit.chunk.text for hit in answer.contexts],
        "context_ids": [hit.chunk.doc_id for hit in answer.contexts],
        "latency_ms": answer.timings_ms.get("total", 0.0),
        "timings_ms": answer.timings_ms,
        "tokens": answer.tokens,
        "language_reason": answer.language_reason,
        "language_confidence": answer.language_confidence,
        "refusal_reason": answer.refusal_reason,
        "notices": answer.notices,
        "ungrounded_numbers": answer.ungrounded_numbers,
        "removed_citations": answer.removed_citations,
        "flagged_no_citation": answer.flagged_no_citation,
        "standalone_question": answer.standalone_question,
    }
