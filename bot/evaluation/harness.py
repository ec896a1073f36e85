"""One evaluation run: cases in, result rows and a summary out.

Cases go through the same `Services` and `Pipeline.answer` as the bot's messages; only the
conversation database is a throw-away one, so an evaluation never writes into the bot's.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.evaluation.judge import Judge
from bot.evaluation.records import ResultRow, RunSummary
from bot.evaluation.runner import run_cases
from bot.evaluation.runs import run_metadata
from bot.evaluation.scoring import ScoringContext, score
from bot.evaluation.suite import Case, load_suites, suite_files
from bot.evaluation.summary import summarize
from bot.knowledge import load_folder
from bot.retrieval import HybridRetriever
from bot.services import Services


@dataclass(frozen=True)
class Selection:
    """Which cases to run: the named suites (all of eval/suites/ when none), filtered."""

    suites: tuple[Path, ...] = ()
    langs: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    case_ids: tuple[str, ...] = ()


def select_cases(settings: Settings, selection: Selection) -> tuple[list[Case], dict[str, str], list[str]]:
    """The selected cases, each document's topic, and warnings about expected sources that no
    longer exist. Those cases still run (and fail retrieval): a removed knowledge file is a
    regression for the gate to report, not a broken suite."""
    folder = load_folder(settings.paths.knowledge_dir)
    topics = {doc.meta.id: doc.meta.topics[0] for doc in folder.documents if doc.meta.topics}
    known = {doc.meta.id for doc in folder.documents}
    cases = load_suites(selection.suites or suite_files(settings.paths.eval_dir))
    chosen = [
        case
        for case in cases
        if (not selection.langs or case.lang in selection.langs)
        and (not selection.tags or set(selection.tags) & set(case.tags))
        and (not selection.case_ids or case.id in selection.case_ids)
    ]
    warnings = [
        f"{case.suite}.yaml:{case.line}: {case.id} expects {source}, which is not in the knowledge folder"
        for case in chosen
        for source in case.expected_sources
        if source not in known
    ]
    return chosen, topics, warnings


async def evaluate(
    settings: Settings,
    retriever: HybridRetriever,
    cases: Sequence[Case],
    topics: dict[str, str],
    *,
    repeat: int = 1,
    judge: bool = False,
) -> tuple[RunSummary, list[ResultRow]]:
    """Answer and score every case; with `judge`, add the model-judged metrics."""
    suites = sorted({case.suite for case in cases})
    with tempfile.TemporaryDirectory(prefix="greenbot-eval-") as scratch:
        scratch_settings = settings.model_copy(update={"paths": settings.paths.model_copy(update={"data_dir": Path(scratch)})})
        services = await Services.open(scratch_settings, retriever)
        try:
            evaluation = settings.evaluation
            runs = await run_cases(
                services.pipeline, cases, today=evaluation.today, repeat=repeat, concurrency=evaluation.concurrency, model_expected=settings.llm.configured
            )
        finally:
            await services.close()
    context = ScoringContext(today=dt.date.today(), topics=topics, llm=settings.llm)
    rows = [score(run, context) for run in runs]
    if judge:
        judging = Judge(settings, settings.paths.data_dir / "judge-cache")
        try:
            rows = await judging.add_scores(runs, rows, concurrency=settings.evaluation.concurrency)
        finally:
            await judging.aclose()
    return summarize(rows, run_metadata(settings, suites, [case.content_hash for case in cases], judge)), rows
