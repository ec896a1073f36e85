"""A run's figures as formatted tables, shared by the reports and the terminal.

Cells are formatted once here, so the Markdown summary, the HTML page and `greenbot eval run`
show the same numbers. In a table of groups (languages, topics, tags) the lowest figure of each
column is marked as the worst, wherever the groups differ, and a pass rate carries a band
(good, fair, poor) that the page colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.evaluation.records import GroupFigures, RunSummary

MAIN_METRICS = ("hit@5", "mrr", "must_include", "language_match", "refusal_accuracy", "numeric_grounding", "citation_validity", "chrf")
PASS_RATE = "pass rate"
WORST_MARK = "▼"
_UNSCALED = frozenset({"chrf"})
"""Metrics reported on their own scale (chrF is 0..100) rather than as a fraction."""

Band = Literal["good", "fair", "poor", ""]
_BANDS: tuple[tuple[float, Band], ...] = ((0.9, "good"), (0.75, "fair"))
"""Lowest pass rate of each band, best first; anything lower is poor. For reading, not gated."""


@dataclass(frozen=True)
class Cell:
    """A formatted figure, whether it is the lowest of its column, and a pass rate's band."""

    text: str
    worst: bool = False
    band: Band = ""


@dataclass(frozen=True)
class Table:
    """A header and rows of cells; each row starts with its name (a metric, a language, a topic)."""

    header: list[str]
    rows: list[list[Cell]]


def format_metric(name: str, value: float | None) -> str:
    """A metric as people read it: "93.4%" for fractions, "41.2" for chrF, "–" when not applicable."""
    if value is None:
        return "–"
    return f"{value:.1f}" if name in _UNSCALED else f"{value * 100:.1f}%"


def overall_table(summary: RunSummary) -> Table:
    """Every metric of the run, one per row."""
    return Table(["metric", "value"], [[Cell(name), Cell(format_metric(name, value))] for name, value in summary.overall.items()])


def group_table(label: str, groups: Mapping[str, GroupFigures]) -> Table:
    """One row per group (language, topic or tag): cases, passes, pass rate and the main metrics.

    A main metric gets a column when some group has a value for it.
    """
    columns = [m for m in MAIN_METRICS if any(group.metrics.get(m) is not None for group in groups.values())]
    figures = {key: [group.pass_rate, *(group.metrics.get(m) for m in columns)] for key, group in groups.items()}
    lowest = [_lowest(column) for column in zip(*figures.values(), strict=True)] if figures else []
    rows = []
    for key, group in groups.items():
        values = figures[key]
        rows.append(
            [
                Cell(key),
                Cell(str(group.cases)),
                Cell(str(group.passed)),
                Cell(format_metric(PASS_RATE, group.pass_rate), worst=group.pass_rate == lowest[0], band=_band(group.pass_rate)),
                *(Cell(format_metric(m, v), worst=v is not None and v == low) for m, v, low in zip(columns, values[1:], lowest[1:], strict=True)),
            ]
        )
    return Table([label, "cases", "passed", PASS_RATE, *columns], rows)


def text_table(table: Table) -> str:
    """The table as aligned plain text, the worst figures followed by ▼, and a line saying what ▼ means.

    Columns whose figure is the same in every row are said once below the table instead, so the
    per-language table fits a terminal.
    """
    same = [i for i in range(3, len(table.header)) if len(table.rows) > 1 and len({row[i].text for row in table.rows}) == 1]
    shown = [i for i in range(len(table.header)) if i not in same]
    marked = {i for i in shown if any(row[i].worst for row in table.rows)}  # their figures keep a slot for the mark, so they stay aligned
    texts = [[table.header[i] for i in shown], *([_text_cell(row[i], i in marked) for i in shown] for row in table.rows)]
    widths = [max(len(line[c]) for line in texts) for c in range(len(shown))]
    lines = ["  ".join(text.ljust(w) if c == 0 else text.rjust(w) for c, (text, w) in enumerate(zip(line, widths, strict=True))).rstrip() for line in texts]
    if any(cell.worst for row in table.rows for cell in row):
        lines.append(f"{WORST_MARK} the lowest figure of its column")
    if same:
        lines.append(f"the same in every {table.header[0]}: " + ", ".join(f"{table.header[i]} {table.rows[0][i].text}" for i in same))
    return "\n".join(lines)


def _text_cell(cell: Cell, marked_column: bool) -> str:
    if not marked_column:
        return cell.text
    return f"{cell.text} {WORST_MARK if cell.worst else ' '}"


def _lowest(values: tuple[float | None, ...]) -> float | None:
    """The lowest figure of a column, or None when the groups do not differ (nothing is worst)."""
    present = [value for value in values if value is not None]
    return min(present) if len(set(present)) > 1 else None


def _band(rate: float) -> Band:
    return next((band for floor, band in _BANDS if rate >= floor), "poor")
