"""Hybrid search over passages: sentence vectors and BM25, fused by weighted reciprocal ranks.

A passage's dense score comes from its sentences' vectors (their mean, and the best of them)
and its guide's title vector; BM25 ranks the passage text with its title and heading. The lists
are fused by reciprocal rank, each weighted by what it can know (settings). The glossary adds two
BM25 lists (expansion.py): any question again with the other forms, in its language, of the terms
it uses ("ref" as "refrigerator"), and a non-English question's English terms over the English
guides. (The English terms as a second dense query, weighted 0.25, changed no figure of either
half or the core suite, and cost an embedding: not kept.) The owner's country and kind of
business are preferences: passages of guides for them gain a little, nothing is filtered out.

Then each hit is shown in the owner's language: a passage of the same section of the translation
(sections line up across translations), the one whose sentences are closest to the question.
A document and its translations count as one source, and each section appears once.

The retriever works on a snapshot taken when it opens, so an index being rebuilt next door never
shows through half-done; `reload()` takes a new one. Chroma stores the records; the search runs
exactly over the snapshot's matrices (Chroma's HNSW graph is approximate, and rebuilt differently
in each process).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings

from bot.config import RetrievalSettings, Settings
from bot.domain import FALLBACK_LANG, Chunk, Filters, Preferences, ScoredChunk, SentenceKind
from bot.knowledge.glossary import load_glossary
from bot.language import AccentRestorer, countries_named, jaccard, tokenize
from bot.language.figures import distinctive_figures
from bot.retrieval.chunking import TITLE, passage_chunk
from bot.retrieval.embeddings import Closable, build_embeddings, embed_queries
from bot.retrieval.expansion import QueryExpander
from bot.retrieval.lexical import LexicalIndex
from bot.retrieval.store import all_records, built_with, open_client, open_collection

logger = logging.getLogger(__name__)

_NEAR_DUPLICATE = 0.85  # Jaccard overlap of token sets above which two passages say the same
# Searches running at once: two embedding (one per engine) and two doing their Python work. More
# only queue for the two engines while their Python work contends with the event loop for the
# GIL: with 200 questions at once, 16 threads left the loop's worst lag at 229-505 ms, 4 at
# 121-222 ms (bench/bot_load.py, four runs each); 2 gave 268-275 ms.
_SEARCH_THREADS = 4
_UNACCENTED = "vi"  # the language owners type without its accents, which e5 needs back


class _Snapshot:
    """Everything the retriever keeps in memory about the index at one moment."""

    def __init__(self, collection: Collection) -> None:
        records = sorted(all_records(collection, vectors=True), key=lambda r: (str(r.metadata["doc_id"]), int(r.metadata["position"])))
        titles = [r for r in records if r.metadata["kind"] == TITLE]
        units = [r for r in records if r.metadata["kind"] != TITLE]
        doc_index = {str(r.metadata["doc_id"]): i for i, r in enumerate(titles)}
        self.titles = _unit_rows(np.asarray([r.vector for r in titles], dtype=np.float32).reshape(len(titles), -1))
        self.sentences = _unit_rows(np.asarray([r.vector for r in units], dtype=np.float32).reshape(len(units), -1))
        # A guide's question to the reader ("How fast does it pay?") looks like any owner's question to
        # e5 and answers none: it never counts as a passage's best sentence.
        self.asks = np.asarray([r.metadata["kind"] == SentenceKind.QUESTION.value for r in units], dtype=bool)
        # Passages: runs of consecutive sentence records with the same (document, passage).
        starts = [
            i
            for i, r in enumerate(units)
            if i == 0 or (r.metadata["doc_id"], r.metadata["passage"]) != (units[i - 1].metadata["doc_id"], units[i - 1].metadata["passage"])
        ]
        self.starts = np.asarray(starts, dtype=np.int64)
        bounds = [*starts, len(units)]
        sections: dict[tuple[str, int], list[str]] = {}
        for r in units:
            sections.setdefault((str(r.metadata["doc_id"]), int(r.metadata["section_index"])), []).append(r.text)
        self.chunks: list[Chunk] = []
        for a, b in itertools.pairwise(bounds):
            meta = units[a].metadata
            section = " ".join(sections[(str(meta["doc_id"]), int(meta["section_index"]))])
            self.chunks.append(passage_chunk([(r.text, r.metadata) for r in units[a:b]], section))
        self.passages = _unit_rows(np.add.reduceat(self.sentences, self.starts, axis=0)) if units else self.sentences
        self.title_of = np.asarray([doc_index[c.doc_id] for c in self.chunks], dtype=np.int64)
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self.lexical = LexicalIndex([f"{c.title} {c.section} {c.text}" for c in self.chunks])
        self.named = [countries_named(c.text) for c in self.chunks]  # the countries each passage itself names
        self.figures = [distinctive_figures(c.text) for c in self.chunks]
        self.accents = AccentRestorer(c.text for c in self.chunks if c.lang == _UNACCENTED)  # for Vietnamese typed without them
        self.in_lang = {lang: np.asarray([c.lang == lang for c in self.chunks], dtype=np.float32) for lang in {c.lang for c in self.chunks}}
        # (group, section index, language) → passages, to show a hit in the owner's language.
        self.aligned: dict[tuple[str, int, str], list[int]] = {}
        for i, chunk in enumerate(self.chunks):
            self.aligned.setdefault((chunk.group_id, chunk.section_index, chunk.lang), []).append(i)
        self.languages: dict[str, set[str]] = {}
        for chunk in self.chunks:
            self.languages.setdefault(chunk.group_id, set()).add(chunk.lang)
        self._masks: dict[Filters, np.ndarray | None] = {}
        self._untranslated: dict[str, np.ndarray] = {}
        self._about: dict[str, np.ndarray] = {}

    def untranslated(self, lang: str) -> np.ndarray:
        """0/1 per passage: English passages of guides with no version in `lang`."""
        if lang not in self._untranslated:
            self._untranslated[lang] = np.asarray([c.lang == FALLBACK_LANG and lang not in self.languages[c.group_id] for c in self.chunks], dtype=np.float32)
        return self._untranslated[lang]

    def about(self, country: str) -> np.ndarray:
        """0/1 per passage: guides that name `country` (not the ASEAN-wide ones)."""
        if country not in self._about:
            self._about[country] = np.asarray([country in c.countries for c in self.chunks], dtype=np.float32)
        return self._about[country]

    def mask(self, filters: Filters) -> np.ndarray | None:
        """0/1 per passage, computed once per distinct filter."""
        if filters not in self._masks:
            allowed = None if filters == Filters() else [filters.allows(c) for c in self.chunks]
            self._masks[filters] = None if allowed is None else np.array(allowed, dtype=np.float32)
        return self._masks[filters]


@dataclass(frozen=True)
class _Scores:
    """A query's dense scores: per passage (the ranking) and per sentence (for quoting)."""

    passages: np.ndarray
    sentences: np.ndarray


