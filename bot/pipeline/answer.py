"""Pipeline.answer(): a question in, an Answer out, every step in order in one place.

The terminal chat, the Telegram bot and the evaluation harness all call this one entry
point. It knows nothing of Telegram; its collaborators come in through the constructor.

    language → guards → standalone question → retrieval → confidence
      → open programmes, for a money or label question (programmes.py); with no guide
        confident enough and none of those either, the polite refusal
      → model answer (checked: language, citations, figures) or offline composed answer
        (programmes alone, when no guide answers)
      → programmes named but not open, said so → turn saved

`Pipeline.events()` is the same run, reported as it goes (events.py): the sources once they
are found, the model's draft while it is written, and last the answer. Each step returns a
small value; the frozen `Answer` is built once, at the end, with a `Trace` of how it came about.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.config import LLMSettings, PipelineSettings
from bot.domain import (
    ASEAN_COUNTRIES,
    FALLBACK_LANG,
    LANGUAGE_NAMES,
    LANGUAGES,
    Answer,
    AnswerMode,
    CitedSource,
    Completion,
    Notice,
    Preferences,
    Question,
    RefusalReason,
    Role,
    ScoredChunk,
    Trace,
    Turn,
)
from bot.errors import LLMBadOutput, LLMError
from bot.knowledge import Directory, Referrals
from bot.language import Detection, Priors, detect
from bot.language.figures import check_citations, ungrounded_numbers
from bot.pipeline.budget import Fitted, TokenBudget
from bot.pipeline.compose import compose
from bot.pipeline.deadline import ModelTime
from bot.pipeline.events import Answered, Drafted, Event, Retrieved
from bot.pipeline.guards import is_injection, is_unsafe
from bot.pipeline.intent import MessageKind, classify
from bot.pipeline.programmes import Offer, not_open_lines, offer, offered_lines
from bot.pipeline.referral import referral_text
from bot.pipeline.scope import mentioned_country, mentions_topic
from bot.pipeline.tally import Tally
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
    """The model judged the question outside GreenGuide's field (raised and caught in events())."""


class Retriever(Protocol):
    async def asearch(
        self, query: str, *, lang: str | None = ..., prefer: Preferences = ..., k: int | None = ..., extra_queries: Sequence[str] = ...
    ) -> list[ScoredChunk]: ...


class ChatModel(Protocol):
    """A model; `deadline` (a `time.monotonic()` value) bounds a call with its retries."""

    async def complete(self, messages: list[tuple[Role, str]], deadline: float | None = ...) -> Completion: ...

    def stream(self, messages: list[tuple[Role, str]], deadline: float | None = ...) -> AsyncIterator[Completion]:
        """The reply as it is written: the whole text so far each time; the last holds the token counts."""
        ...


class ConversationStore(Protocol):
    async def save_turn(
        self, user_id: str, turn: Turn, mode: AnswerMode, sources: Sequence[CitedSource], refusal_reason: RefusalReason | None = None
    ) -> int: ...

    async def recent_turns(self, user_id: str, limit: int) -> tuple[Turn, ...]: ...


