"""Run folders and baselines on disk: files written before the typed records still load, with the same keys and values."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bot.errors import EvaluationError
from bot.evaluation.records import EXIT_REGRESSION, Outcome, ResultRow
from bot.evaluation.runs import find_run, read_rows, read_run, write_baseline, write_run
from tests.support import REPO

# A line of results.jsonl and a summary.json as the dict-based harness wrote them, before the
# records: the summary has no refusal figures yet, and its gate stores passed and exit_code.
LEGACY_ROW: dict[str, Any] = {
    "id": "led-savings-th",
    "suite": "core",
    "group": "led-savings",
    "lang": "th",
    "topic": "energy-efficiency",
    "tags": ["informal"],
    "severity": "critical",
    "expect": "answer",
    "quarantined": False,
    "case_hash": "a60918420b518149",
    "repeat": 0,
    "question": "ประหยัดไฟอย่างไร",
    "expected_sources": ["energy-saving-quick-wins"],
    "answer": "ใช้หลอด LED [1]",
    "mode": "offline",
    "refusal_reason": None,
    "sources": [{"number": 1, "id": "led-th", "original_id": "energy-saving-quick-wins", "title": "LED", "url": "https://example.org/led"}],
    "retrieved_ids": ["energy-saving-quick-wins"],
    "metrics": {
        "hit@5": 1.0,
        "recall@5": 1.0,
        "mrr": 1.0,
        "ndcg@5": 1.0,
        "refusal_accuracy": 1.0,
        "citation_validity": 1.0,
        "citation_precision": 1.0,
        "citation_recall": 1.0,
        "must_include": 0.0,
        "must_not_include": None,
        "language_match": 1.0,
        "numeric_grounding": None,
        "chrf": 35.65267516920713,
    },
    "failures": ["text: none of ['90%'] found"],
    "passed": False,
    "error": None,
    "latency_ms": 54.7,
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "cost_usd": 0.0,
}
LEGACY_SUMMARY: dict[str, Any] = {
    "created": "2026-11-24T00:23:14Z",
    "git_commit": "4ae7eb4",
    "mode": "offline",
    "model": None,
    "judge": False,
    "suites": ["core"],
    "settings_hash": "4a418f4eb35ad8e0",
    "suite_hash": "d5d23f2f27f97a15",
    "prompts_hash": "9eb6d808b6c2252f",
    "knowledge_hash": "0f2b4ce0bad7e9f9",
    "counts": {"cases": 1, "runs": 1, "passed": 0, "failed": 1, "errors": 0, "quarantined": 0, "critical_failed": 1},
    "overall": {"hit@5": 1.0, "must_include": 0.0},
    "by_language": {"th": {"cases": 1, "passed": 0, "metrics": {"hit@5": 1.0, "must_include": 0.0}}},
    "by_topic": {"energy-efficiency": {"cases": 1, "passed": 0, "metrics": {"hit@5": 1.0, "must_include": 0.0}}},
    "by_tag": {"informal": {"cases": 1, "passed": 0, "metrics": {"hit@5": 1.0, "must_include": 0.0}}},
    "critical_failures": ["led-savings-th"],
    "flaky": [],
    "latency_ms": {"p50": 54.7, "p95": 54.7},
    "tokens": {"prompt": 0, "completion": 0},
    "cost_usd": 0.0,
    "gate": {"passed": False, "exit_code": 1, "breaches": ["critical case failed: led-savings-th"], "errors": [], "rebaseline": None},
}


def _legacy_run(folder: Path) -> Path:
    folder.mkdir()
    (folder / "results.jsonl").write_text(json.dumps(LEGACY_ROW, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(LEGACY_SUMMARY, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder


def test_a_run_folder_from_before_the_records_loads_and_is_written_back_with_the_same_keys_and_values(tmp_path: Path) -> None:
    summary, [row] = read_run(_legacy_run(tmp_path / "old"))
    assert row.outcome == Outcome.FAILED and row.severity == "critical" and row.sources[0].original_id == "energy-saving-quick-wins"
    assert summary.refusals is None and summary.gate is not None and summary.gate.exit_code == EXIT_REGRESSION
    write_run(tmp_path / "again", summary, [row])
    assert json.loads((tmp_path / "again" / "results.jsonl").read_text(encoding="utf-8")) == LEGACY_ROW
    assert json.loads((tmp_path / "again" / "summary.json").read_text(encoding="utf-8")) == LEGACY_SUMMARY | {"refusals": None}


def test_the_committed_baseline_is_written_back_byte_for_byte(tmp_path: Path) -> None:
    committed = REPO / "eval" / "baseline.json"
    provenance, rows = read_rows(committed)
    assert provenance.mode == "offline" and len({row.id for row in rows}) > 300
    write_baseline(tmp_path / "baseline.json", provenance, rows)
    assert (tmp_path / "baseline.json").read_bytes() == committed.read_bytes()


def test_blessing_a_run_folder_keeps_only_what_the_baseline_needs(tmp_path: Path) -> None:
    provenance, rows = read_rows(_legacy_run(tmp_path / "old"))
    assert isinstance(rows[0], ResultRow)  # a run folder's rows are whole
    write_baseline(tmp_path / "baseline.json", provenance, rows)
    written = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert set(written) == {"created", "git_commit", "mode", "model", "settings_hash", "suite_hash", "prompts_hash", "knowledge_hash", "results"}
    slim = {"id", "suite", "lang", "topic", "tags", "severity", "quarantined", "case_hash", "repeat", "passed", "error", "metrics"}
    assert written["results"] == [{key: LEGACY_ROW[key] for key in slim}]


@pytest.mark.parametrize("content", ["", "{not json", '{"created": "x"}'])
def test_a_file_that_is_not_a_baseline_is_one_line_of_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"baseline\.json: not a run folder or baseline file: ") as raised:
        read_rows(path)
    assert "\n" not in str(raised.value)
    with pytest.raises(EvaluationError, match="No such file"):
        read_rows(tmp_path / "missing.json")


def test_runs_are_found_by_path_by_name_and_as_latest(tmp_path: Path) -> None:
    eval_dir = tmp_path / "eval"
    (eval_dir / "runs").mkdir(parents=True)
    runs = (("zz-first", "2026-11-24T00:00:00Z", 3), ("aa-also-second", "2026-11-25T00:00:00Z", 1), ("aa-second", "2026-11-25T00:00:00Z", 2))
    for name, created, written in runs:
        _legacy_run(eval_dir / "runs" / name)
        summary = eval_dir / "runs" / name / "summary.json"
        summary.write_text(json.dumps(LEGACY_SUMMARY | {"created": created}), encoding="utf-8")
        os.utime(summary, ns=(written * 10**9, written * 10**9))  # fixed times: when each summary was written
    (eval_dir / "runs" / "broken").mkdir()
    (eval_dir / "runs" / "broken" / "summary.json").write_text("{", encoding="utf-8")
    (eval_dir / "baseline.json").write_text("{}", encoding="utf-8")
    assert find_run("latest", eval_dir) == eval_dir / "runs" / "aa-second"  # created last; of two in one second, the one written last
    assert find_run("zz-first", eval_dir) == eval_dir / "runs" / "zz-first"
    assert find_run("baseline.json", eval_dir) == eval_dir / "baseline.json"
    assert find_run(str(tmp_path), eval_dir) == tmp_path
    with pytest.raises(EvaluationError, match="nope: no such run folder or baseline file"):
        find_run("nope", eval_dir)
    with pytest.raises(EvaluationError, match=r"no run in .* yet"):
        find_run("latest", tmp_path / "empty")
