"""Language-detection benchmark: accuracy per language and bucket, the targets, and speed.

    .venv/bin/python bench/language.py
    .venv/bin/python bench/language.py --testset PATH --chat PATH

The shared test set (formal and news text, see its README) is run without priors; the chat
set (tests/data/langid_chat.jsonl) is run with each message's own priors. Time per message
is measured with the model already loaded. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.language import SUPPORTED, Detection, Priors, detect  # noqa: E402

TESTSET = ROOT.parent / "shared" / "langid" / "testset.jsonl"
CHAT = ROOT / "tests" / "data" / "langid_chat.jsonl"
BUCKETS = ("short", "medium", "sentence")
LATIN = ("en", "vi", "id", "ms", "tl")
TARGETS = {
    "short, all languages": 0.94,
    "short, en vi id ms tl": 0.88,
    "vi without diacritics": 0.90,
    "chat set, overall": 0.90,
}


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def run(rows: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], Detection, float]]:
    """Each row with its detection and the time it took in ms."""
    results = []
    for row in rows:
        priors = Priors(**row.get("priors", {}))
        start = time.perf_counter()
        detection = detect(row["text"], priors)
        results.append((row, detection, (time.perf_counter() - start) * 1000))
    return results


def cell(right: int, total: int) -> str:
    return f"{right:>3}/{total:<3} {100 * right / total:5.1f}%" if total else f"{'-':>15}"


def share(right: int, total: int) -> float:
    return right / total if total else 0.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report_testset(results: list[tuple[dict[str, Any], Detection, float]]) -> dict[str, float]:
    right: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    for row, detection, _ in results:
        key = (row["lang"], row["bucket"])
        total[key] += 1
        right[key] += detection.lang == row["lang"]
        if detection.lang != row["lang"]:
            confusions[(row["lang"], detection.lang)] += 1
    print(f"{'lang':<6}" + "".join(f"{b:>17}" for b in (*BUCKETS, "all")))
    for lang in SUPPORTED:
        cells = [cell(right[(lang, b)], total[(lang, b)]) for b in BUCKETS]
        cells.append(cell(sum(right[(lang, b)] for b in BUCKETS), sum(total[(lang, b)] for b in BUCKETS)))
        print(f"{lang:<6}" + "".join(f"{c:>17}" for c in cells))
    by_bucket = [cell(sum(right[(la, b)] for la in SUPPORTED), sum(total[(la, b)] for la in SUPPORTED)) for b in BUCKETS]
    print(f"{'all':<6}" + "".join(f"{c:>17}" for c in by_bucket) + f"{cell(sum(right.values()), sum(total.values())):>17}")
    print(
        "most frequent confusions (true → detected):",
        ", ".join(f"{a}→{b} {n}" for (a, b), n in confusions.most_common(6)),
    )

    unaccented = [(row, d) for row, d, _ in results if "no-diacritics" in row["source"]]
    zawgyi = [(row, d) for row, d, _ in results if "zawgyi" in row["source"]]
    unicode_my = [(row, d) for row, d, _ in results if row["lang"] == "my" and "zawgyi" not in row["source"]]
    print(f"Vietnamese without diacritics: {cell(sum(d.lang == 'vi' for _, d in unaccented), len(unaccented))}")
    reported = sum(d.reason == "script:myanmar-zawgyi" for _, d in zawgyi)
    mistaken = sum(d.reason == "script:myanmar-zawgyi" for _, d in unicode_my)
    print(f"Zawgyi Burmese reported as script:myanmar-zawgyi: {cell(reported, len(zawgyi))}")
    print(f"Unicode Burmese taken for Zawgyi: {mistaken}/{len(unicode_my)}")
    short_right = sum(right[(la, "short")] for la in SUPPORTED)
    short_total = sum(total[(la, "short")] for la in SUPPORTED)
    return {
        "short, all languages": share(short_right, short_total),
        "short, en vi id ms tl": share(sum(right[(la, "short")] for la in LATIN), sum(total[(la, "short")] for la in LATIN)),
        "vi without diacritics": share(sum(d.lang == "vi" for _, d in unaccented), len(unaccented)),
    }


def report_chat(results: list[tuple[dict[str, Any], Detection, float]]) -> dict[str, float]:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for row, detection, _ in results:
        total[row["lang"]] += 1
        right[row["lang"]] += detection.lang == row["lang"]
        if detection.lang != row["lang"]:
            misses.append(f"  {row['lang']} → {detection.lang} ({detection.reason}, {detection.confidence:.2f}): {row['text']}")
    with_priors = [(row, d) for row, d, _ in results if row.get("priors")]
    print(f"{'lang':<6}{'all':>17}")
    for lang in sorted(total, key=SUPPORTED.index):
        print(f"{lang:<6}{cell(right[lang], total[lang]):>17}")
    print(f"{'all':<6}{cell(sum(right.values()), sum(total.values())):>17}")
    print(f"messages with priors: {cell(sum(d.lang == row['lang'] for row, d in with_priors), len(with_priors))}")
    print("misses:" if misses else "misses: none", *misses, sep="\n")
    return {"chat set, overall": share(sum(right.values()), sum(total.values()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--testset", type=Path, default=TESTSET)
    parser.add_argument("--chat", type=Path, default=CHAT)
    args = parser.parse_args()

    start = time.perf_counter()
    detect("warm-up: loads the py3langid model")
    print(f"model load: {time.perf_counter() - start:.2f} s")

    figures: dict[str, float] = {}
    times: list[float] = []
    if args.testset.exists():
        rows = load(args.testset)
        print(f"\n== Shared test set: {args.testset} ({len(rows)} texts, no priors)")
        results = run(rows)
        figures |= report_testset(results)
        times += [ms for _, _, ms in results]
    else:
        print(f"\n== Shared test set not found at {args.testset}; skipped")
    rows = load(args.chat)
    print(f"\n== Chat set: {args.chat} ({len(rows)} messages, with their priors)")
    results = run(rows)
    figures |= report_chat(results)
    times += [ms for _, _, ms in results]

    print("\n== Targets")
    for name, target in TARGETS.items():
        if name in figures:
            verdict = "ok" if figures[name] >= target else "MISSED"
            print(f"{name:<24}{100 * figures[name]:6.1f}%  target {100 * target:.0f}%  {verdict}")
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(f"\ndetection time per message: p50 {p50:.3f} ms, p95 {p95:.3f} ms ({len(times)} messages)")


if __name__ == "__main__":
    main()