class HybridRetriever:
    """Dense + BM25 search over one index snapshot; thread-safe for concurrent searches."""

    def __init__(
        self, collection: Collection, embeddings: Embeddings, settings: RetrievalSettings, expander: QueryExpander, *, owns_embeddings: bool = False
    ) -> None:
        self._collection = collection
        self._embeddings = embeddings
        self._owns_embeddings = owns_embeddings  # built for this retriever: closed with it
        self._settings = settings
        self._expander = expander
        self._snapshot = _Snapshot(collection)
        self._searches = ThreadPoolExecutor(max_workers=_SEARCH_THREADS, thread_name_prefix="search")

    @property
    def embeddings(self) -> Embeddings:
        """The model queries are embedded with; re-indexing must use the same."""
        return self._embeddings

    @property
    def model_name(self) -> str:
        """The embedding model the collection was built with."""
        return built_with(self._collection)

    @property
    def size(self) -> int:
        """Passages in the current snapshot."""
        return len(self._snapshot.chunks)

    def reload(self) -> None:
        """Take a new snapshot, after `greenbot index` has finished."""
        self._snapshot = _Snapshot(self._collection)

    def search(
        self,
        query: str,
        *,
        lang: str | None = None,
        filters: Filters = Filters(),
        prefer: Preferences = Preferences(),
        k: int | None = None,
        extra_queries: Sequence[str] = (),
    ) -> list[ScoredChunk]:
        """The `k` best passages for `query`, each in `lang` where a translation has it.

        `extra_queries` (a model's English rendering of the question) are searched too, and every
        ranked list is fused with the question's own."""
        snap = self._snapshot
        if not snap.chunks or not query.strip():
            return []
        settings = self._settings
        lang = lang or FALLBACK_LANG
        english = " ".join(self._expander.english_terms(query)) if lang != FALLBACK_LANG and snap.untranslated(lang).any() else ""
        extra = [q for q in extra_queries if q.strip()]
        # e5 reads unaccented Vietnamese as another text: the dense query gets its accents back
        # (development half, Vietnamese MRR 0.962 -> 0.974; 17 of 39 questions typed without),
        # and a rare abbreviation as noise: it is spelled out (expansion.py).
        dense_query = self._expander.spelled_out((snap.accents.restore(query) if lang == _UNACCENTED else None) or query)
        vectors = self._embed([dense_query, *extra])
        mask = snap.mask(filters)
        english_only = snap.in_lang[FALLBACK_LANG] * (1 if mask is None else mask)
        question = self._dense(snap, vectors[0], mask)
        lists: list[tuple[float, list[tuple[int, float]]]] = [
            (settings.dense_weight, _top(question.passages, settings.candidates)),
            (settings.lexical_weight, snap.lexical.search(query, settings.candidates, mask)),
        ]
        synonyms = self._expander.synonyms(query, lang)
        if synonyms:  # "ref" also searched as the "refrigerator" the guides write
            lists.append((settings.synonym_weight * settings.lexical_weight, snap.lexical.search(f"{query} {' '.join(synonyms)}", settings.candidates, mask)))
        for text, vector in zip(extra, vectors[1:], strict=True):  # a model's English query: as good as the question
            lists.append((settings.dense_weight, _top(self._dense(snap, vector, mask).passages, settings.candidates)))
            lists.append((settings.lexical_weight, snap.lexical.search(text, settings.candidates, english_only)))
        untranslated = snap.untranslated(lang) * (1 if mask is None else mask)
        if english and untranslated.any():  # the glossary's terms reach the guides not yet in the question's language
            lists.append((settings.expansion_weight * settings.lexical_weight, snap.lexical.search(english, settings.candidates, untranslated)))
        named = countries_named(query)
        for code in dict.fromkeys([*named, *([prefer.country] if prefer.country else [])]):
            # the country's own guides join the candidates, however generic the question's words
            local = snap.about(code) * (1 if mask is None else mask)
            if local.any():
                lists.append((settings.preference_list * settings.dense_weight, _top(np.where(local > 0, question.passages, -np.inf), settings.candidates)))
        ranks = ({i: r for r, (i, _) in enumerate(lists[0][1], 1)}, {i: r for r, (i, _) in enumerate(lists[1][1], 1)})
        fused = _fuse(lists, settings.rrf_k) if settings.fusion == "rrf" else _fuse_scores(lists)
        # Equal fused scores (the dense list's first against BM25's first, each missing from the
        # other list) go to the passage BM25 ranks higher: alone, BM25 is the stronger list in every
        # language of the development half. Development half MRR 0.943 -> 0.953 (my 0.89 -> 0.95).
        fused.sort(key=lambda pair: (-pair[1], ranks[1].get(pair[0], len(snap.chunks)), pair[0]))
        if prefer.country or prefer.sector or named:
            fused = self._prefer(snap, fused, prefer, named)
        figures = distinctive_figures(query)
        if figures and settings.figure_boost:
            fused = _favour(fused, [bool(figures & snap.figures[i]) for i, _ in fused], settings.figure_boost)
        finite = question.passages[np.isfinite(question.passages)]
        background = float(np.median(finite)) if finite.size else 0.0  # what any passage scores for this query
        return self._localize(snap, fused, question, ranks, background, lang, k or settings.top_k)

    async def asearch(self, query: str, **kwargs: Any) -> list[ScoredChunk]:
        """`search` off the event loop: embedding and BM25 are CPU work.

        Searches get threads of their own: queued in asyncio's shared executor, a burst of them
        would hold up the short jobs behind them (prompt building, answer checks) for seconds.
        """
        return await asyncio.get_running_loop().run_in_executor(self._searches, functools.partial(self.search, query, **kwargs))

    def close(self) -> None:
        """Stop the search threads (searches in progress finish first), and the embedding
        engines' when they were built for this retriever."""
        self._searches.shutdown(wait=True)
        if self._owns_embeddings and isinstance(self._embeddings, Closable):
            self._embeddings.close()

    def __enter__(self) -> HybridRetriever:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """A command that opens a retriever for one job closes it with `with`."""
        self.close()

    def _embed(self, texts: list[str]) -> list[np.ndarray]:
        """Query vectors for the question and its expansions (side by side on the local engines)."""
        return [np.asarray(vector, dtype=np.float32) for vector in embed_queries(self._embeddings, texts)]

    def _dense(self, snap: _Snapshot, vector: np.ndarray, mask: np.ndarray | None) -> _Scores:
        """Per passage: mean of its sentences, best sentence and title, weighted; masked passages at -inf."""
        q = vector / max(float(np.linalg.norm(vector)), 1e-12)
        per_sentence = snap.sentences @ q
        best = np.maximum.reduceat(np.where(snap.asks, -1.0, per_sentence), snap.starts) if len(per_sentence) else per_sentence
        settings = self._settings
        scores = settings.passage_weight * (snap.passages @ q) + settings.sentence_weight * best + settings.title_weight * (snap.titles @ q)[snap.title_of]
        if mask is not None:
            scores = np.where(mask > 0, scores, -np.inf)
        return _Scores(scores, per_sentence)

    def _prefer(self, snap: _Snapshot, fused: list[tuple[int, float]], prefer: Preferences, named: tuple[str, ...]) -> list[tuple[int, float]]:
        """Raise passages of guides for the owner's country and sector, more those for a country the
        question names, and lower those about other countries only: a guide to Singapore's loans
        does little for an owner in Viet Nam unless they ask about Singapore."""
        settings = self._settings
        wanted = named or ((prefer.country,) if prefer.country else ())
        penalty = settings.named_elsewhere_penalty if named else settings.elsewhere_penalty
        scored = []
        for i, score in fused:
            chunk = snap.chunks[i]
            # a guide about many countries is only a little about each of them
            ours = prefer.country is not None and prefer.country in chunk.countries
            bonus = settings.preference_boost * (ours / len(chunk.countries) + (prefer.sector is not None and prefer.sector in chunk.sectors))
            # a passage that names the country counts too, less than a guide about it: the sector
            # guide's lines on Singapore's bag charge, for a shop in Singapore
            guide = any(code in chunk.countries for code in named) / len(chunk.countries)
            passage = settings.named_passage_share * any(code in snap.named[i] for code in named)
            bonus += settings.named_country_boost * max(guide, passage)
            elsewhere = bool(wanted) and not any(chunk.applies_to(code) for code in wanted)
            scored.append((i, score * (1 + bonus) * (1 - penalty * elsewhere)))
        return sorted(scored, key=lambda pair: -pair[1])  # stable: ties keep the fused order

    def _localize(
        self,
        snap: _Snapshot,
        fused: list[tuple[int, float]],
        question: _Scores,
        ranks: tuple[dict[int, int], dict[int, int]],
        background: float,
        lang: str,
        k: int,
    ) -> list[ScoredChunk]:
        """The fused hits, each section once, each shown in `lang` (else English) by its passage
        closest to the question; near-duplicates dropped."""
        results: list[ScoredChunk] = []
        seen: set[tuple[str, int]] = set()
        seen_tokens: list[set[str]] = []
        for i, score in fused:
            chunk = snap.chunks[i]
            section = (chunk.group_id, chunk.section_index)
            if section in seen:
                continue
            seen.add(section)
            languages = snap.languages[chunk.group_id]
            target = lang if lang in languages else FALLBACK_LANG if FALLBACK_LANG in languages else chunk.lang
            candidates = snap.aligned.get((*section, target)) or [i]
            best = max(candidates, key=lambda j: question.passages[j])
            shown = snap.chunks[best]
            tokens = set(tokenize(shown.text))
            if any(jaccard(tokens, other) >= _NEAR_DUPLICATE for other in seen_tokens):
                continue
            seen_tokens.append(tokens)
            first, last = self._span(snap, best, len(question.sentences))
            context = tuple(
                (sentence, float(value))
                for j in candidates
                if j != best
                for sentence, value in zip(snap.chunks[j].sentences, question.sentences[slice(*self._span(snap, j, len(question.sentences)))], strict=True)
            )
            results.append(
                ScoredChunk(
                    chunk=shown,
                    score=score,
                    dense_rank=ranks[0].get(i),
                    lexical_rank=ranks[1].get(i),
                    dense_score=float(question.passages[best]),
                    dense_margin=float(question.passages[best]) - background,
                    substituted_from=chunk.id if best != i else None,
                    sentence_scores=tuple(float(x) for x in question.sentences[first:last]),
                    context=context,
                )
            )
            if len(results) == k:
                break
        return results

    @staticmethod
    def _span(snap: _Snapshot, passage: int, total: int) -> tuple[int, int]:
        """Where the passage's sentences lie in the sentence matrix."""
        return int(snap.starts[passage]), int(snap.starts[passage + 1]) if passage + 1 < len(snap.starts) else total


