"""One answered case → one result row: every metric, and a reason for every failure.

Each family of metrics (retrieval, reply kind, citations, content, language, figures, chrF)
is one small function from the case and its answer to the family's values and, when one is
below its best, the reason; `score` only puts the row together. The row is a `ResultRow` (a
line of results.jsonl), so that reports, `compare` and the gate work the same on a run that
just finished and on one read back from disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.config import LLMSettings
from bot.domain import Answer
from bot.evaluation import metrics
from bot.evaluation.records import ResultRow, SourceRow
from bot.evaluation.runner import CaseRun
from bot.evaluation.suite import Case, Expect

# Cut-off of hit@k, recall@k and nDCG@k: the sources an answer can show. Fixed, so that metric
# names (hit@5) stay the same in every baseline, gate and report.
K = 5
# The metrics a case must meet to pass; the others are aggregated and gated, not per case.
PASS_METRICS = (f"hit@{K}", "refusal_accuracy", "citation_validity", "must_include", "must_not_include", "must_not_cite", "language_match")


@dataclass(frozen=True)
class ScoringContext:
    """What scoring needs besides the case and its answer."""

    today: dt.date
    topics: dict[str, str]  # document id → its first topic
    llm: LLMSettings


def score(run: CaseRun, context: ScoringContext) -> ResultRow:
    """The result row of one case run."""
    answer = run.answer
    if answer is None:
        return _row(run, context, metrics={}, failures=(run.error or "no answer",), passed=False)
    values: dict[str, float | None] = {}
    failures: list[str] = []  # one reason for every metric below its best
    for family in _FAMILIES:
        scored = family(run.case, answer)
        values |= scored.values
        if scored.failure:
            failures.append(scored.failure)
    prompt_tokens = answer.trace.prompt_tokens
    completion_tokens = answer.trace.completion_tokens
    return _row(
        run,
        context,
        answer=answer.text,
        mode=answer.mode,
        refusal_reason=answer.refusal_reason,
        sources=tuple(SourceRow(number=s.number, id=s.id, original_id=s.original_id, title=s.title, url=s.url) for s in answer.sources),
        retrieved_ids=_retrieved(answer),
        metrics=values,
        failures=tuple(failures),
        passed=run.error is None and all(values.get(name) in (None, 1.0) for name in PASS_METRICS),
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=metrics.cost_usd(prompt_tokens, completion_tokens, context.llm.price_per_1k_prompt_usd, context.llm.price_per_1k_completion_usd),
    )


def _row(run: CaseRun, context: ScoringContext, **outcome: Any) -> ResultRow:
    """A result row: what the case is and how long it took, with `outcome` (the answer and its scores)."""
    case = run.case
    return ResultRow(
        id=case.id,
        suite=case.suite,
        group=case.group,
        lang=case.lang,
        topic=topic_of(case.expected_sources, case.expect, context.topics),
        tags=case.tags,
        severity=case.severity,
        expect=case.expect,
        quarantined=case.quarantined(context.today),
        case_hash=case.content_hash,
        repeat=run.repeat,
        question=case.question,
        expected_sources=case.expected_sources,
        error=run.error,
        latency_ms=round(run.seconds * 1000, 1),
        **outcome,
    )


@dataclass(frozen=True)
class _Family:
    """The values of one family of metrics and, when one is below its best, why."""

    values: Mapping[str, float | None]
    failure: str = ""


def _retrieved(answer: Answer) -> tuple[str, ...]:
    """The documents the answer was built from, each once, in rank order."""
    return tuple(dict.fromkeys(hit.chunk.group_id for hit in answer.trace.contexts))


def _retrieval(case: Case, answer: Answer) -> _Family:
    scores = metrics.retrieval_scores(_retrieved(answer), case.expected_sources, k=K)
    if scores is None:  # nothing expected: a refusal or a greeting
        return _Family({f"hit@{K}": None, f"recall@{K}": None, "mrr": None, f"ndcg@{K}": None})
    values = {f"hit@{K}": float(scores.hit), f"recall@{K}": scores.recall, "mrr": scores.mrr, f"ndcg@{K}": scores.ndcg}
    return _Family(values, f"retrieval: {scores.reason}" if scores.reason else "")


def _reply_kind(case: Case, answer: Answer) -> _Family:
    if metrics.refusal_correct(case.expect, answer.mode):
        return _Family({"refusal_accuracy": 1.0})
    article = "an" if case.expect == Expect.ANSWER else "a"
    return _Family({"refusal_accuracy": 0.0}, f"expected {article} {case.expect}, got {answer.mode} ({answer.refusal_reason or 'answered'})")


def _citations(case: Case, answer: Answer) -> _Family:
    # The pipeline strips citations that name no source before the user sees them; the
    # model still made them up, so they count here.
    cited = metrics.cited_numbers(answer.text) + list(answer.removed_citations)
    numbered = {s.number: s.original_id for s in answer.sources}
    scores = metrics.citation_scores(cited, numbered, len(_retrieved(answer)), case.expected_sources)
    values = {"citation_validity": float(scores.valid), "citation_precision": scores.precision, "citation_recall": scores.recall}
    return _Family(values, "" if scores.valid else f"citations: {scores.reason}")


def _content(case: Case, answer: Answer) -> _Family:
    included = metrics.includes(answer.text, case.must_include, case.must_not_include)
    cited = sorted({s.original_id for s in answer.sources} & set(case.must_not_cite))
    values = {
        "must_include": float(included.include_ok) if case.must_include else None,
        "must_not_include": float(included.exclude_ok) if case.must_not_include else None,
        "must_not_cite": float(not cited) if case.must_not_cite else None,
    }
    reasons = [f"text: {included.reason}" if included.reason else "", f"sources: {cited} must not be cited" if cited else ""]
    return _Family(values, "; ".join(r for r in reasons if r))


def _language(case: Case, answer: Answer) -> _Family:
    language = metrics.language_match(answer.text, case.lang)
    return _Family({"language_match": float(language.ok)}, "" if language.ok else f"language: {language.reason}")


def _figures(case: Case, answer: Answer) -> _Family:
    # offline answers quote whole sections; programme cards are sources too
    contexts = [hit.chunk.section_text or hit.chunk.text for hit in answer.trace.contexts] + list(answer.trace.cards)
    grounding = metrics.numeric_grounding(answer.text, contexts)
    return _Family({"numeric_grounding": grounding.score}, f"figures: {grounding.reason}" if grounding.reason else "")


def _chrf(case: Case, answer: Answer) -> _Family:
    if not case.reference or metrics.reply_kind(answer.mode) != Expect.ANSWER:
        return _Family({"chrf": None})
    return _Family({"chrf": metrics.chrf(answer.text, case.reference)})


# In the order of the row's metrics and of its failure reasons.
_FAMILIES: tuple[Callable[[Case, Answer], _Family], ...] = (_retrieval, _reply_kind, _citations, _content, _language, _figures, _chrf)


def topic_of(expected_sources: tuple[str, ...], expect: Expect, topics: dict[str, str]) -> str:
    """A case's topic is its first expected document's; refusals and greetings form their own."""
    if expect != Expect.ANSWER:
        return expect.value
    return next((topics[s] for s in expected_sources if s in topics), "other")
