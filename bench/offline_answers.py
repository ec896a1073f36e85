"""How often the offline answer carries the asked-for fact, and the composer weights that do best.

    .venv/bin/python bench/offline_answers.py                 # the settings' weights, on the development half
    .venv/bin/python bench/offline_answers.py --grid          # try a grid of weights on the development half
    .venv/bin/python bench/offline_answers.py --split test    # the settings' weights on the held-out half

On the labelled questions that name a `fact` (tests/data/retrieval_questions.yaml) that a
translation keeps as it is (English questions: any fact; others: a fact with a figure or a name
in capitals, such as "0.4750" or "SME D Bank"), it retrieves once per question, composes the offline answer (pipeline/compose.py) and counts how often the fact
is in the first line and anywhere in the answer (numbers compared without separators, so 1,000 and
1.000 match). The weights in bot/config.py ComposerSettings were chosen with --grid on the
development half only. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import ComposerSettings, PathSettings, Settings  # noqa: E402
from bot.domain import LANGUAGES, ScoredChunk  # noqa: E402
from bot.pipeline.compose import compose  # noqa: E402
from bot.retrieval import LOCAL_MODEL_NAME, LocalE5Embeddings, build_index, normalize, open_retriever  # noqa: E402

QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "retrieval_questions.yaml").read_text(encoding="utf-8"))
OUT = ROOT / "bench" / "out"


def portable(q: dict[str, object]) -> bool:
    """Whether the fact can be looked for in an answer in the question's language."""
    fact = str(q.get("fact") or "")
    return bool(fact) and (q["lang"] == "en" or any(c.isdigit() for c in fact) or sum(c.isupper() for c in fact) >= 2)


def _flat(text: str) -> str:
    return re.sub(r"(?<=\d)[.,](?=\d)", "", normalize(text))


def score(weights: ComposerSettings, cases: list[tuple[dict[str, object], list[tuple[int, ScoredChunk]]]]) -> dict[str, tuple[float, float]]:
    """Per language (and all): share of questions with the fact in the first line, and anywhere."""
    per: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for q, hits in cases:
        composed = compose(str(q["q"]), str(q["lang"]), hits, weights)
        fact = _flat(str(q["fact"]))
        first = composed is not None and fact in _flat(composed.answer.text)
        anywhere = composed is not None and any(fact in _flat(p.text) for p in (composed.answer, *composed.points))
        for key in (str(q["lang"]), "all"):
            per[key].append((first, anywhere))
    return {k: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)) for k, v in per.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--grid", action="store_true", help="try a grid of weights (use on the dev half only)")
    args = parser.parse_args()
    embeddings = LocalE5Embeddings(threads=2)
    settings = Settings(_env_file=None, paths=PathSettings(knowledge_dir=ROOT / "knowledge", data_dir=ROOT / "data"))  # type: ignore[call-arg]
    build_index(settings, embeddings, LOCAL_MODEL_NAME)
    retriever = open_retriever(settings, embeddings, LOCAL_MODEL_NAME)
    cases = []
    for q in QUESTIONS:
        if q["split"] == args.split and portable(q):
            hits = retriever.search(q["q"], lang=q["lang"])
            numbers: dict[str, int] = {}
            cases.append((q, [(numbers.setdefault(h.chunk.group_id, len(numbers) + 1), h) for h in hits]))
    print(f"{len(cases)} questions with a fact ({args.split} half)")
    if args.grid:
        grid = itertools.product((1.0, 2.0, 3.0), (0.0, 0.3, 0.6), (0.0, 0.1, 0.3), (0.0, 0.05, 0.15))
        results = []
        for meaning, words, rank, kind in grid:
            weights = ComposerSettings(meaning=meaning, words=words, rank=rank, kind=kind)
            results.append((score(weights, cases)["all"], weights))
        for (first, anywhere), weights in sorted(results, key=lambda r: r[0], reverse=True)[:10]:
            print(f"first line {first:.1%}  anywhere {anywhere:.1%}  meaning={weights.meaning} words={weights.words} rank={weights.rank} kind={weights.kind}")
        return
    figures = score(settings.pipeline.composer, cases)
    for lang in (*LANGUAGES, "all"):
        if lang in figures:
            first, anywhere = figures[lang]
            print(f"{lang:4} fact in the first line {first:6.1%}   anywhere in the answer {anywhere:6.1%}")


if __name__ == "__main__":
    main()
