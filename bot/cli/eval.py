"""`greenbot eval`: run answer-quality suites, gate them against the baseline, compare runs.

Exit codes of `run --baseline` and `gate`: 0 passed, 1 quality regression, 2 infrastructure
error (a crash, a model server that did not answer, unreadable suites), 3 the baseline is out
of date (cases or settings changed: review and `bless`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli.app import ensure_index, eval_app, fail, settings_of
from bot.errors import GreenbotError
from bot.evaluation.layout import BASELINE_FILE, GATES_FILE, LATEST, RUNS_FOLDER

# Each command imports the evaluation machinery it uses when it runs: the metrics load the
# language models and the harness the pipeline, which `greenbot --help` has no need of.
if TYPE_CHECKING:
    from bot.config import Settings
    from bot.evaluation.harness import Selection
    from bot.evaluation.records import BaselineRow, GateVerdict, Provenance, ResultRow, RunSummary


SUITES = typer.Argument(None, help="Suite files; all of eval/suites/ when none is named.", show_default=False)
LANG = typer.Option([], "--lang", help="Only cases in this language (repeatable).")
TAG = typer.Option([], "--tag", help="Only cases with this tag (repeatable).")
CASE = typer.Option([], "--case", help="Only the case with this id (repeatable).")
REPEAT = typer.Option(1, "--repeat", min=1, help="Answer every case N times (finds flaky cases with a model).")
JUDGE = typer.Option(False, "--judge", help="Add model-judged metrics (needs a configured model; cached on disk).")
OUT = typer.Option(None, "--out", help="Run folder for results and reports.", show_default="eval/runs/<time>")
GATES = typer.Option(None, "--gates", help="Gates file.", show_default="eval/gates.yaml")


@eval_app.command("run")
def run(
    ctx: typer.Context,
    suites: list[Path] | None = SUITES,
    lang: list[str] = LANG,
    tag: list[str] = TAG,
    case: list[str] = CASE,
    repeat: int = REPEAT,
    judge: bool = JUDGE,
    out: Path | None = OUT,
    baseline: Path | None = typer.Option(None, "--baseline", help="Also gate the run against this baseline (exit codes as `gate`)."),
    gates: Path | None = GATES,
) -> None:
    """Run cases through the pipeline; write results.jsonl, summary.json, JUnit XML, Markdown and HTML."""
    settings = settings_of(ctx)
    selection = _selection(suites, lang, tag, case)
    summary, _ = _run_and_gate(settings, selection, repeat=repeat, judge=judge, out=out, baseline=baseline, gates=gates)
    if summary.gate:
        raise typer.Exit(summary.gate.exit_code)


@eval_app.command("gate")
def gate(
    ctx: typer.Context,
    suites: list[Path] | None = SUITES,
    lang: list[str] = LANG,
    out: Path | None = OUT,
    baseline: Path | None = typer.Option(None, "--baseline", help="Baseline file.", show_default="eval/baseline.json"),
    gates: Path | None = GATES,
) -> None:
    """Run the suites and check them against the baseline and the gates (the CI check)."""
    from bot.evaluation.records import EXIT_INFRASTRUCTURE

    settings = settings_of(ctx)
    try:
        summary, _ = _run_and_gate(settings, _selection(suites, lang), out=out, baseline=baseline or settings.paths.eval_dir / BASELINE_FILE, gates=gates)
    except GreenbotError as exc:  # nothing was measured: not a quality verdict
        fail(str(exc), EXIT_INFRASTRUCTURE)
    assert summary.gate is not None  # gated: a baseline was given
    raise typer.Exit(summary.gate.exit_code)


@eval_app.command("bless")
def bless(
    ctx: typer.Context,
    suites: list[Path] | None = SUITES,
    from_run: str | None = typer.Option(
        None, "--from", help="Bless this earlier run (a folder, a run name in eval/runs/, or latest) instead of running the suites again."
    ),
    baseline: Path | None = typer.Option(None, "--baseline", help="Baseline file to write.", show_default="eval/baseline.json"),
) -> None:
    """Make a run the new baseline, deliberately (review `compare` against the old one first)."""
    from bot.evaluation.records import EXIT_INFRASTRUCTURE
    from bot.evaluation.runs import find_run, read_rows, write_baseline

    settings = settings_of(ctx)
    target = baseline or settings.paths.eval_dir / BASELINE_FILE
    provenance: Provenance
    rows: Sequence[BaselineRow]
    if from_run is not None:
        provenance, rows = read_rows(find_run(from_run, settings.paths.eval_dir))
    else:
        provenance, rows = _run_and_gate(settings, _selection(suites), out=None, baseline=None, gates=None)
    if any(row.error for row in rows):
        fail("the run has infrastructure errors; fix them before blessing it", EXIT_INFRASTRUCTURE)
    write_baseline(target, provenance, rows)
    typer.echo(f"wrote {target}: {len({row.id for row in rows})} cases (commit {provenance.git_commit}); commit it with the change it measures")


@eval_app.command("compare")
def compare_runs(
    ctx: typer.Context,
    a: str = typer.Argument(BASELINE_FILE, help="The earlier run: a run folder or baseline file, a run name in eval/runs/, or latest."),
    b: str = typer.Argument(LATEST, help="The later run, named the same ways."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON, with every flipped case."),
) -> None:
    """Metric deltas between two runs, and the cases that flipped (improved, regressed, new, removed)."""
    from bot.evaluation.compare import compare, format_comparison
    from bot.evaluation.runs import find_run, read_rows

    eval_dir = settings_of(ctx).paths.eval_dir
    (_, rows_a), (_, rows_b) = read_rows(find_run(a, eval_dir)), read_rows(find_run(b, eval_dir))
    result = compare(rows_a, rows_b)
    typer.echo(result.model_dump_json(indent=2) if as_json else format_comparison(result))


@eval_app.command("check")
def check_suites(ctx: typer.Context, suites: list[Path] | None = SUITES) -> None:
    """Validate suites (fields, languages, known documents, unique ids) without running them."""
    from bot.evaluation.suite import load_suites, suite_files
    from bot.knowledge import load_folder

    settings = settings_of(ctx)

    known = {doc.meta.id for doc in load_folder(settings.paths.knowledge_dir).documents}
    cases = load_suites(suites or suite_files(settings.paths.eval_dir), known_sources=known)
    typer.echo(f"{len(cases)} cases OK in {len({c.suite for c in cases})} suite(s)")


@eval_app.command("from-feedback")
def from_feedback(
    ctx: typer.Context,
    feedback: Path = typer.Argument(..., help="JSONL from `greenbot feedback export --rating down`."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Draft suite to write.", show_default="eval/drafts/feedback-<date>.yaml"),
) -> None:
    """Turn 👎 feedback into draft cases for review (they are not run until moved to eval/suites/)."""
    from bot.evaluation.feedback_cases import draft_cases
    from bot.evaluation.suite import load_suites, suite_files

    settings = settings_of(ctx)
    existing = {case.id for case in load_suites(suite_files(settings.paths.eval_dir))}
    text, count = draft_cases(feedback, existing)
    target = out or settings.paths.eval_dir / "drafts" / f"feedback-{dt.date.today():%Y-%m-%d}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {count} draft case(s) to {target}; fill in expected_sources and must_include, then move them to eval/suites/")


def _run_and_gate(
    settings: Settings, selection: Selection, *, out: Path | None, baseline: Path | None, gates: Path | None, repeat: int = 1, judge: bool = False
) -> tuple[RunSummary, list[ResultRow]]:
    """Run the selected cases, gate them when a baseline is given, write the run folder, print the figures per language and the verdict."""
    from bot.evaluation.gates import check, load_gates
    from bot.evaluation.harness import evaluate, select_cases  # the pipeline, the retriever and the model client
    from bot.evaluation.reports import terminal_summary
    from bot.evaluation.runs import read_rows, write_run
    from bot.retrieval import open_retriever

    cases, topics, warnings = select_cases(settings, selection)
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)
    if not cases:
        raise GreenbotError("no case matches the selection")
    embeddings, model_name = ensure_index(settings)
    with open_retriever(settings, embeddings, model_name, owns_embeddings=True) as retriever:
        summary, rows = asyncio.run(evaluate(settings, retriever, cases, topics, repeat=repeat, judge=judge))
    verdict: GateVerdict | None = None
    if baseline is not None:
        verdict = check(rows, summary.settings_hash, read_rows(baseline), load_gates(gates or settings.paths.eval_dir / GATES_FILE))
        summary = summary.model_copy(update={"gate": verdict})
    folder = out or settings.paths.eval_dir / RUNS_FOLDER / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    write_run(folder, summary, rows)
    counts = summary.counts
    typer.echo(terminal_summary(summary))
    typer.echo(
        f"{counts.cases} cases ({summary.mode}): {counts.passed} passed, {counts.failed} failed, "
        f"{counts.errors} errors, {counts.quarantined} quarantined; report: {folder / 'report.html'}"
    )
    if verdict is not None:
        _print_verdict(verdict)
    return summary, rows


def _selection(suites: list[Path] | None, lang: Sequence[str] = (), tag: Sequence[str] = (), case: Sequence[str] = ()) -> Selection:
    from bot.evaluation.harness import Selection  # the harness loads the pipeline: only when a command runs cases

    return Selection(tuple(suites or ()), tuple(lang), tuple(tag), tuple(case))


def _print_verdict(verdict: GateVerdict) -> None:
    for error in verdict.errors:
        typer.echo(f"infrastructure error: {error}", err=True)
    if verdict.rebaseline:
        typer.echo(f"baseline out of date: {verdict.rebaseline}", err=True)
    for breach in verdict.breaches:
        typer.echo(f"gate breached: {breach}", err=True)
    typer.echo("gate: passed" if verdict.passed else f"gate: failed (exit {verdict.exit_code})")
