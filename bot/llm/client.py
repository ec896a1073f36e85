"""The one place that talks to an OpenAI-compatible chat API (OpenAI, Ollama, vLLM, llama.cpp).

A whole reply (`complete`) goes through LangChain's `ChatOpenAI`. A streamed one (`stream`) goes
through the openai client under it, whose server-sent events are read here as lines: LangChain's
`astream`, with the openai client's typed chunk under each of its messages, cost about 0.3 ms of
CPU per token, and 200 answers written at once at 40 tokens a second are 8,000 tokens a second;
a line read and `json.loads` cost a few microseconds (bench/bot_load.py --scenario stream, README).

A refused connection, a timeout, 429 and 5xx are tried again here, with backoff that honours
`Retry-After`, and not in the openai client: only here are both the answer's deadline and each
failure's cause known, so no retry starts that the deadline cannot wait for, and what finally
fails is the `LLMError` that names its cause (llm/errors.py).

The calls run on the caller's event loop, over aiohttp. A stream is read by a task of its own,
and the caller collects the text so far at most every `stream_every_s`, not once per token, so
that the pipeline and the Telegram layer above it wake a few times a second per answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import httpx
import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from bot.config import LLMSettings
from bot.domain import Completion, Role
from bot.errors import LLMError, LLMTimeout
from bot.llm.errors import RETRYABLE, translated_errors
from bot.llm.recording import recording_transport

logger = logging.getLogger(__name__)

_MESSAGE_TYPES: dict[str, type[BaseMessage]] = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
_MAX_BACKOFF_S = 8.0
_MAX_RETRY_AFTER_S = 60.0  # a longer Retry-After is not waited for
_T = TypeVar("_T")


class ChatClient:
    """Chat completions for one task's model.

    `deadline` (a `time.monotonic()` value) bounds a call with its retries: a call still under
    way then raises `LLMTimeout`, and a retry that could not start before it is not tried. A
    stream whose first words came in time is the exception: it may run on while words keep
    coming, and ends with `LLMTimeout` when none come for `timeout_s`.
    """

    def __init__(self, settings: LLMSettings, model: str | None = None) -> None:
        self.model = model or settings.answer_model
        self._settings = settings
        self._http = _model_http_client(settings)
        self._chat = ChatOpenAI(
            model=self.model,
            base_url=settings.base_url,
            api_key=api_key(settings),
            temperature=settings.temperature,
            timeout=settings.timeout_s,
            max_retries=0,  # tried again in `_tried`, within the deadline
            max_completion_tokens=settings.max_completion_tokens,
            http_async_client=self._http,
        )

    async def aclose(self) -> None:
        """Close the model server connections."""
        await self._http.aclose()

    async def complete(self, messages: list[tuple[Role, str]], deadline: float | None = None) -> Completion:
        """One completion; raises `LLMError` (or a subclass) once the retries or the deadline are spent."""
        chat_messages = [_MESSAGE_TYPES[role](content=text) for role, text in messages]
        reply = await self._tried(lambda: self._chat.ainvoke(chat_messages), deadline)
        return _completion(reply.text.strip(), reply.usage_metadata, self.model)

    async def stream(self, messages: list[tuple[Role, str]], deadline: float | None = None) -> AsyncIterator[Completion]:
        """The reply as it is written: the whole text so far each time, the last with the token
        counts. Raises `LLMError` as `complete` does, also half-way; leaving early closes the stream."""
        relay = _Relay(self.model, self._settings.stream_every_s)
        relay.start(self._read(messages, deadline, relay))
        try:
            while (completion := await relay.next()) is not None:
                yield completion
        finally:
            relay.stop()

    async def _read(self, messages: list[tuple[Role, str]], deadline: float | None, relay: _Relay) -> None:
        """Stream the reply into `relay`. Opening the stream (up to its status and headers) is
        tried again like a call; a stream that breaks after it began is not, and fails the relay."""

        def opened() -> contextlib.AbstractAsyncContextManager[Any]:
            request: contextlib.AbstractAsyncContextManager[Any] = self._chat.root_async_client.chat.completions.with_streaming_response.create(
                model=self.model,
                messages=[{"role": role, "content": text} for role, text in messages],  # as ChatOpenAI sends them: recordings match
                temperature=self._settings.temperature,
                max_completion_tokens=self._settings.max_completion_tokens,
                stream=True,
                stream_options={"include_usage": True},
            )
            return request

        try:
            async with contextlib.AsyncExitStack() as stack:
                response = await self._tried(lambda: stack.enter_async_context(opened()), deadline)
                async with _bounded(deadline, self.model) as bound:
                    with translated_errors(self.model, read_timeout_s=self._settings.timeout_s):
                        async for line in response.iter_lines():
                            text, usage = _event(line)
                            relay.add(text, usage)
                            if text:  # the owner is reading it: it may finish, while it keeps coming
                                bound.stall_after(self._settings.timeout_s)
        except LLMError as exc:
            relay.fail(exc)

    async def _tried(self, attempt: Callable[[], Awaitable[_T]], deadline: float | None) -> _T:
        """`attempt()`, tried again after a failure worth it while the retries and the deadline
        allow; each failure is logged with its cause, and the last one raised."""
        delay = self._settings.retry_backoff_s
        tries = 0
        while True:
            tries += 1
            try:
                async with _bounded(deadline, self.model):
                    with translated_errors(self.model):
                        return await attempt()
            except RETRYABLE as exc:
                asked = _retry_after_s(exc)
                wait = delay if asked is None else asked
                if isinstance(exc, _DeadlineSpent) or tries > self._settings.max_retries or (deadline is not None and time.monotonic() + wait >= deadline):
                    raise
                logger.info("%s (try %d); trying again in %.1f s", exc, tries, wait)
                await asyncio.sleep(wait)
                delay = min(delay * 2, _MAX_BACKOFF_S)


_STALL_SLACK_S = 1.0  # how much sooner than its `seconds` a stalled stream may be given up


class _Bound:
    """The end of a call: the answer's deadline, until a stream's first words move it (`stall_after`)."""

    def __init__(self, scope: asyncio.Timeout) -> None:
        self._scope = scope
        self.stalled_s: float | None = None

    def stall_after(self, seconds: float) -> None:
        """From now on the call ends only when nothing more comes for `seconds` (less up to a
        second, or half of them when fewer): a reply the owner is already reading as a draft is
        let finish, however slowly the server writes it. The end moves at most once a second (for
        a call timeout of 2 s or more), not at every word: 200 streams at 40 words a second would
        otherwise reschedule 8,000 timers a second on the event loop. (It stays before the HTTP client's own read timeout,
        which would say less.)"""
        now = asyncio.get_running_loop().time()
        when = self._scope.when()
        if self.stalled_s is None or when is None or when - now < seconds - min(_STALL_SLACK_S, seconds / 2):
            self._scope.reschedule(now + seconds)
        self.stalled_s = seconds


@contextlib.asynccontextmanager
async def _bounded(deadline: float | None, model: str) -> AsyncIterator[_Bound]:
    """The body ends at `deadline` (no bound when None), or, once `stall_after` moved it, when the
    words stop coming; either way with an `LLMTimeout` that says which."""
    left = None if deadline is None else deadline - time.monotonic()
    if left is not None and left <= 0:
        raise _DeadlineSpent(f"{model} timed out: the answer's deadline passed before the call could start")
    try:
        async with asyncio.timeout(left) as scope:
            bound = _Bound(scope)
            yield bound
    except TimeoutError as exc:
        if not scope.expired():
            raise
        if bound.stalled_s is not None:
            raise _DeadlineSpent(f"{model} timed out: the stream stopped for {bound.stalled_s:g} s") from exc
        raise _DeadlineSpent(f"{model} timed out: no complete reply within the answer's deadline") from exc


class _DeadlineSpent(LLMTimeout):
    """The answer's deadline passed: an `LLMTimeout` to the caller, and no retry can help."""


