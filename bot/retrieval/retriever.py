"""Hybrid search: dense vectors plus BM25, fused by reciprocal rank fusion.

Neither retriever filters the other: both rank all candidates and fusion merges the two
lists. Then each hit is shown in the user's language when its document has a translation
(else in English), and near-duplicates collapse, a document and its translation counting
as one source.

The retriever works on a snapshot taken when it opens: chunk texts, metadata, vectors and
the BM25 index live in memory, so an index being rebuilt next door never shows through
half-done. `reload()` takes a new snapshot. Chroma stores the vectors; the dense search runs
exactly over the snapshot's matrix rather than through Chroma's HNSW graph, which is
approximate and rebuilt differently in each process (it missed the best chunk of a question
in one run out of two). At our sizes an exact search is as fast: one matrix product.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings

from bot.config import RetrievalSettings, Settings
from bot.domain import Chunk, ScoredChunk
from bot.retrieval.chunking import chunk_from_record
from bot.retrieval.embeddings import build_embeddings
from bot.retrieval.lexical import LexicalIndex, tokenize
from bot.retrieval.store import MODEL_KEY, all_records, open_client, open_collection

logger = logging.getLogger(__name__)

FALLBACK_LANG = "en"
_NEAR_DUPLICATE = 0.85  # Jaccard overlap of token sets above which two chunks say the same
_UNACCENTED_VI_DENSE_WEIGHT = 0.1
# Searches running at once; most of them wait for an embedding engine, which costs nothing.
_SEARCH_THREADS = 16


@dataclass(frozen=True)
class Filters:
    """Optional restrictions: a country (its own documents plus ASEAN-wide ones) and a topic."""

    country: str | None = None
    topic: str | None = None

    def allows(self, chunk: Chunk) -> bool:
        if self.country and not chunk.applies_to(self.country):
            return False
        return not self.topic or self.topic in chunk.topics


class _Snapshot:
    """Everything the retriever keeps in memory about the index at one moment."""

    def __init__(self, collection: Collection) -> None:
        records = list(all_records(collection, vectors=True))
        self.chunks = [chunk_from_record(r.id, r.text, r.metadata) for r in records]
        matrix = np.asarray([r.vector for r in records], dtype=np.float32).reshape(len(records), -1)
        self.vectors = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)  # rows of unit length
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self.lexical = LexicalIndex([f"{c.title} {c.section} {c.text}" for c in self.chunks])
        self._masks: dict[Filters, np.ndarray | None] = {}
        self.by_doc: dict[str, list[Chunk]] = {}
        self.versions: dict[str, dict[str, str]] = {}  # group id → language → document id
        for chunk in self.chunks:
            self.by_doc.setdefault(chunk.doc_id, []).append(chunk)
            self.versions.setdefault(chunk.group_id, {})[chunk.lang] = chunk.doc_id

    def mask(self, filters: Filters) -> np.ndarray | None:
        """0/1 per chunk for BM25, computed once per distinct filter."""
        if filters not in self._masks:
            allowed = None if filters == Filters() else [filters.allows(c) for c in self.chunks]
            self._masks[filters] = None if allowed is None else np.array(allowed, dtype=np.float32)
        return self._masks[filters]


class HybridRetriever:
    """Dense + BM25 search over one index snapshot; thread-safe for concurrent searches."""

    def __init__(self, collection: Collection, embeddings: Embeddings, settings: RetrievalSettings) -> None:
        self._collection = collection
        self._embeddings = embeddings
        self._settings = settings
        self._snapshot = _Snapshot(collection)
        self._searches = ThreadPoolExecutor(max_workers=_SEARCH_THREADS, thread_name_prefix="search")

    @property
    def embeddings(self) -> Embeddings:
        """The model queries are embedded with; re-indexing must use the same."""
        return self._embeddings

    @property
    def model_name(self) -> str:
        """The embedding model the collection was built with."""
        return str((self._collection.metadata or {})[MODEL_KEY])

    @property
    def size(self) -> int:
        """Chunks in the current snapshot."""
        return len(self._snapshot.chunks)

    def reload(self) -> None:
        """Take a new snapshot, after `greenbot index` has finished."""
        self._snapshot = _Snapshot(self._collection)

    def embed_query(self, query: str) -> np.ndarray:
        return np.asarray(self._embeddings.embed_query(query), dtype=np.float32)

    def search(
        self,
        query: str,
        *,
        lang: str | None = None,
        filters: Filters = Filters(),
        k: int | None = None,
        query_vector: np.ndarray | None = None,
        extra_queries: Sequence[str] = (),
    ) -> list[ScoredChunk]:
        """The `k` best chunks for `query`, preferring `lang` (else English) versions.

        `extra_queries` (e.g. an English translation of the question) are searched too, and
        all their ranked lists are fused with the question's own.
        """
        snap = self._snapshot
        if not snap.chunks or not query.strip():
            return []
        k = k or self._settings.top_k
        vector = self.embed_query(query) if query_vector is None else query_vector
        ranked: list[tuple[str, list[tuple[str, float]]]] = []
        for text, vec in [(query, vector), *((q, self.embed_query(q)) for q in extra_queries if q.strip())]:
            ranked.append(("dense", self._dense(snap, vec, filters)))
            ranked.append(("lexical", [(snap.chunks[i].id, sc) for i, sc in snap.lexical.search(text, self._settings.candidates, snap.mask(filters))]))
        fused = self._fuse(snap, ranked, _dense_weight(query, lang))
        return self._prefer_language(snap, fused, lang or FALLBACK_LANG, vector, k)

    async def asearch(self, query: str, **kwargs: Any) -> list[ScoredChunk]:
        """`search` off the event loop: embedding and BM25 are CPU work.

        Searches get threads of their own: queued in asyncio's shared executor, a burst of them
        would hold up the short jobs behind them (prompt building, answer checks) for seconds.
        """
        return await asyncio.get_running_loop().run_in_executor(self._searches, functools.partial(self.search, query, **kwargs))

    def _dense(self, snap: _Snapshot, vector: np.ndarray, filters: Filters) -> list[tuple[str, float]]:
        """The best candidates by cosine similarity, among the chunks the filters allow; ties by position."""
        scores = snap.vectors @ (vector / max(float(np.linalg.norm(vector)), 1e-12))
        mask = snap.mask(filters)
        if mask is not None:
            scores = np.where(mask > 0, scores, -np.inf)
        order = np.lexsort((np.arange(len(scores)), -scores))[: self._settings.candidates]
        return [(snap.chunks[i].id, float(scores[i])) for i in order if np.isfinite(scores[i])]

    def _fuse(self, snap: _Snapshot, ranked: list[tuple[str, list[tuple[str, float]]]], dense_weight: float) -> list[ScoredChunk]:
        """Reciprocal rank fusion: score = sum of weight / (rrf_k + rank) over every list; each
        hit keeps its best dense and lexical rank for display."""
        rrf_k = self._settings.rrf_k
        hits: dict[str, dict[str, Any]] = {}
        for name, hits_of_list in ranked:
            weight = dense_weight if name == "dense" else 1.0
            for rank, (cid, score) in enumerate(hits_of_list, start=1):
                hit = hits.setdefault(cid, {"score": 0.0})
                hit["score"] += weight / (rrf_k + rank)
                if rank < hit.get(f"{name}_rank", rank + 1):
                    hit[f"{name}_rank"], hit[f"{name}_score"] = rank, score
        fused = [ScoredChunk(chunk=snap.chunks[snap.position[cid]], **hit) for cid, hit in hits.items()]
        return sorted(fused, key=lambda h: -h.score)

    def _prefer_language(
        self, snap: _Snapshot, fused: list[ScoredChunk], lang: str, vector: np.ndarray, k: int
    ) -> list[ScoredChunk]:
        """Swap each hit for its version in `lang` (or English), then drop repeats."""
        results: list[ScoredChunk] = []
        seen_ids: set[str] = set()
        seen_tokens: list[set[str]] = []
        for hit in fused:
            versions = snap.versions.get(hit.chunk.group_id, {})
            target = lang if lang in versions else FALLBACK_LANG if FALLBACK_LANG in versions else hit.chunk.lang
            if hit.chunk.lang != target:
                best = self._best_chunk(snap, versions[target], fused, vector)
                hit = replace(hit, chunk=best, substituted_from=hit.chunk.id)
            if hit.chunk.id in seen_ids:
                continue
            tokens = set(tokenize(hit.chunk.text))
            if any(_jaccard(tokens, other) >= _NEAR_DUPLICATE for other in seen_tokens):
                continue
            seen_ids.add(hit.chunk.id)
            seen_tokens.append(tokens)
            results.append(hit)
            if len(results) == k:
                break
        return results

    def _best_chunk(self, snap: _Snapshot, doc_id: str, fused: list[ScoredChunk], vector: np.ndarray) -> Chunk:
        """The chunk of `doc_id` that best answers the query: its top fused hit, else by vector."""
        for hit in fused:
            if hit.chunk.doc_id == doc_id:
                return hit.chunk
        return max(snap.by_doc[doc_id], key=lambda c: float(snap.vectors[snap.position[c.id]] @ vector))


def _dense_weight(query: str, lang: str | None) -> float:
    """How far to trust the dense list: the embedding model cannot read Vietnamese typed
    without accents, so for such a query the accent-insensitive BM25 list leads."""
    return _UNACCENTED_VI_DENSE_WEIGHT if lang == "vi" and query.isascii() else 1.0


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def open_retriever(settings: Settings, embeddings: Embeddings | None = None, model_name: str | None = None) -> HybridRetriever:
    """The retriever over the built index for the configured (or given) embedding model."""
    if embeddings is None or model_name is None:
        embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    client = open_client(settings.retrieval, settings.index_dir)
    collection = open_collection(client, settings.retrieval.collection, model_name)
    return HybridRetriever(collection, embeddings, settings.retrieval)
