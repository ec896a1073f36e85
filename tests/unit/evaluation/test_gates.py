"""Aggregates, the gate and compare on hand-made result rows with known figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.errors import EvaluationError
from bot.evaluation.compare import compare, format_comparison
from bot.evaluation.gates import Gates, MetricGate, check, load_gates
from bot.evaluation.records import EXIT_INFRASTRUCTURE, EXIT_PASSED, EXIT_REBASELINE, EXIT_REGRESSION, Provenance, ResultRow, RunMeta
from bot.evaluation.summary import summarize
from tests.support import REPO

SETTINGS = "settings-1"
META = RunMeta(
    created="2026-11-23T10:00:00Z",
    git_commit="abc1234",
    mode="offline",
    model=None,
    judge=False,
    suites=("core",),
    settings_hash=SETTINGS,
    suite_hash="s",
    prompts_hash="p",
    knowledge_hash="k",
)


def row(case: str, lang: str = "en", *, hit: float | None = 1.0, passed: bool = True, **extra: Any) -> ResultRow:
    return ResultRow.model_validate(
        {
            "expect": "answer",
            "mode": "offline",
            "suite": "core",
            "group": case,
            "question": "?",
            "expected_sources": ["x"],
            "id": case,
            "lang": lang,
            "topic": "energy-efficiency",
            "tags": ["informal"],
            "severity": "normal",
            "quarantined": False,
            "case_hash": f"hash-{case}",
            "repeat": 0,
            "passed": passed,
            "error": None,
            "latency_ms": 10.0,
            "prompt_tokens": 0,
            "completion_tokens": 0,
            "cost_usd": 0.0,
            "metrics": {"hit@5": hit, "language_match": 1.0, "chrf": None},
        }
        | extra
    )


def baseline(rows: list[ResultRow]) -> tuple[Provenance, list[ResultRow]]:
    return META, rows


GATES = Gates(metrics={"hit@5": MetricGate(floor=0.5, max_drop=0.1), "language_match": MetricGate(floor=0.9)})
BEFORE = [row("a"), row("b"), row("c", "km"), row("d", "km")]


def test_summary_means_skip_not_applicable_quarantined_and_crashed_rows() -> None:
    rows = [
        row("a"),
        row("b", hit=0.0, passed=False),
        row("c", hit=None),
        row("q", hit=0.0, passed=False, quarantined=True),
        row("e", hit=0.0, passed=False, error="crashed: boom"),
        row("k", "km", severity="critical", passed=False, hit=0.0),
    ]
    summary = summarize(rows, META).model_dump(mode="json")
    assert summary["counts"] == {"cases": 6, "runs": 6, "passed": 2, "failed": 2, "errors": 1, "quarantined": 1, "critical_failed": 1}
    assert summary["overall"]["hit@5"] == 0.3333  # a, b, k (rounded to 4 places): c is not applicable, q and e do not count
    assert summary["by_language"]["en"]["metrics"]["hit@5"] == 0.5
    assert summary["by_language"]["km"] == {"cases": 1, "passed": 0, "metrics": {"hit@5": 0.0, "language_match": 1.0}}
    assert summary["critical_failures"] == ["k"] and "chrf" not in summary["overall"]


def test_refusals_are_counted_both_ways() -> None:
    rows = [
        row("a", expect="refusal", mode="refusal"),
        row("b", expect="refusal", mode="offline"),
        row("c", mode="refusal"),
        row("d"),
        row("e"),
        row("f", expect="greeting", mode="greeting"),
    ]
    figures = summarize(rows, META).model_dump(mode="json")["refusals"]
    assert figures == {"correct_refusals": 1, "missed_refusals": 1, "false_refusals": 1, "correct_answers": 2, "correct_greetings": 1, "wrong_greetings": 0}


def test_nothing_changed_passes() -> None:
    verdict = check(BEFORE, SETTINGS, baseline(BEFORE), GATES)
    assert (verdict.exit_code, verdict.breaches) == (EXIT_PASSED, ())


def test_a_drop_in_one_language_cannot_hide_behind_the_others() -> None:
    many_english = [row(f"en-{i}") for i in range(20)]
    now = [*many_english, row("c", "km"), row("d", "km", hit=0.0, passed=False)]
    verdict = check(now, SETTINGS, baseline([*many_english, *BEFORE[2:]]), GATES)
    assert verdict.exit_code == EXIT_REGRESSION
    assert verdict.breaches == ("hit@5 (km): 0.500, down 0.500 from the baseline's 1.000 (allowed 0.100)",)  # overall fell 0.045 only


def test_floors_and_per_language_overrides() -> None:
    gates = GATES.model_copy(update={"languages": {"km": {"hit@5": MetricGate(floor=0.2, max_drop=1.0)}}})
    low = [row("a", hit=0.0), row("b", hit=0.0), row("c", "km", hit=0.0), row("d", "km", hit=0.0)]
    breaches = check(low, SETTINGS, baseline(low), gates).breaches
    assert "hit@5 (overall): 0.000 below the floor 0.500" in breaches
    assert "hit@5 (en): 0.000 below the floor 0.500" in breaches
    assert "hit@5 (km): 0.000 below the floor 0.200" in breaches


def test_a_floor_for_the_whole_run_can_be_above_each_languages() -> None:
    gates = GATES.model_copy(update={"overall": {"hit@5": MetricGate(floor=0.8, max_drop=1.0)}})
    mixed = [row("a"), row("b"), row("c", "km"), row("d", "km", hit=0.0)]
    assert check(mixed, SETTINGS, baseline(mixed), gates).breaches == ("hit@5 (overall): 0.750 below the floor 0.800",)


def test_a_failed_critical_case_is_a_breach_even_when_figures_hold() -> None:
    now = [*BEFORE[:3], row("d", "km", severity="critical", passed=False)]
    assert check(now, SETTINGS, baseline(BEFORE), GATES).breaches == ("critical case failed: d",)


def test_infrastructure_errors_win_over_regressions() -> None:
    now = [row("a", error="the model server did not answer"), *BEFORE[1:]]
    verdict = check(now, SETTINGS, baseline(BEFORE), GATES)
    assert verdict.exit_code == EXIT_INFRASTRUCTURE and verdict.errors == ("a: the model server did not answer",)


def test_changed_cases_or_settings_ask_for_a_rebaseline() -> None:
    edited = [row("a", case_hash="hash-new"), *BEFORE[1:]]
    verdict = check(edited, SETTINGS, baseline(BEFORE), GATES)
    assert verdict.exit_code == EXIT_REBASELINE and verdict.breaches == ()
    assert verdict.rebaseline is not None and "1 case(s) new or changed since the baseline (a)" in verdict.rebaseline
    other = check(BEFORE, "settings-2", baseline(BEFORE), GATES)
    assert other.exit_code == EXIT_REBASELINE and "another mode or model" in str(other.rebaseline)


def test_a_run_of_one_language_is_compared_with_that_language_only() -> None:
    assert check(BEFORE[2:], SETTINGS, baseline([row("a", hit=0.0), row("b", hit=0.0), *BEFORE[2:]]), GATES).passed


def test_the_committed_gates_file_loads(tmp_path: Path) -> None:
    gates = load_gates(REPO / "eval" / "gates.yaml")
    assert gates.for_language("en")["hit@5"].floor > gates.metrics["hit@5"].floor
    assert gates.for_overall()["must_include"].floor > gates.metrics["must_include"].floor
    bad = tmp_path / "gates.yaml"
    bad.write_text("metrics:\n  hit@5: {flor: 0.5}\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="invalid gates"):
        load_gates(bad)


def test_compare_finds_flipped_new_and_removed_cases() -> None:
    before = [row("a"), row("b", hit=0.0, passed=False), row("c"), row("gone")]
    after = [row("a", passed=False, hit=0.0), row("b"), row("c"), row("new")]
    result = compare(before, after)
    assert (result.regressed, result.improved, result.new, result.removed) == (["a"], ["b"], ["new"], ["gone"])
    assert (result.deltas["overall"]["hit@5"].a, result.deltas["overall"]["hit@5"].b) == (0.75, 0.75)
    text = format_comparison(result)
    assert "regressed (1): a" in text and "improved (1): b" in text and "no metric changed" in text


def test_compare_names_the_first_cases_of_a_long_list_and_counts_the_rest() -> None:
    before = [row(f"old-{i:02}") for i in range(25)]
    text = format_comparison(compare(before, [row("a")]), shown=3)
    assert "removed (25): old-00, old-01, old-02 and 22 more" in text.splitlines()
    assert "new (1): a" in text


def test_compare_prints_changed_figures() -> None:
    text = format_comparison(compare([row("a"), row("b")], [row("a"), row("b", hit=0.0)]))
    assert "hit@5" in text and "100.0% →    50.0%  (-50.0 pts)" in text


def test_compare_says_in_one_line_that_a_language_is_in_one_run_only() -> None:
    text = format_comparison(compare([row("a"), row("b", "km")], [row("a")]))
    assert "km: only in the first run" in text.splitlines()
    assert "n/a" not in text
