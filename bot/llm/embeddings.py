"""Embeddings from an OpenAI-compatible server (`embedding_provider=openai`), for retrieval.

Embedding a question is a model call like any other: what the SDK raises once its retries are
spent comes out as an `LLMError`, which the pipeline answers politely, never as an openai
exception that would escape `Pipeline.answer`.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings
from langchain_openai import OpenAIEmbeddings as LangChainOpenAIEmbeddings

from bot.config import LLMSettings
from bot.llm.client import api_key
from bot.llm.errors import translated_errors


class OpenAIEmbeddings(Embeddings):
    """`settings.embedding_model` on the configured server; failures raise `LLMError`."""

    def __init__(self, settings: LLMSettings) -> None:
        self.model = settings.embedding_model
        self._embeddings = LangChainOpenAIEmbeddings(
            model=settings.embedding_model,
            base_url=settings.base_url,
            api_key=api_key(settings),
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,
            check_embedding_ctx_length=False,  # that check downloads a tokenizer file
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with translated_errors(self.model, "a list of embeddings"):
            return self._embeddings.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        with translated_errors(self.model, "a list of embeddings"):
            return self._embeddings.embed_query(text)