class _Relay:
    """A streamed reply read by a task of its own, and collected by the caller: at once when it
    ends, else at most every `every_s` once it has grown."""

    def __init__(self, model: str, every_s: float) -> None:
        self._model = model
        self._every_s = every_s
        self._text = ""
        self._usage: UsageMetadata | None = None
        self._error: LLMError | None = None
        self._changed = asyncio.Event()  # it grew, or it ended
        self._ended = asyncio.Event()
        self._handed = 0
        self._handed_at = float("-inf")
        self._finished = False
        self._task: asyncio.Task[None] | None = None

    def start(self, reading: Coroutine[Any, Any, None]) -> None:
        self._task = asyncio.create_task(reading)
        self._task.add_done_callback(self._read_ended)

    def _read_ended(self, task: asyncio.Task[None]) -> None:
        """However reading ended, the caller is not left waiting: an error that reading did not
        expect fails the reply too."""
        if not task.cancelled() and task.exception() is not None:
            self.fail(LLMError(f"{self._model} failed while streaming: {task.exception()!r}"))
        self.end()

    def stop(self) -> None:
        """The caller left: stop reading (which closes the stream)."""
        if self._task is not None:
            self._task.cancel()

    def add(self, text: str, usage: UsageMetadata | None) -> None:
        self._text += text
        self._usage = usage or self._usage
        self._changed.set()

    def end(self) -> None:
        self._ended.set()
        self._changed.set()

    def fail(self, error: LLMError) -> None:
        self._error = error
        self.end()

    async def next(self) -> Completion | None:
        """The reply so far once it grew, the whole reply with its token counts once it ended,
        then None."""
        if self._finished:
            return None
        pause = self._handed_at + self._every_s - time.monotonic()
        if pause > 0 and not self._ended.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(pause):
                    await self._ended.wait()  # the end is handed over at once
        while len(self._text) == self._handed and not self._ended.is_set():
            self._changed.clear()
            await self._changed.wait()
        if self._error is not None:
            raise self._error
        self._handed, self._handed_at = len(self._text), time.monotonic()
        if self._ended.is_set():
            self._finished = True
            return _completion(self._text.strip(), self._usage, self._model)
        return Completion(self._text, prompt_tokens=0, completion_tokens=0, model=self._model)


