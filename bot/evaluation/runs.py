"""Runs on disk: the run folder (results.jsonl, summary.json, reports) and the baseline file.

`compare` and the gate read either: a run folder or a baseline file holds the same rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from bot.config import Settings
from bot.errors import EvaluationError
from bot.evaluation.layout import LATEST, RUNS_FOLDER
from bot.evaluation.records import Baseline, BaselineRow, Provenance, ResultRow, RunMeta, RunMode, RunSummary
from bot.evaluation.reports import write_reports

RESULTS_FILE = "results.jsonl"
SUMMARY_FILE = "summary.json"

_T = TypeVar("_T")


def run_metadata(settings: Settings, suites: list[str], case_hashes: list[str], judge: bool) -> RunMeta:
    """Where a run came from: commit, mode, model, and the hashes that make runs comparable."""
    llm = settings.llm
    mode: RunMode = "replay" if llm.replay_file else "llm" if llm.configured else "offline"
    model = llm.answer_model if mode != "offline" else None
    judge_model = (settings.evaluation.judge_model or llm.answer_model) if judge else None
    # The settings hash covers what is being measured with (mode, models, cut-off), not what is
    # being tuned (prompts, retrieval, knowledge): changing those is what the gate is for.
    measured = {
        "mode": mode,
        "model": model,
        "utility_model": llm.utility_model if model else None,
        "temperature": llm.temperature if model else None,
        "judge_model": judge_model,
    }
    return RunMeta(
        created=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        git_commit=git_commit(),
        mode=mode,
        model=model,
        judge=judge,
        suites=tuple(suites),
        settings_hash=_hash(json.dumps(measured, sort_keys=True)),
        suite_hash=_hash("".join(sorted(case_hashes))),
        prompts_hash=folder_hash(settings.paths.prompts_dir),
        knowledge_hash=folder_hash(settings.paths.knowledge_dir),
    )


def write_run(out_dir: Path, summary: RunSummary, rows: Sequence[ResultRow]) -> list[Path]:
    """Write every file of a run folder; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results = out_dir / RESULTS_FILE
    results.write_text("".join(json.dumps(row.model_dump(mode="json"), ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    summary_path = out_dir / SUMMARY_FILE
    summary_path.write_text(json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [results, summary_path, *write_reports(out_dir, summary, rows)]


def write_baseline(path: Path, provenance: Provenance, rows: Sequence[BaselineRow]) -> None:
    """The committed baseline: the run's provenance and a slim copy of every row."""
    baseline = Baseline(**{name: getattr(provenance, name) for name in Provenance.model_fields}, results=tuple(rows))
    path.write_text(json.dumps(baseline.model_dump(mode="json"), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read_run(folder: Path) -> tuple[RunSummary, list[ResultRow]]:
    """The summary and the rows of a run folder."""

    def parse() -> tuple[RunSummary, list[ResultRow]]:
        summary = RunSummary.model_validate_json((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
        lines = (folder / RESULTS_FILE).read_text(encoding="utf-8").splitlines()
        return summary, [ResultRow.model_validate_json(line) for line in lines if line.strip()]

    return _parsed(folder, parse)


def read_rows(path: Path) -> tuple[Provenance, list[BaselineRow]]:
    """(provenance, rows) of a run folder or a baseline file."""
    if path.is_dir():
        summary, rows = read_run(path)
        return summary, list(rows)
    baseline = _parsed(path, lambda: Baseline.model_validate_json(path.read_text(encoding="utf-8")))
    return baseline, list(baseline.results)


def find_run(name: str, eval_dir: Path) -> Path:
    """A run folder or baseline file named by its path, by its name under eval/ or eval/runs/, or `latest`.

    `latest` is the run created last (by its summary's `created`, to the second, then by when its
    summary was written, then by folder name), so a run written with `--out` into eval/runs/ counts too.
    """
    runs = eval_dir / RUNS_FOLDER
    if name == LATEST:
        created = {summary.parent: _created(summary.parent) for summary in runs.glob(f"*/{SUMMARY_FILE}")}
        if not created:
            raise EvaluationError(f"no run in {runs} yet: `greenbot eval run` writes one")
        return max(created, key=lambda folder: (created[folder], (folder / SUMMARY_FILE).stat().st_mtime_ns, folder.name))
    for path in (Path(name), eval_dir / name, runs / name):
        if path.exists():
            return path
    raise EvaluationError(f"{name}: no such run folder or baseline file (give a path, a run name in {runs}, or {LATEST})")


def _created(folder: Path) -> str:
    """When the run in `folder` was created; "" when its summary cannot be read (it sorts first)."""
    try:
        return Provenance.model_validate_json((folder / SUMMARY_FILE).read_text(encoding="utf-8")).created
    except (OSError, ValidationError):
        return ""


def _parsed(path: Path, parse: Callable[[], _T]) -> _T:
    """What `parse` reads from `path`, or one line saying why it cannot be read."""
    try:
        return parse()
    except OSError as exc:
        raise EvaluationError(f"{path}: not a run folder or baseline file: {exc.strerror or exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EvaluationError(f"{path}: not a run folder or baseline file: {where + ': ' if where else ''}{first['msg']}") from exc


def git_commit() -> str | None:
    """The checked-out commit (with "+dirty" when files changed), or None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def folder_hash(folder: Path) -> str:
    """A hash of every file under `folder` (names and contents)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
