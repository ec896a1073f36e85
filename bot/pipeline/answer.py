"""Pipeline.answer(): a question in, an Answer out, every step in order in one place.

The terminal chat, the Telegram bot and the evaluation harness all call this one entry
point. It knows nothing of Telegram; its collaborators come in through the constructor.

    language → guards → standalone question → retrieval → confidence
      → model answer (checked: language, citations, figures) or offline composed answer
      → turn saved
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from bot.config import LLMSettings, PipelineSettings
from bot.domain import (
    ASEAN_COUNTRIES,
    FALLBACK_LANG,
    LANGUAGE_NAMES,
    LANGUAGES,
    Answer,
    CitedSource,
    Completion,
    Preferences,
    Question,
    Role,
    ScoredChunk,
    Turn,
)
from bot.errors import LLMBadOutput, LLMError
from bot.language import Detection, Priors, detect
from bot.pipeline.budget import Fitted, TokenBudget
from bot.pipeline.compose import compose
from bot.pipeline.grounding import check_citations, ungrounded_numbers
from bot.pipeline.guards import is_injection, is_unsafe
from bot.pipeline.intent import MessageKind, classify
from bot.pipeline.scope import mentioned_country, mentions_topic
from bot.prompts import Prompts

logger = logging.getLogger(__name__)

_QUESTION_TAG = re.compile(r"</?\s*(question|history)\s*>", re.IGNORECASE)
# Openings that mark a short message as a follow-up to the previous question.
_FOLLOW_UP = re.compile(
    r"^(and|what about|how about|also|then|và|còn|thế còn|vậy|con|the con|va|bagaimana dengan|kalau|macam mana dengan|"
    r"dan|paano naman|eh|at sa|pano sa|แล้ว|ถ้า|ແລ້ວ|ចុះ|ဒါဆို)\b",
    re.IGNORECASE,
)
_FOLLOW_UP_WORDS = 8
OUT_OF_SCOPE = "OUT_OF_SCOPE"  # what the system prompt asks the model to reply to a question outside our field


class _OutOfScope(Exception):
    """The model judged the question outside GreenGuide's field (raised and caught in answer())."""


class Retriever(Protocol):
    async def asearch(
        self, query: str, *, lang: str | None = ..., prefer: Preferences = ..., k: int | None = ..., extra_queries: Sequence[str] = ...
    ) -> list[ScoredChunk]: ...


class ChatModel(Protocol):
    async def complete(self, messages: list[tuple[Role, str]]) -> Completion: ...


class ConversationStore(Protocol):
    async def save_turn(self, user_id: str, turn: Turn, mode: str, sources: list[CitedSource], refusal_reason: str | None = None) -> int: ...

    async def recent_turns(self, user_id: str, limit: int) -> tuple[Turn, ...]: ...


