"""Where retrieval's confidence should draw the line between "we have a guide on this" and "not
what GreenGuide is for", per language.

    .venv/bin/python bench/scope.py

For the development half of tests/data/retrieval_questions.yaml (all answerable) and the messages
of tests/data/out_of_scope.yaml (none is), it prints the best passage's dense score and its margin
over the query's median score across the index, and how many of each side a threshold keeps.
The thresholds in bot/config.py PipelineSettings were chosen here. Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import PathSettings, Settings  # noqa: E402
from bot.retrieval import LOCAL_MODEL_NAME, LocalE5Embeddings, build_index, open_retriever  # noqa: E402

DATA = ROOT / "tests" / "data"


def main() -> None:
    embeddings = LocalE5Embeddings(threads=2)
    settings = Settings(_env_file=None, paths=PathSettings(knowledge_dir=ROOT / "knowledge", data_dir=ROOT / "data"))  # type: ignore[call-arg]
    build_index(settings, embeddings, LOCAL_MODEL_NAME)
    retriever = open_retriever(settings, embeddings, LOCAL_MODEL_NAME)
    inside = [q for q in yaml.safe_load((DATA / "retrieval_questions.yaml").read_text(encoding="utf-8")) if q["split"] == "dev"]
    outside = yaml.safe_load((DATA / "out_of_scope.yaml").read_text(encoding="utf-8"))

    def features(q: dict[str, str]) -> tuple[float, float]:
        hits = retriever.search(q["q"], lang=q["lang"])
        return max(h.dense_score or 0 for h in hits), max(h.dense_margin or 0 for h in hits)

    yes = np.array([features(q) for q in inside])
    no = np.array([features(q) for q in outside])
    for name, column in (("best dense score", 0), ("margin over the median", 1)):
        print(
            f"{name}: answerable p5 {np.percentile(yes[:, column], 5):.3f} min {yes[:, column].min():.3f} · "
            f"out of scope max {no[:, column].max():.3f} p95 {np.percentile(no[:, column], 95):.3f}"
        )
        for threshold in np.linspace(np.percentile(no[:, column], 50), np.percentile(yes[:, column], 10), 6):
            kept, refused = (yes[:, column] >= threshold).mean(), (no[:, column] < threshold).mean()
            print(f"  {threshold:.3f}: answers {kept:.0%} of the answerable, declines {refused:.0%} of the rest")


if __name__ == "__main__":
    main()
