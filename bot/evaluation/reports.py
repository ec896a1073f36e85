"""Evaluation run → the reports people and CI read: a Markdown summary, JUnit XML and one HTML page.

Everything is rendered from the records of summary.json and results.jsonl, so a run loaded
from disk renders the same as a fresh one. Four outcomes are kept apart everywhere: passed, a
quality failure, an infrastructure error (the case crashed or the model server failed), and a
failure of a quarantined case, which is reported but does not count.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from bot.evaluation.records import GateVerdict, GroupFigures, Outcome, ResultRow, RunSummary
from bot.evaluation.suite import Severity
from bot.evaluation.tables import Cell, Table, format_metric, group_table, overall_table, text_table

__all__ = ["html_report", "junit_xml", "markdown_summary", "terminal_summary", "write_reports"]

CHART_METRICS = ("hit@5", "must_include", "language_match")
_RUN_PROPERTIES = ("git_commit", "mode", "model", "suite_hash", "settings_hash", "prompts_hash", "knowledge_hash")
"""What identifies the run in CI; whichever of them the summary has become testsuite properties."""
_MARKDOWN_SPECIAL = re.compile(r"[\\<&|]")
"""What Markdown would read as a tag, an entity or a column break; backslash-escaped in table cells."""
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry at all, not even escaped (control characters, lone surrogates)."""


@dataclass(frozen=True)
class _Bar:
    """One bar of the chart, in SVG user units."""

    metric: str
    series: int
    y: float
    width: float
    label: str


@dataclass(frozen=True)
class _Chart:
    """A horizontal bar chart: one band of bars per language, one bar per chart metric."""

    width: int
    height: int
    plot_x: int
    plot_width: int
    bar_height: int
    bands: list[tuple[str, float]]
    bars: list[_Bar]


@dataclass(frozen=True)
class _Outcomes:
    """The cases a reader has to look at, critical ones first in each list."""

    failed: list[ResultRow]
    quarantined: list[ResultRow]
    errors: list[ResultRow]