class Pipeline:
    """Answers questions from the knowledge index, with a model when one is configured."""

    def __init__(
        self,
        *,
        retriever: Retriever,
        prompts: Prompts,
        store: ConversationStore,
        settings: PipelineSettings,
        llm_settings: LLMSettings,
        chat: ChatModel | None = None,
        utility: ChatModel | None = None,
    ) -> None:
        self._retriever = retriever
        self._prompts = prompts
        self._store = store
        self._settings = settings
        self._llm = llm_settings
        self._chat = chat
        self._utility = utility or chat
        self._budget = TokenBudget()

    async def answer(self, question: Question) -> Answer:
        """The whole pipeline for one question; never raises for a bad question or a failing model."""
        clock = _Clock()
        text = question.text.strip()
        history = question.history
        if history is None:
            history = await self._store.recent_turns(question.user_id, self._settings.history_turns)
        with clock("language"):  # never reads more than a question may hold: a huge message costs no more than a long one
            detection = detect(text[: self._settings.max_question_chars], Priors(chosen=question.chosen_lang, recent=history[-1].lang if history else None, client=question.client_lang))
        lang = detection.lang if detection.lang in LANGUAGES else FALLBACK_LANG
        if question.reply_lang in LANGUAGES:  # the caller named the language to answer in
            detection = Detection(question.reply_lang, 1.0, "reply_lang")
            lang = question.reply_lang
        base = Answer(text="", language=lang, mode="refusal", language_reason=detection.reason, language_confidence=detection.confidence)
        if lang != detection.lang:
            base.notices.append("unsupported_language")

        refusal = self._guard(text)
        if refusal:
            return await self._refuse(base, refusal, clock, question, save=refusal not in ("empty", "too_long"))
        kind = classify(text)
        if kind in (MessageKind.GREETING, MessageKind.THANKS):
            return self._greet(base, kind, clock)
        if kind is not MessageKind.QUESTION:  # emoji, keyboard mash, a recipe: nothing a guide could answer
            base.notices.append(kind.value)
            return await self._refuse(base, "out_of_scope", clock, question)

        with clock("standalone"):
            standalone = await self._standalone(text, history, base)
        country = mentioned_country(standalone) or question.country
        base.standalone_question = standalone
        with clock("retrieval"):
            extra = await self._english_query(standalone, lang, base)
            try:
                # the profile's country; the retriever itself favours a country the question names
                hits = await self._retriever.asearch(standalone, lang=lang, prefer=Preferences(question.country, question.sector), extra_queries=extra)
            except LLMError as exc:  # the embedding model on a server (embedding_provider=openai) failed: nothing to answer from
                logger.warning("search failed: %s", exc)
                base.notices.append("model_failed")
                return await self._refuse(base, "search_failed", clock, question)
        base.contexts = hits
        if not self._confident(hits):
            reason = "no_context" if mentions_topic(text) else "out_of_scope"
            return await self._refuse(base, reason, clock, question)

        base.sources = _number_sources(hits)
        if self._chat is not None:
            try:
                with clock("generation"):
                    await self._generate(base, question, text, history, country)
            except _OutOfScope:
                return await self._refuse(base, "out_of_scope", clock, question)
            except LLMBadOutput as exc:
                logger.warning("model reply unusable, answering offline: %s", exc)
                base.notices.append("model_rejected")
            except LLMError as exc:
                logger.warning("model failed, answering offline: %s", exc)
                base.notices.append("model_failed")
        if base.mode != "llm":
            with clock("extraction"):
                self._answer_offline(base, standalone, question.country)
        await self._save(question, base)
        base.timings_ms = clock.done()
        return base

    # --- steps -------------------------------------------------------------------------

    def _guard(self, text: str) -> str | None:
        if not text:
            return "empty"
        if len(text) > self._settings.max_question_chars:
            return "too_long"
        if is_unsafe(text):
            return "unsafe"
        if is_injection(text):
            return "injection"
        return None

    async def _standalone(self, text: str, history: tuple[Turn, ...], answer: Answer) -> str:
        """A question retrieval can use without the conversation."""
        if not history:
            return text
        if self._utility is not None:
            try:
                completion = await self._utility.complete(
                    [("user", self._prompts.render("condense", history=history, question=_as_data(text)))]
                )
                _count_tokens(answer, completion)
                return completion.text.strip() or text
            except LLMError as exc:
                logger.warning("condensing failed, using the offline rule: %s", exc)
        previous = history[-1].topic_query or history[-1].question
        short = len(text.split()) <= _FOLLOW_UP_WORDS
        # "and in Thailand?" or "Thailand?" lean on the previous topic; "is there a green loan in
        # Malaysia?" names a topic of its own and stands alone.
        if short and (_FOLLOW_UP.match(text) or (mentioned_country(text) and not mentions_topic(text))):
            return f"{previous} {text}"
        return text

    async def _english_query(self, question: str, lang: str, answer: Answer) -> list[str]:
        """With a model, a non-English question is also searched as an English query."""
        if self._utility is None or lang == FALLBACK_LANG:
            return []
        try:
            completion = await self._utility.complete(
                [("user", self._prompts.render("translate_query", question=_as_data(question), language_name=LANGUAGE_NAMES[lang]))]
            )
        except LLMError as exc:
            logger.warning("query translation failed: %s", exc)
            return []
        _count_tokens(answer, completion)
        return [completion.text.strip()]

    def _confident(self, hits: list[ScoredChunk]) -> bool:
        best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
        return bool(hits) and best >= self._settings.min_dense_score

    async def _generate(self, answer: Answer, question: Question, text: str, history: tuple[Turn, ...], country: str | None) -> None:
        """A model-written answer from the numbered sources, checked after generation.

        Building the prompt and checking the reply (token counting, language detection, figure
        matching) are CPU work: they run in a worker thread, so that many answers coming back
        at once do not stall the event loop that serves every chat.
        """
        lang = answer.language
        prompt = await asyncio.to_thread(self._prompt, answer, text, history, country, question.sector)
        chat = self._chat
        assert chat is not None  # _generate runs only with a model
        completion = await chat.complete(prompt.messages)
        _count_tokens(answer, completion)
        if completion.text.strip().strip(".").upper() == OUT_OF_SCOPE:  # the model's own judgement
            raise _OutOfScope
        checked = await asyncio.to_thread(_check, completion.text, prompt, lang)
        if checked.wrong_language:
            answer.notices.append("language_retried")
            retry = self._prompts.render("language_retry", language_name=LANGUAGE_NAMES[lang])
            completion = await chat.complete([*prompt.messages, ("assistant", completion.text), ("user", retry)])
            _count_tokens(answer, completion)
            checked = await asyncio.to_thread(_check, completion.text, prompt, lang)
        failed = checked.failure()
        if failed:
            raise LLMBadOutput(f"the model's reply failed the checks: {failed}")
        answer.text = checked.text
        answer.mode = "llm"
        answer.removed_citations = list(checked.removed)
        answer.flagged_no_citation = not checked.cited
        answer.ungrounded_numbers = checked.ungrounded_numbers
        shown = checked.cited or {s.number for s, _ in prompt.sent}  # the cited sources; all that were sent if none is cited
        answer.sources = [s for s in answer.sources if s.number in shown]
        answer.tokens["prompt_budget"] = prompt.budget
        answer.tokens["dropped_sources"] = prompt.fitted.dropped_sources

    def _prompt(self, answer: Answer, text: str, history: tuple[Turn, ...], country: str | None, sector: str | None) -> _Prompt:
        """The messages for the model: system prompt, the history and the sources that fit the budget."""
        lang = answer.language
        business = self._prompts.message(FALLBACK_LANG, f"sector_{sector}").lower() if sector else ""  # the prompt is in English
        system = self._prompts.render("system", language_name=LANGUAGE_NAMES[lang], country_name=ASEAN_COUNTRIES.get(country or "", ""), business=business)
        texts = _source_texts(answer)
        budget = self._llm.token_budget(lang)
        frame = self._prompts.render("answer", sources=[], question=_as_data(text), language_name=LANGUAGE_NAMES[lang])  # the question and the template's words
        fitted = self._budget.fit(budget, [system, frame], history, [t for _, t in texts])
        sent = list(zip(answer.sources, fitted.source_texts, strict=False))  # lower-ranked ones dropped
        kept = [{"number": s.number, "title": s.title, "countries": ", ".join(s.countries), "text": body} for s, body in sent]
        user = self._prompts.render("answer", sources=kept, question=_as_data(text), language_name=LANGUAGE_NAMES[lang])
        messages: list[tuple[Role, str]] = [("system", system)]
        for turn in fitted.history:
            messages += [("user", _as_data(turn.question)), ("assistant", turn.answer)]
        messages.append(("user", user))
        return _Prompt(messages=messages, sent=sent, fitted=fitted, budget=budget)

    def _answer_offline(self, answer: Answer, question: str, country: str | None) -> None:
        """The guides' own sentences: the one that answers first, then a few that support it,
        each with its source number, then a line saying how the answer was made (compose.py)."""
        numbers = {s.original_id: s.number for s in answer.sources}
        hits = [(numbers[h.chunk.group_id], h) for h in answer.contexts]
        lang = answer.language
        composed = compose(question, lang, hits, self._settings.composer, country)
        quotes = [composed.answer, *composed.points] if composed else []
        lines = [f"{composed.answer.text} [{composed.answer.source_number}]"] if composed else []
        lines += [f"• {q.text} [{q.source_number}]" for q in quotes[1:]]
        note = next((f"{n}_note" for n in ("model_failed", "model_rejected") if n in answer.notices), "offline_note")
        lines += ["", self._prompts.message(lang, note)]
        if "unsupported_language" in answer.notices:
            lines.append(self._prompts.message(FALLBACK_LANG, "unsupported_language_note"))
        elif lang != FALLBACK_LANG and not any(h.chunk.lang == lang for _, h in hits):
            lines.append(self._prompts.message(lang, "no_translation_note"))
            answer.notices.append("no_translation")
        cited = {q.source_number for q in quotes}
        answer.sources = [s for s in answer.sources if s.number in cited]
        answer.text = "\n".join(lines).strip()
        answer.mode = "offline"
        answer.notices.append("offline")

    def _greet(self, answer: Answer, kind: MessageKind, clock: _Clock) -> Answer:
        """A greeting in kind, or "you're welcome", then what the bot can do. Not saved: a "hi"
        must not become the topic a follow-up is read against."""
        lang = answer.language
        opening = self._prompts.message(lang, "greeting" if kind is MessageKind.GREETING else "you_are_welcome")
        answer.text = f"{opening}\n\n{self._prompts.message(lang, 'can_do')}"
        answer.mode = "greeting"
        answer.timings_ms = clock.done()
        return answer

    async def _refuse(self, answer: Answer, reason: str, clock: _Clock, question: Question, *, save: bool = True) -> Answer:
        lang = answer.language
        key = {"no_context": "no_context", "empty": "empty", "too_long": "too_long", "search_failed": "error"}.get(reason, f"refusal_{reason}")
        reason_text = self._prompts.message(lang, key, max_chars=self._settings.max_question_chars)
        can_do = "" if reason in ("empty", "too_long", "search_failed") else self._prompts.message(lang, "can_do")
        answer.text = self._prompts.render("refusal", reason_text=reason_text, can_do=can_do)
        answer.mode, answer.refusal_reason, answer.sources = "refusal", reason, []
        if save:
            await self._save(question, answer)
        answer.timings_ms = clock.done()
        return answer

    async def _save(self, question: Question, answer: Answer) -> None:
        turn = Turn(question=question.text, answer=answer.text, lang=answer.language, topic_query=answer.standalone_question)
        answer.turn_id = await self._store.save_turn(question.user_id, turn, answer.mode, answer.sources, answer.refusal_reason)


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prompt:
    """What was sent to the model: the messages, and the sources with the text of each that fit."""

    messages: list[tuple[Role, str]]
    sent: list[tuple[CitedSource, str]]
    fitted: Fitted
    budget: int