# The messages no guide could answer, and the notice that says why each was refused.
_OUT_OF_SCOPE = {MessageKind.EMOJI_ONLY: Notice.EMOJI_ONLY, MessageKind.GIBBERISH: Notice.GIBBERISH, MessageKind.OFF_TOPIC: Notice.OFF_TOPIC}


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
        clock: Callable[[], float] = time.monotonic,
        directory: Directory = Directory(files=()),
        referrals: Referrals = Referrals(),
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._retriever = retriever
        self._prompts = prompts
        self._store = store
        self._settings = settings
        self._llm = llm_settings
        self._chat = chat
        self._utility = utility or chat
        self._budget = TokenBudget()
        if chat is not None:  # only prompts are counted: offline answers never load the encoding
            self._budget.load()
        self._clock = clock  # the model calls' deadlines are read on it
        self.directory = directory  # the programmes answers name; swapped on reload (Services.reindex)
        self.referrals = referrals  # the places an owner who asks for a person is shown; likewise
        self._today = today  # which programmes are open: the day of the answer, unless the question names one

    async def answer(self, question: Question) -> Answer:
        """The whole pipeline for one question; never raises for a bad question or a failing model."""
        async for event in self.events(question):
            if isinstance(event, Answered):
                return event.answer
        raise AssertionError("events() always ends with the answer")

    async def events(self, question: Question) -> AsyncIterator[Event]:
        """The pipeline for one question, reported as it goes; the last event is the answer."""
        tally = Tally()
        model_time = ModelTime(self._llm.deadline_s, self._llm.helper_deadline_s, self._clock)
        text = question.text.strip()
        history = question.history
        if history is None:
            history = await self._store.recent_turns(question.user_id, self._settings.history_turns)
        priors = Priors(chosen=question.chosen_lang, recent=history[-1].lang if history else None, client=question.client_lang, country=question.country)
        with tally.timed("reading"):
            reading = await asyncio.to_thread(self._read, text, priors)
        detection, refusal, kind = reading.detection, reading.refusal, reading.kind
        lang = detection.lang if detection.lang in LANGUAGES else FALLBACK_LANG
        if question.reply_lang in LANGUAGES:  # the caller named the language to answer in
            detection = Detection(question.reply_lang, 1.0, "reply_lang")
            lang = question.reply_lang
        notices = [Notice.UNSUPPORTED_LANGUAGE] if lang != detection.lang else []
        trace = Trace(language_reason=detection.reason, language_confidence=detection.confidence)

        if kind is not None:
            if kind in (MessageKind.GREETING, MessageKind.THANKS):  # not saved: a "hi" must not become the topic a follow-up is read against
                greeting = Answer(text=self._greeting(lang, kind), language=lang, mode=AnswerMode.GREETING, notices=tuple(notices))
                yield Answered(tally.finish(greeting, trace))
                return
            if kind is MessageKind.ADVISOR:  # not saved either: a case summary quotes the question before it
                referral = replace(self.referral(lang, mentioned_country(text) or question.country), notices=tuple(notices))
                yield Answered(tally.finish(referral, trace))
                return
            if kind in _OUT_OF_SCOPE:  # emoji, keyboard mash, a recipe: nothing a guide could answer
                notices.append(_OUT_OF_SCOPE[kind])
                refusal = RefusalReason.OUT_OF_SCOPE
        if refusal is not None:
            yield Answered(await self._refuse(question, lang, refusal, notices, trace, tally))
            return

        with tally.timed("standalone"):
            standalone = await self._standalone(text, history, tally, model_time)
        country = mentioned_country(standalone) or question.country
        with tally.timed("retrieval"):
            extra = await self._english_query(standalone, lang, tally, model_time)
            try:
                # the profile's country; the retriever itself favours a country the question names
                hits = await self._retriever.asearch(standalone, lang=lang, prefer=Preferences(question.country, question.sector), extra_queries=extra)
            except LLMError as exc:  # the embedding model on a server (embedding_provider=openai) failed: nothing to answer from
                logger.warning("search failed: %s", exc)
                yield Answered(await self._refuse(question, lang, RefusalReason.SEARCH_FAILED, [*notices, Notice.MODEL_FAILED], trace, tally))
                return
        trace = replace(trace, standalone_question=standalone, contexts=tuple(hits))
        if not self._confident(hits):  # no guide answers it; the directory may still have programmes for it
            hits = []
        sources = _number_sources(hits)
        today = question.today or self._today()
        offered = offer(
            self.directory, standalone, self._prompts, lang=lang, country=country, sector=question.sector, today=today,
            first_number=len(sources) + 1, limit=self._settings.programmes, topics={t for h in hits for t in h.chunk.topics},
        )  # fmt: skip
        if not sources and not offered.programmes:
            reason = RefusalReason.NO_CONTEXT if mentions_topic(text) else RefusalReason.OUT_OF_SCOPE
            yield Answered(await self._refuse(question, lang, reason, notices, trace, tally))
            return
        trace = replace(trace, cards=offered.cards)
        yield Retrieved((*sources, *offered.sources))

        answer: Answer | None = None
        if self._chat is not None and sources:  # the model writes from guides; programmes alone are listed as they are
            try:
                with tally.timed("generation"):
                    async for step in self._generate(self._chat, sources, offered, hits, lang, question, text, history, country, tally, model_time):
                        if isinstance(step, Drafted):
                            yield step
                        else:
                            answer = replace(step.answer, notices=(*notices, *step.answer.notices))
                            trace = replace(trace, prompt_budget=step.prompt_budget, dropped_sources=step.dropped_sources)
            except _OutOfScope:
                yield Answered(await self._refuse(question, lang, RefusalReason.OUT_OF_SCOPE, notices, trace, tally))
                return
            except LLMBadOutput as exc:
                logger.warning("model reply unusable, answering offline: %s", exc)
                notices.append(Notice.MODEL_REJECTED)
            except LLMError as exc:
                logger.warning("model failed, answering offline: %s", exc)
                notices.append(Notice.MODEL_FAILED)
        if answer is None:
            with tally.timed("composing"):  # in a worker thread too: a hung server sends every waiting chat here at once
                answer = await asyncio.to_thread(self._offline, standalone, lang, sources, offered, hits, notices, question.country)
        read = [h.chunk.section_text or h.chunk.text for h in hits if h.chunk.group_id in {s.original_id for s in answer.sources}]
        # also a grant a quote calls "the grant"; a worker thread's job too: it reads every source section for every programme's names
        if closed := await asyncio.to_thread(not_open_lines, self.directory, (text, answer.text, *read), self._prompts, lang, today):
            answer = replace(answer, text="\n\n".join([answer.text, *closed]))
            trace = replace(trace, cards=(*trace.cards, *closed))
        turn_id = await self._save(question, answer, standalone)
        yield Answered(tally.finish(replace(answer, turn_id=turn_id), trace))

    # --- steps -------------------------------------------------------------------------

    def _read(self, text: str, priors: Priors) -> _Reading:
        """The message's language, a refusal it calls for, else its kind. Run in a worker thread:
        rules and language models read every message, and 200 arriving at once held the event
        loop for tens of milliseconds. Detection never reads more than a question may hold: a
        huge message costs no more than a long one."""
        detection = detect(text[: self._settings.max_question_chars], priors)
        refusal = self._guard(text)
        return _Reading(detection, refusal, None if refusal is not None else classify(text))

    def _guard(self, text: str) -> RefusalReason | None:
        if not text:
            return RefusalReason.EMPTY
        if len(text) > self._settings.max_question_chars:
            return RefusalReason.TOO_LONG
        if is_unsafe(text):
            return RefusalReason.UNSAFE
        if is_injection(text):
            return RefusalReason.INJECTION
        return None

    async def _standalone(self, text: str, history: tuple[Turn, ...], tally: Tally, model_time: ModelTime) -> str:
        """A question retrieval can use without the conversation."""
        if not history:
            return text
        if self._utility is not None:
            try:
                with model_time.running(helper=True) as deadline:
                    completion = await self._utility.complete(
                        [("user", self._prompts.render("condense", history=history, question=_as_data(text)))], deadline=deadline
                    )
                tally.count(completion)
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

    async def _english_query(self, question: str, lang: str, tally: Tally, model_time: ModelTime) -> list[str]:
        """With a model, a non-English question is also searched as an English query."""
        if self._utility is None or lang == FALLBACK_LANG:
            return []
        try:
            with model_time.running(helper=True) as deadline:
                completion = await self._utility.complete(
                    [("user", self._prompts.render("translate_query", question=_as_data(question), language_name=LANGUAGE_NAMES[lang]))],
                    deadline=deadline,
                )
        except LLMError as exc:
            logger.warning("query translation failed: %s", exc)
            return []
        tally.count(completion)
        return [completion.text.strip()]

    def _confident(self, hits: list[ScoredChunk]) -> bool:
        best = max((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
        return bool(hits) and best >= self._settings.min_dense_score

    async def _generate(
        self,
        chat: ChatModel,
        found: tuple[CitedSource, ...],
        offered: Offer,
        hits: list[ScoredChunk],
        lang: str,
        question: Question,
        text: str,
        history: tuple[Turn, ...],
        country: str | None,
        tally: Tally,
        model_time: ModelTime,
    ) -> AsyncIterator[Drafted | _Generated]:
        """A model-written answer from the numbered sources: its drafts as it writes, then the
        answer once checked. Raises `_OutOfScope`, `LLMBadOutput` or `LLMError` instead.

        Building the prompt and checking the reply (token counting, language detection, figure
        matching) are CPU work: they run in a worker thread, so that many answers coming back
        at once do not stall the event loop that serves every chat. The programme cards on
        `offered` are sources after the guides `found`.
        """
        sources = (*found, *offered.sources)
        texts = _source_texts(found, hits) + list(offered.cards)
        cards = frozenset(s.number for s in offered.sources)
        prompt = await asyncio.to_thread(self._prompt, sources, texts, cards, lang, text, history, country, question.sector)
        completion: Completion | None = None
        with model_time.running() as deadline:
            async for completion in chat.stream(prompt.messages, deadline=deadline):
                yield Drafted(completion.text)
        if completion is None:
            raise LLMBadOutput("the model sent nothing")
        tally.count(completion)
        if completion.text.strip().strip(".").upper() == OUT_OF_SCOPE:  # the model's own judgement
            raise _OutOfScope
        notices: tuple[Notice, ...] = ()
        checked = await asyncio.to_thread(_check, completion.text, prompt, lang)
        if checked.wrong_language:
            notices = (Notice.LANGUAGE_RETRIED,)
            retry = self._prompts.render("language_retry", language_name=LANGUAGE_NAMES[lang])
            with model_time.running() as deadline:
                completion = await chat.complete([*prompt.messages, ("assistant", completion.text), ("user", retry)], deadline=deadline)
            tally.count(completion)
            checked = await asyncio.to_thread(_check, completion.text, prompt, lang)
        failed = checked.failure()
        if failed:
            raise LLMBadOutput(f"the model's reply failed the checks: {failed}")
        shown = checked.cited or {s.number for s, _ in prompt.sent}  # the cited sources; all that were sent if none is cited
        answer = Answer(
            text=checked.text,
            language=lang,
            mode=AnswerMode.LLM,
            sources=tuple(s for s in sources if s.number in shown),
            notices=notices,
            ungrounded_numbers=tuple(checked.ungrounded_numbers),
            removed_citations=checked.removed,
            flagged_no_citation=not checked.cited,
        )
        yield _Generated(answer, prompt.budget, prompt.fitted.dropped_sources)

    def _prompt(
        self,
        sources: tuple[CitedSource, ...],
        texts: list[str],
        cards: frozenset[int],
        lang: str,
        text: str,
        history: tuple[Turn, ...],
        country: str | None,
        sector: str | None,
    ) -> _Prompt:
        """The messages for the model: system prompt, the history and the sources (`texts`, in
        their order) that fit the budget; the model is told which of those sent are programme `cards`."""
        business = self._prompts.message(FALLBACK_LANG, f"sector_{sector}").lower() if sector else ""  # the prompt is in English
        system = self._prompts.render("system", language_name=LANGUAGE_NAMES[lang], country_name=ASEAN_COUNTRIES.get(country or "", ""), business=business)
        budget = self._llm.token_budget(lang)
        frame = self._prompts.render(
            "answer", sources=[], question=_as_data(text), language_name=LANGUAGE_NAMES[lang], programmes=_numbers(cards)
        )  # the question and the template's words
        fitted = self._budget.fit(budget, [system, frame], history, texts)
        sent = list(zip(sources, fitted.source_texts, strict=False))  # lower-ranked ones dropped
        kept = [{"number": s.number, "title": s.title, "countries": ", ".join(s.countries), "text": body} for s, body in sent]
        sent_cards = _numbers(cards & {s.number for s, _ in sent})  # a card that did not fit is not named
        user = self._prompts.render("answer", sources=kept, question=_as_data(text), language_name=LANGUAGE_NAMES[lang], programmes=sent_cards)
        messages: list[tuple[Role, str]] = [("system", system)]
        for turn in fitted.history:
            messages += [("user", _as_data(turn.question)), ("assistant", turn.answer)]
        messages.append(("user", user))
        return _Prompt(messages=messages, sent=sent, fitted=fitted, budget=budget)

    def _offline(
        self,
        question: str,
        lang: str,
        sources: tuple[CitedSource, ...],
        offered: Offer,
        hits: list[ScoredChunk],
        notices: list[Notice],
        country: str | None,
    ) -> Answer:
        """The guides' own sentences: the one that answers first, then a few that support it,
        each with its source number; the programmes `offered`; then a line saying how the
        answer was made (compose.py)."""
        numbers = {s.original_id: s.number for s in sources}
        numbered = [(numbers[h.chunk.group_id], h) for h in hits]
        composed = compose(question, lang, numbered, self._settings.composer, country)
        quotes = [composed.answer, *composed.points] if composed else []
        lines = [f"{composed.answer.text} [{composed.answer.source_number}]"] if composed else []
        lines += [f"• {q.text} [{q.source_number}]" for q in quotes[1:]]
        lines += ["", *offered_lines(offered, self._prompts, lang)] if offered.programmes else []
        failure = next((n for n in (Notice.MODEL_FAILED, Notice.MODEL_REJECTED) if n in notices), None)
        lines += ["", self._prompts.message(lang, f"{failure.value}_note" if failure else "offline_note")]
        added = [Notice.OFFLINE]
        if Notice.UNSUPPORTED_LANGUAGE in notices:
            lines.append(self._prompts.message(FALLBACK_LANG, "unsupported_language_note"))
        elif numbered and lang != FALLBACK_LANG and not any(h.chunk.lang == lang for _, h in numbered):
            lines.append(self._prompts.message(lang, "no_translation_note"))
            added.insert(0, Notice.NO_TRANSLATION)
        cited = {q.source_number for q in quotes}
        return Answer(
            text="\n".join(lines).strip(),
            language=lang,
            mode=AnswerMode.OFFLINE,
            sources=(*(s for s in sources if s.number in cited), *offered.sources),
            notices=(*notices, *added),
        )

    def referral(self, lang: str, country: str | None) -> Answer:
        """The places where a person can help an owner in `country`, for a message asking for one
        or a tap on the button under an answer."""
        return Answer(text=referral_text(self.referrals, self._prompts, lang, country), language=lang, mode=AnswerMode.REFERRAL)

    def _greeting(self, lang: str, kind: MessageKind) -> str:
        """A greeting in kind, or "you're welcome", then what the bot can do."""
        opening = self._prompts.message(lang, "greeting" if kind is MessageKind.GREETING else "you_are_welcome")
        return f"{opening}\n\n{self._prompts.message(lang, 'can_do')}"

    async def _refuse(self, question: Question, lang: str, reason: RefusalReason, notices: list[Notice], trace: Trace, tally: Tally) -> Answer:
        """The polite reply for `reason`, in the owner's language; saved unless it is about the message itself."""
        reason_text = self._prompts.message(lang, reason.message_key, max_chars=self._settings.max_question_chars)
        can_do = self._prompts.message(lang, "can_do") if reason.offers_topics else ""
        text = self._prompts.render("refusal", reason_text=reason_text, can_do=can_do)
        answer = Answer(text=text, language=lang, mode=AnswerMode.REFUSAL, refusal_reason=reason, notices=tuple(notices))
        if reason.saved:
            answer = replace(answer, turn_id=await self._save(question, answer, trace.standalone_question))
        return tally.finish(answer, trace)

    async def _save(self, question: Question, answer: Answer, standalone: str) -> int:
        turn = Turn(question=question.text, answer=answer.text, lang=answer.language, topic_query=standalone)
        return await self._store.save_turn(question.user_id, turn, answer.mode, answer.sources, answer.refusal_reason)


# --- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """What a message is, before anything is searched: its language, and either the refusal it
    calls for or its kind (a greeting, a question…)."""

    detection: Detection
    refusal: RefusalReason | None
    kind: MessageKind | None


@dataclass(frozen=True)
class _Prompt:
    """What was sent to the model: the messages, and the sources with the text of each that fit."""

    messages: list[tuple[Role, str]]
    sent: list[tuple[CitedSource, str]]
    fitted: Fitted
    budget: int


@dataclass(frozen=True)
class _Generated:
    """A model's checked answer, with what its prompt could hold."""

    answer: Answer
    prompt_budget: int
    dropped_sources: int


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


def _as_data(text: str) -> str:
    """User text travels inside <question> tags; it must not be able to close them."""
    return _QUESTION_TAG.sub(" ", text)


def _number_sources(hits: list[ScoredChunk]) -> tuple[CitedSource, ...]:
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
    return tuple(sources.values())


def _numbers(numbers: frozenset[int]) -> str:
    """Source numbers as the model is asked to cite them: "[4], [5]"."""
    return ", ".join(f"[{n}]" for n in sorted(numbers))


def _source_texts(sources: tuple[CitedSource, ...], hits: list[ScoredChunk]) -> list[str]:
    """Each numbered source's retrieved text (its chunks joined, in rank order), in number order."""
    numbers = {s.original_id: s.number for s in sources}
    texts: dict[int, list[str]] = {}
    for hit in hits:
        texts.setdefault(numbers[hit.chunk.group_id], []).append(hit.chunk.text)
    return ["\n\n".join(texts[n]) for n in sorted(texts)]


def _is_figure(number: str) -> bool:
    """A percentage, an amount with separators or decimals, or a number from 100 up (a year, a
    price); "3 steps" or "step 12" are not figures a source must hold."""
    return number.endswith("%") or not number.isdigit() or int(number) >= 100


def _wrong_language(reply: str, lang: str) -> bool:
    found: Detection = detect(reply)
    return found.lang != lang and found.confidence >= 0.8
