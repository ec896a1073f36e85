"""Answer every case through `Pipeline.answer`, the entry point the bot uses, a few at a time."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from tqdm import tqdm

from bot.domain import Answer, Notice, Question, Turn
from bot.evaluation.suite import Case
from bot.pipeline import Pipeline

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseRun:
    """One answer to one case (or why there is none: an infrastructure error)."""

    case: Case
    repeat: int
    answer: Answer | None
    error: str | None
    seconds: float


def question_of(case: Case, repeat: int, today: dt.date) -> Question:
    """The question as the Telegram layer would build it: the case's history and profile, the
    phone set to the case's language (a prior only where the message itself says nothing, such
    as emoji), and no language chosen with /lang; asked on the case's day, else on `today`."""
    history = tuple(Turn(question=t.question, answer=t.answer, lang=case.lang) for t in case.history)
    country, sector = (case.profile.country, case.profile.sector) if case.profile else (None, None)
    return Question(
        text=case.question,
        user_id=f"eval:{case.id}:{repeat}",
        client_lang=case.lang,
        country=country,
        sector=sector,
        history=history,
        today=case.today or today,
    )


async def run_cases(
    pipeline: Pipeline, cases: Sequence[Case], *, today: dt.date, repeat: int = 1, concurrency: int = 4, model_expected: bool = False
) -> list[CaseRun]:
    """Every case `repeat` times, `concurrency` at once, in a stable order, with a progress bar;
    each on its own day, else on `today` (never the calendar's).

    With `model_expected`, an answer that fell back to offline because the model server failed
    is an infrastructure error, not a quality result.
    """
    gate = asyncio.Semaphore(concurrency)
    jobs = [(case, r) for r in range(repeat) for case in cases]
    bar = tqdm(total=len(jobs), desc="cases", unit="case", leave=False, disable=None)

    async def one(case: Case, r: int) -> CaseRun:
        async with gate:
            started = time.perf_counter()
            answer: Answer | None = None
            error: str | None = None
            try:
                answer = await pipeline.answer(question_of(case, r, today))
            except Exception as exc:  # one broken case must not stop the run; it is reported
                logger.exception("case %s crashed", case.id)
                error = f"crashed: {type(exc).__name__}: {exc}"
            if answer is not None and model_expected and Notice.MODEL_FAILED in answer.notices:
                error = "the model server did not answer (the pipeline fell back to offline)"
            bar.update()
            return CaseRun(case, r, answer, error, time.perf_counter() - started)

    try:
        return list(await asyncio.gather(*(one(case, r) for case, r in jobs)))
    finally:
        bar.close()