@dataclass(frozen=True)
class _Checked:
    """A model's reply after the checks."""

    text: str  # citation numbers that name no sent source removed
    cited: frozenset[int]
    removed: tuple[int, ...]
    ungrounded_numbers: list[str]  # figures found in none of the cited sources
    wrong_language: bool

    def failure(self) -> str | None:
        """Why this reply must not reach the owner, or None: an owner is better served by quotes
        from the guides than by an empty reply, an uncited one, one with figures the sources do
        not hold, or one in another language."""
        made_up = [n for n in self.ungrounded_numbers if _is_figure(n)]
        if not self.text.strip():
            return "it is empty"
        if self.wrong_language:
            return "it is not in the owner's language"
        if not self.cited:
            return "it cites no source"
        if made_up:
            return f"figures in no source: {', '.join(made_up)}"
        return None


def _check(reply: str, prompt: _Prompt, lang: str) -> _Checked:
    """Every check of a reply: its citations, its figures and its language."""
    citations = check_citations(reply, {s.number for s, _ in prompt.sent})
    text = citations.text.strip()
    cited = [body for s, body in prompt.sent if s.number in citations.cited]
    return _Checked(
        text=text,
        cited=citations.cited,
        removed=citations.removed,
        ungrounded_numbers=ungrounded_numbers(text, cited or prompt.fitted.source_texts),
        wrong_language=_wrong_language(reply, lang),
    )


