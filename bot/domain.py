"""Types that cross package boundaries: what retrieval returns and answers cite."""

from __future__ import annotations

import datetime as dt
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
    "en": "English",
    "vi": "Vietnamese",
    "th": "Thai",
    "id": "Indonesian",
    "ms": "Malay",
    "tl": "Filipino",
    "km": "Khmer",
    "lo": "Lao",
    "my": "Burmese",
    "zh": "Chinese",
    "ta": "Tamil",
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
    QUESTION = "question"  # a question the guide asks the reader ("How fast does it pay?"): it answers nothing
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


class AlertKind(StrEnum):
    """What an owner may opt into with /alerts, each on its own; nothing is sent without one."""

    GUIDES = "guides"  # new or changed guides for their country and business
    DEADLINES = "deadlines"  # a programme closing soon, a rule taking effect
    TIP = "tip"  # one tip a month
    NEWS = "news"  # the content team's announcements (`greenbot broadcast`)


@dataclass(frozen=True)
class Subscriber:
    """An owner who opted into alerts, as the sender needs them: where to send, in which
    language, for which country and business, and since when each kind."""

    user_id: str  # also their private chat with the bot
    lang: str
    country: str | None
    sector: str | None
    kinds: dict[AlertKind, dt.date]  # kind → the day they opted in: older news is not news to them


class Delivery(StrEnum):
    """Where one alert stands for one owner in the delivery ledger. Only REFUSED (Telegram said
    no, so it did not arrive) may be sent again; every other state is never sent twice."""

    SENDING = "sending"  # recorded before the send: a crash leaves it, and it is not sent again
    SENT = "sent"
    BLOCKED = "blocked"  # 403: the owner blocked the bot, and is unsubscribed
    REFUSED = "refused"  # Telegram refused it (or could not be reached): a later run tries again
    UNKNOWN = "unknown"  # timed out or cut off mid-call: it may have arrived, so it is not sent again


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
    today: dt.date | None = None  # answer as on this day (an evaluation case, a preview); None: the pipeline's clock


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


class AnswerMode(StrEnum):
    """How a question was answered."""

    LLM = "llm"  # a model wrote it from the numbered sources, and it passed the checks
    OFFLINE = "offline"  # quoted from the guides (no model, or the model failed or was rejected)
    REFUSAL = "refusal"  # not answered; `Answer.refusal_reason` says why
    GREETING = "greeting"  # a greeting or thank-you answered in kind
    REFERRAL = "referral"  # the owner asked for a person: the places that take such requests


class RefusalReason(StrEnum):
    """Why a question was not answered; each reason has its own message for the owner."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNSAFE = "unsafe"
    INJECTION = "injection"
    OUT_OF_SCOPE = "out_of_scope"
    NO_CONTEXT = "no_context"  # on topic, but no guide says enough
    SEARCH_FAILED = "search_failed"  # the embedding model on a server failed: nothing to answer from

    @property
    def message_key(self) -> str:
        """The key of the owner's message in prompts/messages/<lang>.yaml."""
        return _REFUSAL_MESSAGES[self]

    @property
    def saved(self) -> bool:
        """An empty or too long message says nothing of what the owner wants: it is not stored as a turn."""
        return self not in (RefusalReason.EMPTY, RefusalReason.TOO_LONG)

    @property
    def offers_topics(self) -> bool:
        """Whether the reply lists what the bot can do: not when the message itself must change
        (empty, too long) or when the bot failed (search_failed)."""
        return self not in (RefusalReason.EMPTY, RefusalReason.TOO_LONG, RefusalReason.SEARCH_FAILED)


_REFUSAL_MESSAGES = {
    RefusalReason.EMPTY: "empty",
    RefusalReason.TOO_LONG: "too_long",
    RefusalReason.UNSAFE: "refusal_unsafe",
    RefusalReason.INJECTION: "refusal_injection",
    RefusalReason.OUT_OF_SCOPE: "refusal_out_of_scope",
    RefusalReason.NO_CONTEXT: "no_context",
    RefusalReason.SEARCH_FAILED: "error",
}