def _event(line: str) -> tuple[str, UsageMetadata | None]:
    """The text and the token counts that one line of a streamed reply carries (most carry one
    or the other; `data: [DONE]` and blank lines, neither). Raises `ValueError` for a data line
    that is not JSON, `KeyError` or `TypeError` for one that is not a chunk of a chat completion."""
    if not line.startswith("data:") or line[5:].strip() == "[DONE]":
        return "", None
    chunk = json.loads(line[5:])
    if chunk.get("error"):
        raise LLMError(f"the model server reported an error while streaming: {chunk['error']}")
    choices = chunk.get("choices") or [{}]
    usage = chunk.get("usage")
    counted = (
        UsageMetadata(input_tokens=usage["prompt_tokens"], output_tokens=usage["completion_tokens"], total_tokens=usage["total_tokens"]) if usage else None
    )
    return (choices[0].get("delta") or {}).get("content") or "", counted


def _completion(text: str, usage: UsageMetadata | None, model: str) -> Completion:
    counted = usage or {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
    return Completion(text=text, prompt_tokens=int(counted["input_tokens"]), completion_tokens=int(counted["output_tokens"]), model=model)


def _retry_after_s(error: LLMError) -> float | None:
    """The wait a 429 or 503 asked for in its `Retry-After` header (in seconds), if any and not too long."""
    cause = error.__cause__
    if not isinstance(cause, openai.APIStatusError):
        return None
    try:
        seconds = float(cause.response.headers.get("retry-after", ""))
    except ValueError:
        return None
    return seconds if 0 <= seconds <= _MAX_RETRY_AFTER_S else None


def api_key(settings: LLMSettings) -> SecretStr:
    """The configured key, else a placeholder: self-hosted servers often take any key, but the SDK wants one."""
    return settings.api_key or SecretStr("not-needed")


def _model_http_client(settings: LLMSettings) -> httpx.AsyncClient | openai.DefaultAsyncHttpxClient:
    """Model calls go through a recording or a replay when the settings ask; else over aiohttp.

    The default client's pool (httpx) probes the socket of every idle connection on each request
    and response, which grew costly on the event loop with a model call open for each of hundreds
    of chats; aiohttp's pool does not, and its calls cost the loop less besides.
    """
    transport = recording_transport(settings)
    if transport is not None:
        return httpx.AsyncClient(transport=transport, timeout=settings.timeout_s)
    return openai.DefaultAioHttpClient(timeout=settings.timeout_s)
