"""Retrieval quality per language: what we ship against a naive dense baseline, dense only and BM25 only.

    .venv/bin/python bench/retrieval_quality.py               # the test half, with and without a country
    .venv/bin/python bench/retrieval_quality.py --split dev   # the half the weights were chosen on

On the labelled questions of tests/data/retrieval_questions.yaml (a translation counts as its
original; an answer may come from any guide in `expect`), it prints hit@1, hit@5 and MRR per
language for:
  (a) naive: LangChain's RecursiveCharacterTextSplitter (1000/200 characters) over every guide,
      Chroma's own nearest-neighbour search (what LangChain's similarity_search runs), the same
      multilingual-e5 model, k=5, no BM25;
  (b) dense only and (c) BM25 only: our index and retriever with the other list's weight at 0;
  (d) shipped: our retriever with the settings' weights.
Then the shipped retriever again with the owner's country set: each question's language gives
the country (vi → VN, th → TH, id → ID, ms → MY, tl → PH, km → KH, lo → LA, my → MM, en → SG).
Our index is the one `greenbot index` keeps in data/ (brought up to date first); the naive one is kept in bench/out/ and built again when the guides change. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402

from bot.config import PathSettings, Settings  # noqa: E402
from bot.domain import LANGUAGES, Preferences  # noqa: E402
from bot.knowledge import load_folder  # noqa: E402
from bot.retrieval import LOCAL_MODEL_NAME, LocalE5Embeddings, build_index, open_client, open_retriever  # noqa: E402

QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "retrieval_questions.yaml").read_text(encoding="utf-8"))
OUT = ROOT / "bench" / "out"
COUNTRY_OF = {"en": "SG", "vi": "VN", "th": "TH", "id": "ID", "ms": "MY", "tl": "PH", "km": "KH", "lo": "LA", "my": "MM"}
Search = Callable[[dict[str, object]], list[str]]  # a question → the groups of its top 5 hits, in order


def naive(embeddings: LocalE5Embeddings) -> Search:
    """The baseline: character chunks of whole guides, dense similarity only; re-embedded whenever
    the guides change, so that both sides always read the same knowledge."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    folder = load_folder(ROOT / "knowledge")
    pieces = [(text, d.group_id) for d in folder.documents for text in splitter.split_text(f"{d.meta.title}\n\n{d.body}")]
    name = "naive-" + hashlib.sha256(repr(pieces).encode("utf-8")).hexdigest()[:16]
    client = open_client(Settings(_env_file=None).retrieval, OUT / "naive")  # type: ignore[call-arg]
    for old in client.list_collections():
        if old.name != name:
            client.delete_collection(old.name)
    collection = client.get_or_create_collection(name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
    if not collection.count():
        print(f"naive baseline: embedding {len(pieces)} chunks of 1,000 characters (kept in {OUT / 'naive'} until the guides change)", flush=True)
        for start in range(0, len(pieces), 500):
            batch = pieces[start : start + 500]
            texts = [text for text, _ in batch]
            ids = [str(start + i) for i in range(len(batch))]
            collection.add(ids=ids, embeddings=embeddings.embed_documents(texts), documents=texts, metadatas=[{"group": group} for _, group in batch])  # type: ignore[arg-type]

    def search(q: dict[str, object]) -> list[str]:
        found = collection.query(query_embeddings=[embeddings.embed_query(str(q["q"]))], n_results=5, include=["metadatas"])  # type: ignore[arg-type]
        return [str(meta["group"]) for meta in (found["metadatas"] or [[]])[0]]

    return search


def ours(settings: Settings, embeddings: LocalE5Embeddings, *, with_country: bool = False, **weights: float) -> Search:
    tuned = settings.model_copy(update={"retrieval": settings.retrieval.model_copy(update=weights)})
    retriever = open_retriever(tuned, embeddings, LOCAL_MODEL_NAME)

    def search(q: dict[str, object]) -> list[str]:
        prefer = Preferences(country=COUNTRY_OF[str(q["lang"])]) if with_country else Preferences()
        return [hit.chunk.group_id for hit in retriever.search(str(q["q"]), lang=str(q["lang"]), prefer=prefer, k=5)]

    return search


def measure(name: str, search: Search, questions: list[dict[str, object]]) -> None:
    """hit@1 / hit@5 / MRR per language, one line."""
    per: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for q in questions:
        groups = list(dict.fromkeys(search(q)))[:5]
        rank = next((r for r, g in enumerate(groups, 1) if g in q["expect"]), None)  # type: ignore[operator]
        figures = (float(rank == 1), float(rank is not None), 1 / rank if rank else 0.0)
        per[str(q["lang"])].append(figures)
        per["all"].append(figures)
    cells = []
    for lang in (*LANGUAGES, "all"):
        rows = per[lang]
        h1, h5, mrr = (sum(r[i] for r in rows) / len(rows) for i in range(3))
        cells.append(f"{lang} {h1:4.0%} {h5:4.0%} {mrr:4.2f}")
    print(f"{name:22} " + " | ".join(cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    args = parser.parse_args()
    questions = [q for q in QUESTIONS if q["split"] == args.split]
    embeddings = LocalE5Embeddings(threads=2)
    settings = Settings(_env_file=None, paths=PathSettings(knowledge_dir=ROOT / "knowledge", data_dir=ROOT / "data"))  # type: ignore[call-arg]
    report = build_index(settings, embeddings, LOCAL_MODEL_NAME)
    print(f"our index: {report.documents} guides, {report.passages} passages, {report.records} sentences and titles (embedded now: {report.embedded})")
    print(f"{len(questions)} questions ({args.split} half); each cell: language hit@1 hit@5 MRR")
    measure("(a) naive LangChain", naive(embeddings), questions)
    measure("(b) dense only", ours(settings, embeddings, lexical_weight=0.0), questions)
    measure("(c) BM25 only", ours(settings, embeddings, dense_weight=0.0), questions)
    measure("(d) shipped", ours(settings, embeddings), questions)
    measure("(d) shipped, country", ours(settings, embeddings, with_country=True), questions)


if __name__ == "__main__":
    main()
