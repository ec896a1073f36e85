"""The one place that talks to an OpenAI-compatible chat API (OpenAI, Ollama, vLLM, llama.cpp).

LangChain's `ChatOpenAI` carries the call; the openai client under it retries 429 and 5xx
answers and timeouts with exponential backoff, honouring `Retry-After`. What still fails
after the retries becomes one of our own `LLMError` types (llm/errors.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import httpx
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from bot.config import LLMSettings
from bot.llm.errors import translated_errors
from bot.llm.recording import recording_transport

logger = logging.getLogger(__name__)

Role = Literal["system", "user", "assistant"]
_MESSAGE_TYPES: dict[str, type[BaseMessage]] = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


@dataclass(frozen=True)
class Completion:
    """A model's reply and what it cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    model: str


class ChatClient:
    """Chat completions for one task's model."""

    def __init__(self, settings: LLMSettings, model: str | None = None) -> None:
        self.model = model or settings.answer_model
        self._http = _model_http_client(settings)
        self._chat = ChatOpenAI(
            model=self.model,
            base_url=settings.base_url,
            api_key=settings.api_key or SecretStr("not-needed"),  # self-hosted servers often take any key
            temperature=settings.temperature,
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
            max_completion_tokens=settings.max_completion_tokens,
            http_async_client=self._http,
        )

    async def aclose(self) -> None:
        """Close the connections this client opened itself (a default client is LangChain's to keep)."""
        if self._http is not None:
            await self._http.aclose()

    async def complete(self, messages: list[tuple[Role, str]]) -> Completion:
        """One completion; raises `LLMError` (or a subclass) once the retries are spent."""
        with translated_errors(self.model):
            reply = await self._chat.ainvoke([_MESSAGE_TYPES[role](content=text) for role, text in messages])
        usage = reply.usage_metadata or {"input_tokens": 0, "output_tokens": 0, "total_tokens": 0}
        return Completion(
            text=str(reply.content).strip(),
            prompt_tokens=int(usage["input_tokens"]),
            completion_tokens=int(usage["output_tokens"]),
            model=self.model,
        )


def _model_http_client(settings: LLMSettings) -> httpx.AsyncClient | None:
    """Model calls go through a recording or a replay when the settings ask; else the default client."""
    transport = recording_transport(settings)
    return None if transport is None else httpx.AsyncClient(transport=transport, timeout=settings.timeout_s)
