"""Retrieval benchmark: index build, no-change re-index, query latency and peak memory.

    .venv/bin/python bench/retrieval.py            # real index + synthetic 10,000 and 100,000 passages
    .venv/bin/python bench/retrieval.py --sizes 10000

Query latency covers the whole search: query embedding, exact dense search over the sentence
matrix, passage and title scores, BM25 and fusion. The synthetic indexes use random unit vectors
and generated text, with the real index's shape (a title record per guide of six passages, three
sentence records per passage): they measure the cost of search, not of embedding. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from chromadb.api.types import Metadata

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import PathSettings, Settings  # noqa: E402
from bot.domain import Preferences, SentenceKind  # noqa: E402
from bot.knowledge.glossary import Glossary  # noqa: E402
from bot.retrieval import (  # noqa: E402
    LOCAL_MODEL_NAME,
    LocalE5Embeddings,
    build_index,
    open_retriever,
)
from bot.retrieval.chunking import TITLE  # noqa: E402
from bot.retrieval.expansion import QueryExpander  # noqa: E402
from bot.retrieval.retriever import HybridRetriever  # noqa: E402
from bot.retrieval.store import (  # noqa: E402
    collection_name,
    create_collection,
    mark_built,
    open_client,
    open_collection,
)

QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "retrieval_questions.yaml").read_text(encoding="utf-8"))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def time_queries(retriever: HybridRetriever, rounds: int = 200) -> tuple[float, float]:
    """p50 and p95 in ms over `rounds` searches cycling through the labelled questions."""
    retriever.search("warm-up")
    times = []
    for i in range(rounds):
        q = QUESTIONS[i % len(QUESTIONS)]
        preferences = Preferences(country="VN") if i % 4 == 0 else Preferences()
        start = time.perf_counter()
        retriever.search(q["q"], lang=q["lang"], prefer=preferences)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50), percentile(times, 95)


def settings_in(folder: Path) -> Settings:
    return Settings(_env_file=None, paths=PathSettings(knowledge_dir=ROOT / "knowledge", data_dir=folder))  # type: ignore[call-arg]


def bench_real(embeddings: LocalE5Embeddings, work: Path) -> None:
    settings = settings_in(work / "real")
    report = build_index(settings, embeddings, LOCAL_MODEL_NAME)
    print(
        f"knowledge/ index build: {report.documents} documents, {report.passages} passages, {report.records} records "
        f"in {report.seconds:.1f} s ({report.records / report.seconds:.1f} records/s)"
    )
    again = build_index(settings, embeddings, LOCAL_MODEL_NAME)
    print(f"no-change re-index: {again.seconds:.2f} s (embedded {again.embedded})")
    retriever = open_retriever(settings, embeddings, LOCAL_MODEL_NAME)
    p50, p95 = time_queries(retriever)
    print(f"query latency, real index ({report.passages} passages): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print_quality(retriever)


def print_quality(retriever: HybridRetriever) -> None:
    """hit@1 and hit@5 per language on the labelled questions (a translation counts as its original)."""
    by_lang: dict[str, list[tuple[bool, bool]]] = {}
    for q in QUESTIONS:
        groups = [h.chunk.group_id for h in retriever.search(q["q"], lang=q["lang"], k=5)]
        by_lang.setdefault(q["lang"], []).append((groups[:1] != [] and groups[0] in q["expect"], any(g in q["expect"] for g in groups)))
    rows = [(lang, len(v), sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)) for lang, v in by_lang.items()]
    total = [x for v in by_lang.values() for x in v]
    rows.append(("all", len(total), sum(a for a, _ in total) / len(total), sum(b for _, b in total) / len(total)))
    print("retrieval quality on tests/data/retrieval_questions.yaml:")
    for lang, n, hit1, hit5 in rows:
        print(f"  {lang:4} n={n:3}  hit@1 {hit1:.0%}  hit@5 {hit5:.0%}")


def bench_synthetic(embeddings: LocalE5Embeddings, work: Path, size: int) -> None:
    settings = settings_in(work / f"synthetic-{size}")
    rng = np.random.default_rng(7)
    words = (ROOT / "knowledge" / "en" / "energy-saving-quick-wins.md").read_text(encoding="utf-8").split()
    words += (ROOT / "knowledge" / "en" / "eu-cbam-for-suppliers.md").read_text(encoding="utf-8").split()
    pick = random.Random(7)
    client = open_client(settings.retrieval, settings.index_dir)
    model = LOCAL_MODEL_NAME
    name = collection_name(settings.retrieval.collection, model)
    collection = create_collection(client, name, model)
    countries = ["asean", "VN", "TH", "ID", "MY", "PH", "SG"]
    start = time.perf_counter()
    batch = 5040  # whole guides: a title and six passages of three sentences
    for offset in range(0, size, batch // 3):  # `size` counts passages
        passages = min(batch // 3, size - offset)
        ids: list[str] = []
        metas: list[Metadata] = []
        for p in range(passages):
            number = offset + p
            doc = f"doc-{number // 6}"
            base: dict[str, str | int] = {
                "doc_id": doc,
                "group_id": doc,
                "lang": "en",
                "title": "Synthetic",
                "source": f"en/{doc}.md",
                "topics": "energy-efficiency",
                "countries": countries[(number // 6) % len(countries)],
                "sectors": "",
                "sources": "[]",
            }
            if number % 6 == 0:
                ids.append(f"{doc}-title")
                metas.append({**base, "kind": TITLE, "section": "", "section_index": -1, "passage": -1, "position": -1})
            for s_ in range(3):
                ids.append(f"{doc}-{number % 6}-{s_}")
                metas.append(
                    {
                        **base,
                        "kind": SentenceKind.SENTENCE.value,
                        "section": "Part",
                        "section_index": number % 6,
                        "passage": number % 6,
                        "position": (number % 6) * 3 + s_,
                    }
                )
        vectors = rng.normal(size=(len(ids), 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        texts = [" ".join(pick.choices(words, k=25)) for _ in ids]
        collection.add(ids=ids, embeddings=vectors, metadatas=metas, documents=texts)
    mark_built(collection, model)
    built = time.perf_counter() - start
    start = time.perf_counter()
    retriever = HybridRetriever(
        open_collection(client, settings.retrieval.collection, model), embeddings, settings.retrieval, QueryExpander(Glossary(terms={}, lines={}))
    )
    loaded = time.perf_counter() - start
    p50, p95 = time_queries(retriever)
    print(
        f"query latency, synthetic {size:,} passages: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
        f"(store filled in {built:.0f} s, snapshot + BM25 loaded in {loaded:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()
    embeddings = LocalE5Embeddings(threads=2)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.skip_real:
            bench_real(embeddings, work)
        for size in args.sizes:
            bench_synthetic(embeddings, work, size)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