class Notice(StrEnum):
    """Something about how an answer was made that its reader or the logs should know."""

    OFFLINE = "offline"  # quoted from the guides
    MODEL_FAILED = "model_failed"  # the model server failed; answered offline
    MODEL_REJECTED = "model_rejected"  # the model's reply failed the checks; answered offline
    LANGUAGE_RETRIED = "language_retried"  # the model answered in another language and was asked again
    UNSUPPORTED_LANGUAGE = "unsupported_language"  # the message is in a language we do not serve: answered in English
    NO_TRANSLATION = "no_translation"  # no guide quoted is in the owner's language: quoted in English
    EMOJI_ONLY = "emoji_only"  # why an out-of-scope refusal: only emoji,
    GIBBERISH = "gibberish"  # ... a keyboard mash,
    OFF_TOPIC = "off_topic"  # ... or a request the rules recognise as off topic


@dataclass(frozen=True)
class Trace:
    """How an answer came about: for the logs, the evaluation harness and `greenbot ask --json`,
    never shown to the owner."""

    language_reason: str = ""  # which signal decided the language (script, model, prior, reply_lang…)
    language_confidence: float = 0.0
    standalone_question: str = ""  # what retrieval searched: the question, or it read with the conversation
    contexts: tuple[ScoredChunk, ...] = ()  # the retrieved passages, best first
    timings_ms: dict[str, float] = field(default_factory=dict)  # per step, and "total"
    prompt_tokens: int = 0  # over every model call made for the answer
    completion_tokens: int = 0
    prompt_budget: int | None = None  # tokens the answer prompt could use, when a model was asked
    dropped_sources: int = 0  # sources that did not fit that budget
    cards: tuple[
        str, ...
    ] = ()  # the directory's texts an answer carries: the cards of the programmes it names, the closed notes (figures are checked against them too)

    @property
    def tokens(self) -> dict[str, int]:
        """The token figures, as `ask --json` and the evaluation results show them."""
        counted = {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens}
        if self.prompt_budget is not None:
            counted |= {"prompt_budget": self.prompt_budget, "dropped_sources": self.dropped_sources}
        return counted


@dataclass(frozen=True)
class Answer:
    """The pipeline's reply to one question, built once its steps are done."""

    text: str
    language: str
    mode: AnswerMode
    sources: tuple[CitedSource, ...] = ()
    refusal_reason: RefusalReason | None = None
    notices: tuple[Notice, ...] = ()
    ungrounded_numbers: tuple[str, ...] = ()  # figures of a model's answer found in none of its cited sources
    removed_citations: tuple[int, ...] = ()  # citation numbers of a model's answer that named no source
    flagged_no_citation: bool = False
    turn_id: int | None = None  # the stored exchange, which feedback refers to; None if not stored
    trace: Trace = field(default_factory=Trace)


def answer_as_dict(answer: Answer) -> dict[str, object]:
    """The JSON shape of an answer (`greenbot ask --json`, evaluation results)."""
    trace = answer.trace
    return {
        "answer": answer.text,
        "language": answer.language,
        "mode": answer.mode.value,
        "sources": [s.__dict__ | {"countries": list(s.countries)} for s in answer.sources],
        "contexts": [hit.chunk.text for hit in trace.contexts],
        "context_ids": [hit.chunk.doc_id for hit in trace.contexts],
        "latency_ms": trace.timings_ms.get("total", 0.0),
        "timings_ms": trace.timings_ms,
        "tokens": trace.tokens,
        "language_reason": trace.language_reason,
        "language_confidence": trace.language_confidence,
        "refusal_reason": answer.refusal_reason.value if answer.refusal_reason else None,
        "notices": [notice.value for notice in answer.notices],
        "ungrounded_numbers": list(answer.ungrounded_numbers),
        "removed_citations": list(answer.removed_citations),
        "flagged_no_citation": answer.flagged_no_citation,
        "standalone_question": trace.standalone_question,
    }
