"""Evaluation reports: Markdown summary, JUnit XML and the self-contained HTML page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from bot.evaluation.records import ResultRow, RunSummary
from bot.evaluation.reports import html_report, junit_xml, markdown_summary, terminal_summary, write_reports
from bot.evaluation.tables import format_metric

SOURCE_URL = "https://example.org/led?a=1&b=2"


def _metrics(**values: float | None) -> dict[str, float | None]:
    base: dict[str, float | None] = {
        "hit@5": 1.0,
        "mrr": 1.0,
        "must_include": 1.0,
        "language_match": 1.0,
        "refusal_accuracy": 1.0,
        "numeric_grounding": None,
        "chrf": 41.2,
    }
    return base | values


def _result(case_id: str, lang: str, **fields: Any) -> ResultRow:
    result = {
        "id": case_id,
        "suite": "core",
        "group": case_id,
        "lang": lang,
        "topic": "energy-efficiency",
        "tags": ["informal"],
        "severity": "normal",
        "expect": "answer",
        "quarantined": False,
        "repeat": 0,
        "question": "How do I save power?",
        "answer": "Use LED lamps [1].",
        "mode": "offline",
        "refusal_reason": None,
        "sources": [{"number": 1, "id": f"{lang}/led", "original_id": "energy-saving-quick-wins", "title": "Quick wins", "url": SOURCE_URL}],
        "retrieved_ids": ["energy-saving-quick-wins", "solar-basics"],
        "expected_sources": ["energy-saving-quick-wins"],
        "metrics": _metrics(),
        "failures": [],
        "passed": True,
        "error": None,
        "latency_ms": 500.0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "cost_usd": 0.0,
        "case_hash": f"hash-{case_id}",
    }
    return ResultRow.model_validate(result | fields)


RESULTS = [
    _result("led-savings-en", "en"),
    _result(
        "led-savings-th",
        "th",
        severity="critical",
        passed=False,
        question="ประหยัดไฟอย่างไร",
        answer="ใช้หลอด LED\n<script>alert(1)</script> & ปิดแอร์",
        metrics=_metrics(must_include=0.0),
        failures=["must_include: none of ['90%'] found"],
    ),
    _result("solar-km", "km", passed=False, answer="", sources=[], metrics=_metrics(**{"hit@5": None}), error="LLMTimeout: model did not answer in 30 s"),
    _result("tariff-my", "my", quarantined=True, passed=False, repeat=1, failures=["language_match: answered in en"]),
]


def _group(cases: int, passed: int, **values: float | None) -> dict[str, Any]:
    """A group's figures: means only of the metrics that apply (None leaves one out)."""
    return {"cases": cases, "passed": passed, "metrics": {name: value for name, value in _metrics(**values).items() if value is not None}}


SUMMARY = RunSummary.model_validate(
    {
        "created": "2026-11-23T10:00:00Z",
        "git_commit": "abc1234",
        "suite_hash": "s1",
        "settings_hash": "s2",
        "prompts_hash": "s3",
        "knowledge_hash": "s4",
        "mode": "offline",
        "model": None,
        "suites": ["core"],
        "judge": False,
        "counts": {"cases": 4, "runs": 4, "passed": 1, "failed": 1, "errors": 1, "quarantined": 1, "critical_failed": 1},
        "overall": {"hit@5": 0.934, "must_include": 0.5, "chrf": 41.2},
        "by_language": {
            "en": _group(1, 1),
            "th": _group(1, 0, must_include=0.0),
            "km": _group(1, 0, **{"hit@5": None}),
            "my": _group(1, 0, language_match=0.0),
        },
        "by_topic": {"energy-efficiency": _group(4, 1)},
        "by_tag": {"informal": _group(4, 1)},
        "critical_failures": ["led-savings-th"],
        "flaky": [],
        "latency_ms": {"p50": 500.0, "p95": 500.0},
        "tokens": {"prompt": 0, "completion": 0},
        "cost_usd": 0.0,
        "gate": {"breaches": ["language_match (th): 0.80 < floor 0.90"], "errors": [], "rebaseline": None},
    }
)


def test_metrics_are_percentages_chrf_a_number_and_null_a_dash() -> None:
    assert [format_metric("mrr", 0.934), format_metric("chrf", 41.23), format_metric("hit@5", None)] == ["93.4%", "41.2", "–"]


def test_markdown_has_the_language_table_gate_and_each_kind_of_case_apart() -> None:
    text = markdown_summary(SUMMARY, RESULTS)
    assert "abc1234" in text and "offline" in text and "4 cases: 1 passed, 1 failed, 1 errors, 1 quarantined" in text
    assert "| language | cases | passed | pass rate | hit@5 | mrr | must_include | language_match | refusal_accuracy | chrf |" in text
    assert "| th | 1 | 0 | **0.0%** | 100.0% | 100.0% | **0.0%** | 100.0% | 100.0% | 41.2 |" in text  # the worst figures in bold
    assert "| km | 1 | 0 | **0.0%** | – |" in text
    assert "## Gate: FAILED" in text and "language_match (th): 0.80 \\< floor 0.90" in text
    sections = {section.split("\n", 1)[0]: section for section in text.split("\n## ")}
    failures, quarantined, errors = sections["Failures (1)"], sections["Quarantined failures (1)"], sections["Errors (1)"]
    assert "| led-savings-th | th | CRITICAL: must_include: none of ['90%'] found |" in failures
    assert "tariff-my#1" in quarantined and "solar-km" in errors
    assert "solar-km" not in failures and "tariff-my" not in failures


