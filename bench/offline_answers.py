"""How often the offline answer carries the asked-for fact, and the composer weights that do best.

    .venv/bin/python bench/offline_answers.py                 # the settings' weights, on the development half
    .venv/bin/python bench/offline_answers.py --grid          # try a grid of weights on the development half
    .venv/bin/python bench/offline_answers.py --split test    # the settings' weights on the held-out half

On the labelled questions that name a `fact` (tests/data/retrieval_questions.yaml), it retrieves
once per question, composes the offline answer (pipeline/compose.py) and counts how often the fact
is in the first line and anywhere in the answer. An English answer must hold the fact as written.
A translation writes "30 million baht" as "30 ล้านบาท" and "19 August 2023" as "19/8/2023", so
an answer in another language must hold what a translation keeps: the fact's numbers, or else its
names in capitals ("SEADRIF", "SME D Bank"). Numbers are compared without separators, so 29.7
and 29,7 match. The weights in bot/config.py ComposerSettings were chosen with --grid on the
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
from bot.language import fold  # noqa: E402
from bot.pipeline.compose import compose  # noqa: E402
from bot.retrieval import LOCAL_MODEL_NAME, LocalE5Embeddings, build_index, open_retriever  # noqa: E402

QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "retrieval_questions.yaml").read_text(encoding="utf-8"))
OUT = ROOT / "bench" / "out"


def portable(q: dict[str, object]) -> bool:
    """Whether the fact can be looked for in an answer in the question's language."""
    return bool(_marks(q))


def _marks(q: dict[str, object]) -> list[str]:
    """What an answer must hold: the fact itself in English; elsewhere its numbers, or else its
    names in capitals, the parts that a translation keeps."""
    fact = str(q.get("fact") or "")
    if not fact or q["lang"] == "en":
        return [_flat(fact)] if fact else []
    numbers = re.findall(r"\d+(?:[.,]\d+)*", fact)
    names = re.findall(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b|\b[A-Z]{2,}\b", fact)
    return [_flat(m) for m in (numbers or names)]


def _holds(marks: list[str], text: str) -> bool:
    flat = _flat(text)
    # a figure may touch letters ("RM500", "5kW") but not other digits ("500" is not in "1500")
    return all(re.search(rf"(?<!\d){re.escape(m)}(?!\d)" if m.isdigit() else re.escape(m), flat) for m in marks)


def _flat(text: str) -> str:
    return re.sub(r"(?<=\d)[.,](?=\d)", "", fold(text))


def score(weights: ComposerSettings, cases: list[tuple[dict[str, object], list[tuple[int, ScoredChunk]]]]) -> dict[str, tuple[float, float]]:
    """Per language (and all): share of questions with the fact in the first line, and anywhere."""
    per: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for q, hits in cases:
        composed = compose(str(q["q"]), str(q["lang"]), hits, weights)
        marks = _marks(q)
        first = composed is not None and _holds(marks, composed.answer.text)
        anywhere = composed is not None and any(_holds(marks, p.text) for p in (composed.answer, *composed.points))
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
        grid = itertools.product((1.0, 2.0, 3.0), (0.0, 0.3, 0.6), (0.0, 0.2, 0.4, 0.6), (0.0, 0.05, 0.15))
        results = []
        for meaning, words, retrieval, kind in grid:
            weights = ComposerSettings(meaning=meaning, words=words, retrieval=retrieval, kind=kind)
            results.append((score(weights, cases)["all"], weights))
        for (first, anywhere), weights in sorted(results, key=lambda r: r[0], reverse=True)[:10]:
            print(
                f"first line {first:.1%}  anywhere {anywhere:.1%}  meaning={weights.meaning} words={weights.words} retrieval={weights.retrieval} kind={weights.kind}"
            )
        return
    figures = score(settings.pipeline.composer, cases)
    for lang in (*LANGUAGES, "all"):
        if lang in figures:
            first, anywhere = figures[lang]
            print(f"{lang:4} fact in the first line {first:6.1%}   anywhere in the answer {anywhere:6.1%}")


if __name__ == "__main__":
    main()