def write_reports(out_dir: Path, summary: RunSummary, results: Sequence[ResultRow]) -> list[Path]:
    """Write junit.xml, summary.md and report.html into `out_dir`; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    reports = {"junit.xml": junit_xml, "summary.md": markdown_summary, "report.html": html_report}
    paths = []
    for name, render in reports.items():
        path = out_dir / name
        path.write_text(render(summary, results), encoding="utf-8")
        paths.append(path)
    return paths


# Markdown


def markdown_summary(summary: RunSummary, results: Sequence[ResultRow]) -> str:
    """A short Markdown report for a CI job summary or a pull-request comment."""
    outcomes = _outcomes(results)
    parts = [
        f"# {_title(summary)}\n\n{_headline(summary)}\n\n{_usage(summary)}",
        f"## Overall\n\n{_markdown_table(overall_table(summary))}",
        f"## By language\n\n{_markdown_table(group_table('language', summary.by_language))}",
    ]
    if summary.gate:
        parts.append(_markdown_gate(summary.gate))
    parts.append(_markdown_cases("Failures", outcomes.failed, _why))
    parts.append(_markdown_cases("Quarantined failures", outcomes.quarantined, _why))
    parts.append(_markdown_cases("Errors", outcomes.errors, lambda result: str(result.error)))
    return "\n\n".join(parts) + "\n"


def _markdown_table(table: Table) -> str:
    """A Markdown table; the worst figure of each column in bold."""
    lines = [_markdown_row(table.header), _markdown_row(["---"] * len(table.header))]
    lines += [_markdown_row(f"**{cell.text}**" if cell.worst else cell.text for cell in row) for row in table.rows]
    return "\n".join(lines)


def _markdown_row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(_markdown_cell(cell) for cell in cells) + " |"


def _markdown_cell(text: str) -> str:
    """One line with tags, entities and pipes backslash-escaped, so quoted model output cannot break the page."""
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", " ".join(text.split()))


def _markdown_gate(gate: GateVerdict) -> str:
    lines = [f"## Gate: {'passed' if gate.passed else 'FAILED'}", ""]
    lines += [f"- {_markdown_cell(breach)}" for breach in gate.breaches]
    if gate.rebaseline:
        lines += ["", f"Rebaseline needed: {_markdown_cell(gate.rebaseline)}"]
    return "\n".join(lines).rstrip()


def _markdown_cases(title: str, cases: list[ResultRow], reason: Callable[[ResultRow], str]) -> str:
    if not cases:
        return f"## {title}: none"
    table = Table(["case", "lang", "why"], [[Cell(_case_name(case)), Cell(case.lang), Cell(reason(case))] for case in cases])
    return f"## {title} ({len(cases)})\n\n{_markdown_table(table)}"


def _why(result: ResultRow) -> str:
    why = "; ".join(result.failures) or "failed"
    return f"CRITICAL: {why}" if result.severity == Severity.CRITICAL else why


# Shared by the reports


def _outcomes(results: Sequence[ResultRow]) -> _Outcomes:
    ordered = sorted(results, key=lambda result: result.severity != Severity.CRITICAL)
    by_outcome: dict[Outcome, list[ResultRow]] = {outcome: [] for outcome in Outcome}
    for result in ordered:
        by_outcome[result.outcome].append(result)
    return _Outcomes(failed=by_outcome[Outcome.FAILED], quarantined=by_outcome[Outcome.QUARANTINED], errors=by_outcome[Outcome.ERROR])


def _case_name(result: ResultRow) -> str:
    """The case id, with the repeat number when a case ran more than once."""
    return f"{result.id}#{result.repeat}" if result.repeat else result.id


def _title(summary: RunSummary) -> str:
    return f"Evaluation {summary.git_commit or '(not in git)'} · {summary.mode}"


def _headline(summary: RunSummary) -> str:
    counts = summary.counts
    return (
        f"{counts.cases} cases: {counts.passed} passed, {counts.failed} failed, {counts.errors} errors, "
        f"{counts.quarantined} quarantined, {counts.critical_failed} critical failed"
    )


def _usage(summary: RunSummary) -> str:
    latency, tokens, refusals = summary.latency_ms, summary.tokens, summary.refusals
    both_ways = (
        f" · refusals: {refusals.missed_refusals} missed, {refusals.false_refusals} where an answer was expected · greetings: {refusals.wrong_greetings} wrong"
        if refusals
        else ""
    )
    return (
        f"latency p50 {latency.p50:.0f} ms, p95 {latency.p95:.0f} ms · "
        f"tokens {tokens.prompt} prompt + {tokens.completion} completion · cost ${summary.cost_usd:.4f}{both_ways}"
    )


# The terminal


def terminal_summary(summary: RunSummary) -> str:
    """What `greenbot eval run` prints before its one-line verdict: the per-language table, worst figures marked."""
    return text_table(group_table("language", summary.by_language))


# JUnit XML


def junit_xml(summary: RunSummary, results: Sequence[ResultRow]) -> str:
    """JUnit XML for CI test views: one testsuite per suite, one testcase per result."""
    root = ET.Element("testsuites", name="greenguide-eval", attrib=_junit_counts(results))
    by_suite: dict[str, list[ResultRow]] = {}
    for result in results:
        by_suite.setdefault(result.suite, []).append(result)
    for suite, cases in by_suite.items():
        element = ET.SubElement(root, "testsuite", name=suite, timestamp=summary.created, attrib=_junit_counts(cases))
        properties = ET.SubElement(element, "properties")
        for name in _RUN_PROPERTIES:
            value = getattr(summary, name)
            if value is not None:
                ET.SubElement(properties, "property", name=name, value=str(value))
        element.extend(_junit_case(case) for case in cases)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _junit_counts(cases: Sequence[ResultRow]) -> dict[str, str]:
    """What a testsuite carries: tests, failures, errors, skipped (quarantined failures) and time in seconds."""
    outcomes = [case.outcome for case in cases]
    return {
        "tests": str(len(cases)),
        "failures": str(outcomes.count(Outcome.FAILED)),
        "errors": str(outcomes.count(Outcome.ERROR)),
        "skipped": str(outcomes.count(Outcome.QUARANTINED)),
        "time": _seconds(cases),
    }


def _junit_case(result: ResultRow) -> ET.Element:
    element = ET.Element("testcase", classname=f"{result.suite}.{result.lang}", name=_case_name(result), time=_seconds([result]))
    outcome = result.outcome
    if outcome == Outcome.PASSED:
        return element
    if outcome == Outcome.ERROR:
        error = _xml_safe(result.error or "")
        ET.SubElement(element, "error", message=error.splitlines()[0], type="infrastructure").text = error
    else:
        reasons = [_xml_safe(reason) for reason in result.failures] or ["failed"]
        tag, kind = ("skipped", "quarantined") if outcome == Outcome.QUARANTINED else ("failure", result.severity.value)
        ET.SubElement(element, tag, message="; ".join(reasons), type=kind).text = "\n".join(reasons)
    ET.SubElement(element, "system-out").text = _xml_safe(f"Question:\n{result.question}\n\nAnswer:\n{result.answer}")
    return element


def _seconds(cases: Sequence[ResultRow]) -> str:
    return f"{sum(case.latency_ms for case in cases) / 1000:.3f}"


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# HTML


def html_report(summary: RunSummary, results: Sequence[ResultRow]) -> str:
    """One self-contained HTML page (inline CSS and SVG, no scripts) for reading a run in a browser.

    Every case to look at shows why on its own line; its question, answer and sources open on a
    click. Buttons above the cases show those of one language only (CSS, so the page stays script-free).
    """
    outcomes = _outcomes(results)
    sections = [("Failures", outcomes.failed), ("Errors", outcomes.errors), ("Quarantined failures", outcomes.quarantined)]
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            summary=summary,
            title=_title(summary),
            headline=_headline(summary),
            usage=_usage(summary),
            overall=overall_table(summary),
            groups=[("language", group_table("language", summary.by_language)), ("topic", group_table("topic", summary.by_topic))],
            tags=group_table("tag", summary.by_tag),
            chart=_language_chart(summary.by_language),
            chart_metrics=CHART_METRICS,
            sections=sections,
            filter_langs=dict(sorted(Counter(case.lang for _, cases in sections for case in cases).items())),
        )
    )


def _language_chart(by_language: Mapping[str, GroupFigures], bar_height: int = 10) -> _Chart:
    """Bars of the chart metrics per language, laid out here so the template only draws them."""
    plot_x, plot_width, band_gap, top = 48, 360, 12, 24
    band_height = bar_height * len(CHART_METRICS) + band_gap
    bands, bars = [], []
    for index, (lang, group) in enumerate(by_language.items()):
        y = top + index * band_height
        bands.append((lang, y + bar_height * len(CHART_METRICS) / 2))
        for offset, metric in enumerate(CHART_METRICS):
            value = group.metrics.get(metric)
            width = plot_width * value if value is not None else 0.0
            bars.append(_Bar(metric, offset, y + offset * bar_height, width, format_metric(metric, value)))
    return _Chart(plot_x + plot_width + 56, top + len(bands) * band_height, plot_x, plot_width, bar_height, bands, bars)


def _is_web_url(url: object) -> bool:
    """Only http(s) sources become links; anything else (javascript:, file:) stays text."""
    return isinstance(url, str) and url.startswith(("https://", "http://"))


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("bot.evaluation", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["metric"] = format_metric
    environment.filters["case_name"] = _case_name
    environment.tests["web_url"] = _is_web_url
    return environment
