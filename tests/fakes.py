"""In-process fakes of the pipeline's collaborators (its Protocols), for unit tests of its logic.

In the spirit of simonw/llm's `MockModel`: each fake does the least that keeps the contract,
records what it was asked, and is set up by the test with what it should answer. The real
retriever, model client and database are covered by the integration tests against real servers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from bot.domain import AnswerMode, Chunk, CitedSource, Completion, Preferences, RefusalReason, Role, ScoredChunk, Sentence, SentenceKind, Turn
from bot.errors import LLMError, LLMTimeout


def passage(doc: str, sentences: Sequence[str], *, lang: str = "en", score: float = 2.0, closeness: float = 0.9) -> ScoredChunk:
    """A retrieved passage of guide `doc`: every sentence quotable, all equally close to the question."""
    units = tuple(Sentence(text, SentenceKind.SENTENCE) for text in sentences)
    chunk = Chunk(
        id=f"{doc}-{lang}#0", doc_id=f"{doc}-{lang}" if lang != "en" else doc, group_id=doc, lang=lang, title=doc.replace("-", " ").capitalize(),
        section="", text=" ".join(sentences), path=f"{lang}/{doc}.md", countries=("asean",), sentences=units,
    )  # fmt: skip
    return ScoredChunk(chunk=chunk, score=1.0, dense_score=score, sentence_scores=(closeness,) * len(units))


@dataclass
class FakeRetriever:
    """Returns the passages it was given, whatever the question; records each search."""

    hits: list[ScoredChunk] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)

    async def asearch(
        self, query: str, *, lang: str | None = None, prefer: Preferences = Preferences(), k: int | None = None, extra_queries: Sequence[str] = ()
    ) -> list[ScoredChunk]:
        self.searches.append(query)
        return list(self.hits)


@dataclass
class FakeClock:
    """A monotonic clock that moves only when something says how long it took."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeChat:
    """A model that replies from a queue (text, or an `LLMError` to raise), streamed in `pieces`
    parts; records every prompt and deadline. Each call takes `takes_s` on `clock`, and one that
    would end past its deadline ends at it with an `LLMTimeout`, as the real client does."""

    replies: list[str | LLMError] = field(default_factory=list)
    pieces: int = 1
    takes_s: float = 0.0
    clock: FakeClock = field(default_factory=FakeClock)
    prompts: list[list[tuple[Role, str]]] = field(default_factory=list)
    deadlines: list[float | None] = field(default_factory=list)

    def _next(self, messages: list[tuple[Role, str]], deadline: float | None) -> str:
        self.prompts.append(messages)
        self.deadlines.append(deadline)
        self.clock.now += self.takes_s
        if deadline is not None and self.clock.now > deadline:
            self.clock.now = deadline
            raise LLMTimeout("fake timed out: no complete reply within the answer's deadline")
        reply = self.replies.pop(0) if self.replies else "OK [1]."
        if isinstance(reply, LLMError):
            raise reply
        return reply

    async def complete(self, messages: list[tuple[Role, str]], deadline: float | None = None) -> Completion:
        return Completion(self._next(messages, deadline), prompt_tokens=10, completion_tokens=5, model="fake")

    async def stream(self, messages: list[tuple[Role, str]], deadline: float | None = None) -> AsyncIterator[Completion]:
        text = self._next(messages, deadline)
        size = -(-len(text) // self.pieces)
        for end in range(size, len(text), size):
            yield Completion(text[:end], prompt_tokens=0, completion_tokens=0, model="fake")
        yield Completion(text, prompt_tokens=10, completion_tokens=5, model="fake")


@dataclass
class SavedTurn:
    user_id: str
    turn: Turn
    mode: AnswerMode
    sources: tuple[CitedSource, ...]
    refusal_reason: RefusalReason | None


@dataclass
class FakeStore:
    """Conversation turns in a list."""

    saved: list[SavedTurn] = field(default_factory=list)

    async def save_turn(self, user_id: str, turn: Turn, mode: AnswerMode, sources: Sequence[CitedSource], refusal_reason: RefusalReason | None = None) -> int:
        self.saved.append(SavedTurn(user_id, turn, mode, tuple(sources), refusal_reason))
        return len(self.saved)

    async def recent_turns(self, user_id: str, limit: int) -> tuple[Turn, ...]:
        return tuple(s.turn for s in self.saved if s.user_id == user_id)[-limit:] if limit else ()
