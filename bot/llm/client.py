"""The one place that talks to an OpenAI-compatible chat API (OpenAI, Ollama, vLLM, llama.cpp).

LangChain's `ChatOpenAI` carries the call; the openai client under it retries 429 and 5xx
answers and timeouts with exponential backoff, honouring `Retry-After`. What still fails
after the retries becomes one of our own `LLMError` types (llm/errors.py).

The calls run on an event loop of their own, in a thread: LangChain, the openai client and
the HTTP client spend a millisecond or two of CPU on each, and when the calls of a hundred
chats came back together that ran as single turns of over 100 ms on the caller's loop (the
Telegram bot's), stalling every chat. In a thread it interleaves with the caller's loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator

import httpx
import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from bot.config import LLMSettings
from bot.domain import Completion, Role
from bot.llm.errors import translated_errors
from bot.llm.recording import recording_transport

logger = logging.getLogger(__name__)

_MESSAGE_TYPES: dict[str, type[BaseMessage]] = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


class ChatClient:
    """Chat completions for one task's model, made on this client's own event loop thread."""

    def __init__(self, settings: LLMSettings, model: str | None = None) -> None:
        self.model = model or settings.answer_model
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"model-{self.model}", daemon=True)
        self._thread.start()
        self._http = _model_http_client(settings)
        self._chat = ChatOpenAI(
            model=self.model,
            base_url=settings.base_url,
            api_key=api_key(settings),
            temperature=settings.temperature,
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
            max_completion_tokens=settings.max_completion_tokens,
            http_async_client=self._http,
        )

    async def aclose(self) -> None:
        """Close the model server connections, then the model calls' event loop."""
        await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._http.aclose(), self._loop))
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join)
        self._loop.close()

    async def complete(self, messages: list[tuple[Role, str]]) -> Completion:
        """One completion; raises `LLMError` (or a subclass) once the retries are spent."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self._complete(messages), self._loop))

    async def stream(self, messages: list[tuple[Role, str]]) -> AsyncIterator[Completion]:
        """The reply as it is written. For now one piece, the whole completion: the pipeline and
        its front ends already take a stream, so streaming from the server changes only this."""
        yield await self.complete(messages)

    async def _complete(self, messages: list[tuple[Role, str]]) -> Completion:
        """`complete`, on this client's loop."""
        chat_messages = [_MESSAGE_TYPES[role](content=text) for role, text in messages]
        with translated_errors(self.model):
            reply = await self._chat.ainvoke(chat_messages)
        usage = reply.usage_metadata or {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
        return Completion(
            text=str(reply.content).strip(),
            prompt_tokens=int(usage["input_tokens"]),
            completion_tokens=int(usage["output_tokens"]),
            model=self.model,
        )


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