def test_a_run_outside_git_says_so_instead_of_none() -> None:
    outside = SUMMARY.model_copy(update={"git_commit": None})
    assert markdown_summary(outside, RESULTS).startswith("# Evaluation (not in git) · offline\n")
    assert "<h1>Evaluation (not in git) · offline</h1>" in html_report(outside, RESULTS)


def test_junit_counts_each_outcome_and_stays_valid_xml() -> None:
    root = ET.fromstring(junit_xml(SUMMARY, RESULTS))
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "core"
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped", "time")} == {
        "tests": "4",
        "failures": "1",
        "errors": "1",
        "skipped": "1",
        "time": "2.000",
    }
    assert root.get("tests") == "4" and root.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"led-savings-en", "led-savings-th", "solar-km", "tariff-my#1"}
    assert cases["led-savings-th"].get("classname") == "core.th" and cases["led-savings-th"].get("time") == "0.500"
    failure = cases["led-savings-th"].find("failure")
    assert failure is not None and failure.get("message") == "must_include: none of ['90%'] found"
    assert "<script>alert(1)</script> & ปิดแอร์" in (cases["led-savings-th"].findtext("system-out") or "")
    error = cases["solar-km"].find("error")
    assert error is not None and error.get("message", "").startswith("LLMTimeout")
    assert cases["tariff-my#1"].find("skipped") is not None and cases["tariff-my#1"].find("failure") is None
    assert len(cases["led-savings-en"]) == 0


def test_junit_drops_characters_xml_cannot_carry() -> None:
    ET.fromstring(junit_xml(SUMMARY, [_result("x", "en", passed=False, answer="bell \x07 here", failures=["nul \x00"])]))


def test_html_is_self_contained_escaped_and_shows_failing_cases() -> None:
    page = html_report(SUMMARY, RESULTS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ปิดแอร์" in page and "<script" not in page
    assert re.findall(r'(?:src|href)="([^"]*)"', page) == [SOURCE_URL.replace("&", "&amp;")] * 2
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert "<svg" in page and 'lang="th"' in page and 'lang="km"' in page
    for case_id in ("led-savings-th", "solar-km", "tariff-my#1", "must_include: none of [&#39;90%&#39;] found", "LLMTimeout"):
        assert case_id in page
    assert "<details>" in page and "By tag" in page and "Gate FAILED" in page


def test_html_shows_why_on_each_case_line_and_filters_by_language() -> None:
    page = html_report(SUMMARY, RESULTS)
    line = re.search(r"<summary>(.*?)</summary>", page[page.index("led-savings-th</code>") - 200 :], re.S)
    assert line is not None and "must_include: none of [&#39;90%&#39;] found" in line.group(1)  # visible without opening the case
    error_line = re.search(r"<summary>(.*?)</summary>", page[page.index("solar-km</code>") - 200 :], re.S)
    assert error_line is not None and error_line.group(1).count("LLMTimeout") == 1
    assert '<details class="case" data-lang="th">' in page
    labels = re.findall(r'<label for="only-(\w+)">([^<]*)</label>', page)
    assert labels == [("all", "all languages"), ("km", "km (1)"), ("my", "my (1)"), ("th", "th (1)")]  # the languages with cases to look at
    assert 'body:has(#only-th:checked) .case:not([data-lang="th"]) { display: none; }' in page


def test_html_language_table_colours_pass_rates_and_marks_the_worst_figures() -> None:
    page = html_report(SUMMARY, RESULTS)
    table = page[page.index("<caption>By language</caption>") : page.index("<caption>By topic</caption>")]
    assert '<th scope="col">pass rate</th>' in table and '<th scope="col">language match</th>' in table  # headers can wrap
    assert '<tr><th scope="row">en</th><td>1</td><td>1</td><td class="good">100.0%</td>' in table
    assert '<td class="poor worst">0.0%</td>' in table and '<td class="worst">0.0%</td>' in table


def test_the_terminal_table_marks_the_worst_figures_and_folds_the_columns_that_never_differ() -> None:
    lines = terminal_summary(SUMMARY).splitlines()
    assert lines[0].split() == ["language", "cases", "passed", "pass", "rate", "hit@5", "must_include", "language_match"]
    assert lines[2].split() == ["th", "1", "0", "0.0%", "▼", "100.0%", "0.0%", "▼", "100.0%"]
    assert lines[-2:] == ["▼ the lowest figure of its column", "the same in every language: mrr 100.0%, refusal_accuracy 100.0%, chrf 41.2"]


def test_only_web_urls_become_links() -> None:
    source = {"number": 1, "id": "x", "original_id": "x", "title": "Bad", "url": "javascript:alert(1)"}
    page = html_report(SUMMARY, [_result("x", "en", passed=False, sources=[source])])
    assert "javascript:" not in page


def test_write_reports_writes_the_three_files(tmp_path: Path) -> None:
    paths = write_reports(tmp_path / "run", SUMMARY, RESULTS)
    assert [p.name for p in paths] == ["junit.xml", "summary.md", "report.html"]
    assert all(p.read_text(encoding="utf-8") for p in paths)