def open_retriever(
    settings: Settings, embeddings: Embeddings | None = None, model_name: str | None = None, *, owns_embeddings: bool = False
) -> HybridRetriever:
    """The retriever over the built index for the configured (or given) embedding model. It closes
    the embeddings with itself when it built them, or when told they are its own."""
    owned = owns_embeddings or embeddings is None or model_name is None
    if embeddings is None or model_name is None:
        embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    client = open_client(settings.retrieval, settings.index_dir)
    collection = open_collection(client, settings.retrieval.collection, model_name)
    glossary, problems = load_glossary(settings.paths.knowledge_dir)
    for problem in problems:
        logger.warning("glossary not used for search: %s", problem)
    return HybridRetriever(collection, embeddings, settings.retrieval, QueryExpander(glossary), owns_embeddings=owned)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12) if matrix.size else matrix


def _top(scores: np.ndarray, n: int) -> list[tuple[int, float]]:
    """The `n` best finite scores, best first; ties by position."""
    n = min(n, len(scores))
    best = np.argpartition(-scores, n - 1)[:n] if n else np.arange(0)
    order = best[np.lexsort((best, -scores[best]))]
    return [(int(i), float(scores[i])) for i in order if np.isfinite(scores[i])]


def _fuse(lists: list[tuple[float, list[tuple[int, float]]]], rrf_k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: each passage scores Σ weight / (rrf_k + rank)."""
    fused: dict[int, float] = {}
    for weight, ranked in lists:
        for rank, (i, _) in enumerate(ranked, start=1):
            fused[i] = fused.get(i, 0.0) + weight / (rrf_k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def _favour(fused: list[tuple[int, float]], holds: list[bool], boost: float) -> list[tuple[int, float]]:
    """`fused` again, the passages that hold what the question names raised by × (1 + boost).

    A figure an owner types ("น้ำท่วมปี 2011", the 2011 floods) is the most particular thing they
    ask about, and in Thai, Lao, Khmer and Burmese BM25's character runs outvote it. No change on
    the development half (its questions with a figure already rank their guide first) or the core
    suite; test half Thai 0.968 → 0.981. Stable: ties keep the fused order."""
    return sorted(((i, score * (1 + boost * held)) for (i, score), held in zip(fused, holds, strict=True)), key=lambda pair: -pair[1])


def _fuse_scores(lists: list[tuple[float, list[tuple[int, float]]]]) -> list[tuple[int, float]]:
    """Convex fusion: each list's scores scaled to 0..1 over its candidates, then weighted and summed."""
    fused: dict[int, float] = {}
    for weight, ranked in lists:
        if not ranked:
            continue
        top, bottom = ranked[0][1], ranked[-1][1]
        for i, score in ranked:
            fused[i] = fused.get(i, 0.0) + weight * ((score - bottom) / (top - bottom) if top > bottom else 1.0)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))
