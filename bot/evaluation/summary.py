"""Result rows → aggregate figures: overall, per language, per topic and per tag.

A metric's aggregate is the mean over the rows where it applies (None = not applicable).
Quarantined and crashed rows are counted but left out of the means, so a known failure
does not move the figures and an outage does not pass for a quality drop.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from bot.evaluation.metrics import RefusalCounts, refusal_counts
from bot.evaluation.records import BaselineRow, Counts, GroupFigures, Latency, ResultRow, RunMeta, RunSummary, Tokens
from bot.evaluation.suite import Severity

_Row = TypeVar("_Row", bound=BaselineRow)


def metric_means(rows: Iterable[BaselineRow]) -> dict[str, float]:
    """Mean of each metric over the rows where it applies, rounded for stable files."""
    values: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        for name, value in row.metrics.items():
            if value is not None:
                values[name].append(value)
    return {name: round(statistics.fmean(found), 4) for name, found in sorted(values.items())}


def counted(rows: Iterable[_Row]) -> list[_Row]:
    """The rows that count towards the figures: not quarantined, not crashed."""
    return [row for row in rows if row.counts]


def group_figures(rows: Sequence[ResultRow], key: Callable[[ResultRow], Iterable[str]]) -> dict[str, GroupFigures]:
    """Cases, passes and metric means per group (a row may belong to several, e.g. tags)."""
    groups: dict[str, list[ResultRow]] = defaultdict(list)
    for row in rows:
        for name in key(row):
            groups[name].append(row)
    return {
        name: GroupFigures(cases=len(members), passed=sum(r.passed for r in members), metrics=metric_means(counted(members)))
        for name, members in sorted(groups.items())
    }


def summarize(rows: Sequence[ResultRow], meta: RunMeta) -> RunSummary:
    """The summary.json of a run: `meta` (commit, hashes, mode) plus every aggregate."""
    scored = counted(rows)
    by_case: dict[str, list[ResultRow]] = defaultdict(list)
    for row in rows:
        by_case[row.id].append(row)
    latencies = sorted(row.latency_ms for row in rows)
    return RunSummary(
        **dict(meta),
        counts=Counts(
            cases=len(by_case),
            runs=len(rows),
            passed=sum(row.passed for row in scored),
            failed=sum(not row.passed for row in scored),
            errors=sum(row.error is not None for row in rows),
            quarantined=sum(row.quarantined for row in rows),
            critical_failed=len(critical_failures(rows)),
        ),
        overall=metric_means(scored),
        by_language=group_figures(rows, lambda r: [r.lang]),
        by_topic=group_figures(rows, lambda r: [r.topic]),
        by_tag=group_figures(rows, lambda r: r.tags),
        refusals=refusal_figures(scored),
        critical_failures=tuple(critical_failures(rows)),
        flaky=tuple(sorted(case for case, runs in by_case.items() if len({r.passed for r in runs}) > 1)),
        latency_ms=Latency(p50=_percentile(latencies, 50), p95=_percentile(latencies, 95)),
        tokens=Tokens(prompt=sum(r.prompt_tokens for r in rows), completion=sum(r.completion_tokens for r in rows)),
        cost_usd=round(sum(r.cost_usd for r in rows), 6),
    )


def refusal_figures(rows: Iterable[ResultRow]) -> RefusalCounts:
    """Refusals counted both ways: refused when it should have answered, and the reverse."""
    return refusal_counts((row.expect, row.mode or "") for row in rows)


def critical_failures(rows: Iterable[BaselineRow]) -> list[str]:
    """Ids of critical, non-quarantined cases that failed in any repeat."""
    return sorted({row.id for row in rows if row.severity == Severity.CRITICAL and not row.quarantined and not row.passed})


def _percentile(ordered: list[float], pct: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