class _Clock:
    """Named timings in milliseconds, plus the total."""

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._timings[name] = round((time.perf_counter() - start) * 1000, 2)

    def done(self) -> dict[str, float]:
        return {**self._timings, "total": round((time.perf_counter() - self._start) * 1000, 2)}


def _as_data(text: str) -> str:
    """User text travels inside <question> tags; it must not be able to close them."""
    return _QUESTION_TAG.sub(" ", text)


def _number_sources(hits: list[ScoredChunk]) -> list[CitedSource]:
    """One number per document, in rank order; a document and its translation share one."""
    sources: dict[str, CitedSource] = {}
    for hit in hits:
        chunk = hit.chunk
        if chunk.group_id in sources:
            continue
        first = chunk.sources[0] if chunk.sources else None
        sources[chunk.group_id] = CitedSource(
            number=len(sources) + 1,
            id=chunk.doc_id,
            original_id=chunk.group_id,
            title=chunk.title,
            url=first.url if first else "",
            snippet=" ".join(chunk.text.split())[:200],
            countries=chunk.countries,
            date=first.date if first else "",
            publisher=first.publisher if first else "",
        )
    return list(sources.values())


def _source_texts(answer: Answer) -> list[tuple[int, str]]:
    """Each numbered source's retrieved text (its chunks joined, in rank order)."""
    numbers = {s.original_id: s.number for s in answer.sources}
    texts: dict[int, list[str]] = {}
    for hit in answer.contexts:
        texts.setdefault(numbers[hit.chunk.group_id], []).append(hit.chunk.text)
    return [(n, "\n\n".join(texts[n])) for n in sorted(texts)]


def _is_figure(number: str) -> bool:
    """A percentage, an amount with separators or decimals, or a number from 100 up (a year, a
    price); "3 steps" or "step 12" are not figures a source must hold."""
    return number.endswith("%") or not number.isdigit() or int(number) >= 100


def _wrong_language(reply: str, lang: str) -> bool:
    found: Detection = detect(reply)
    return found.lang != lang and found.confidence >= 0.8


def _count_tokens(answer: Answer, completion: Completion) -> None:
    answer.tokens["prompt_tokens"] = answer.tokens.get("prompt_tokens", 0) + completion.prompt_tokens
    answer.tokens["completion_tokens"] = answer.tokens.get("completion_tokens", 0) + completion.completion_tokens
