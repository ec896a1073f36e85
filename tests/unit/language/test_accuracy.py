"""Accuracy on the chat set (tests/data) and on the shared labelled test set, against the targets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.language import Priors, detect

CHAT = Path(__file__).parents[2] / "data" / "langid_chat.jsonl"
TESTSET = Path(__file__).parents[3].parent / "shared" / "langid" / "testset.jsonl"
LATIN = ("en", "vi", "id", "ms", "tl")


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _accuracy(rows: list[dict[str, Any]], use_priors: bool = False) -> float:
    right = 0
    for row in rows:
        priors = Priors(**row.get("priors", {})) if use_priors else Priors()
        right += detect(row["text"], priors).lang == row["lang"]
    return right / len(rows)


def test_chat_set_is_well_formed() -> None:
    rows = _load(CHAT)
    counts = Counter(r["lang"] for r in rows)
    assert all(counts[lang] >= 30 for lang in ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my")), counts
    for row in rows:
        assert set(row) <= {"text", "lang", "priors", "note"}, row
        assert set(row.get("priors", {})) <= {"chosen", "recent", "client"}, row


def test_chat_set_accuracy() -> None:
    rows = _load(CHAT)
    assert _accuracy(rows, use_priors=True) >= 0.90
    for lang in {r["lang"] for r in rows}:
        assert _accuracy([r for r in rows if r["lang"] == lang], use_priors=True) >= 0.85, lang


@pytest.fixture(scope="module")
def testset() -> list[dict[str, Any]]:
    if not TESTSET.exists():
        pytest.skip(f"shared language test set not found at {TESTSET}")
    return _load(TESTSET)


def test_short_texts_over_all_languages(testset: list[dict[str, Any]]) -> None:
    assert _accuracy([r for r in testset if r["bucket"] == "short"]) >= 0.94


def test_short_texts_in_latin_script(testset: list[dict[str, Any]]) -> None:
    assert _accuracy([r for r in testset if r["bucket"] == "short" and r["lang"] in LATIN]) >= 0.88


def test_vietnamese_without_diacritics(testset: list[dict[str, Any]]) -> None:
    assert _accuracy([r for r in testset if "no-diacritics" in r["source"]]) >= 0.90
