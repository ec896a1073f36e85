"""Two runs side by side: how each metric moved, and which cases flipped."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from bot.evaluation.records import BaselineRow
from bot.evaluation.summary import counted, metric_means
from bot.evaluation.tables import format_metric


class MetricDelta(BaseModel):
    """A metric in run A and in run B (None where it does not apply)."""

    model_config = ConfigDict(frozen=True)
    a: float | None
    b: float | None


class Comparison(BaseModel):
    """Metric deltas (overall and per language) and the cases that changed between A and B."""

    model_config = ConfigDict(frozen=True)
    deltas: dict[str, dict[str, MetricDelta]]  # scope → metric → figures
    improved: list[str]  # failed in A, passed in B
    regressed: list[str]  # passed in A, failed in B
    new: list[str]  # only in B
    removed: list[str]  # only in A


def compare(a: Sequence[BaselineRow], b: Sequence[BaselineRow]) -> Comparison:
    """A case passes when every repeat of it passed; figures count the rows each run counts."""
    passed_a, passed_b = _case_passes(a), _case_passes(b)
    scopes = {"overall": (counted(a), counted(b))}
    for lang in sorted({row.lang for row in [*a, *b]}):
        scopes[lang] = ([r for r in counted(a) if r.lang == lang], [r for r in counted(b) if r.lang == lang])
    deltas: dict[str, dict[str, MetricDelta]] = {}
    for scope, (rows_a, rows_b) in scopes.items():
        means_a, means_b = metric_means(rows_a), metric_means(rows_b)
        deltas[scope] = {m: MetricDelta(a=means_a.get(m), b=means_b.get(m)) for m in sorted(means_a.keys() | means_b.keys())}
    both = passed_a.keys() & passed_b.keys()
    return Comparison(
        deltas=deltas,
        improved=sorted(c for c in both if not passed_a[c] and passed_b[c]),
        regressed=sorted(c for c in both if passed_a[c] and not passed_b[c]),
        new=sorted(passed_b.keys() - passed_a.keys()),
        removed=sorted(passed_a.keys() - passed_b.keys()),
    )


def format_comparison(result: Comparison, *, shown: int = 10) -> str:
    """Plain text for the terminal: changed figures first, then the flipped cases, at most `shown` named per list."""
    lines: list[str] = []
    for scope, figures in result.deltas.items():
        changed = [(m, d.a, d.b) for m, d in figures.items() if d.a != d.b]
        if not changed:
            continue
        if all(a is None for _, a, _ in changed) or all(b is None for _, _, b in changed):  # a language only one run has
            lines.append(f"{scope}: only in {'the second' if changed[0][1] is None else 'the first'} run")
            continue
        lines.append(f"{scope}:")
        for name, a, b in changed:
            delta = f"{(b - a) * (1 if name == 'chrf' else 100):+.1f}" if a is not None and b is not None else "n/a"
            lines.append(f"  {name:20} {format_metric(name, a):>8} → {format_metric(name, b):>8}  ({delta}{'' if name == 'chrf' else ' pts'})")
    if not lines:
        lines.append("no metric changed")
    for label, cases in (("regressed", result.regressed), ("improved", result.improved), ("new", result.new), ("removed", result.removed)):
        lines.append(f"{label} ({len(cases)}): {_names(cases, shown)}")
    return "\n".join(lines)


def _names(cases: list[str], shown: int) -> str:
    """The first `shown` case ids, and how many more there are (a suite added or removed is hundreds)."""
    if not cases:
        return "–"
    more = f" and {len(cases) - shown} more" if len(cases) > shown else ""
    return ", ".join(cases[:shown]) + more


def _case_passes(rows: Sequence[BaselineRow]) -> dict[str, bool]:
    runs: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        runs[row.id].append(row.passed and row.error is None)
    return {case: all(results) for case, results in runs.items()}
