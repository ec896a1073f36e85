"""One answered case → one result row: every metric, and a reason for every failure.

The row is plain JSON (a line of results.jsonl) so that reports, `compare` and the gate
work the same on a run that just finished and on one read back from disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.config import LLMSettings
from bot.evaluation import metrics
from bot.evaluation.runner import CaseRun

Result = dict[str, Any]

# Cut-off of hit@k, recall@k and nDCG@k: the sources an answer can show. Fixed, so that metric
# names (hit@5) stay the same in every baseline, gate and report.
K = 5
# The metrics a case must meet to pass; the others are aggregated and gated, not per case.
PASS_METRICS = (f"hit@{K}", "refusal_accuracy", "citation_validity", "must_include", "must_not_include", "language_match")


@dataclass(frozen=True)
class ScoringContext:
    """What scoring needs besides the case and its answer."""

    today: dt.date
    topics: dict[str, str]  # document id → its first topic
    llm: LLMSettings


def score(run: CaseRun, context: ScoringContext) -> Result:
    """The result row of one case run."""
    case, answer = run.case, run.answer
    k = K
    row: Result = {
        "id": case.id,
        "suite": case.suite,
        "group": case.group,
        "lang": case.lang,
        "topic": topic_of(case.expected_sources, case.expect, context.topics),
        "tags": list(case.tags),
        "severity": case.severity,
        "expect": case.expect,
        "quarantined": case.quarantined(context.today),
        "case_hash": case.content_hash,
        "repeat": run.repeat,
        "question": case.question,
        "expected_sources": list(case.expected_sources),
        "answer": "",
        "mode": None,
        "refusal_reason": None,
        "sources": [],
        "retrieved_ids": [],
        "metrics": {},
        "failures": [],
        "passed": False,
        "error": run.error,
        "latency_ms": round(run.seconds * 1000, 1),
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "cost_usd": 0.0,
    }
    if answer is None:
        row["failures"] = [run.error or "no answer"]
        return row
    retrieved = list(dict.fromkeys(hit.chunk.group_id for hit in answer.trace.contexts))
    numbered = {s.number: s.original_id for s in answer.sources}
    prompt_tokens = answer.trace.prompt_tokens
    completion_tokens = answer.trace.completion_tokens
    row |= {
        "answer": answer.text,
        "mode": answer.mode,
        "refusal_reason": answer.refusal_reason,
        "sources": [{"number": s.number, "id": s.id, "original_id": s.original_id, "title": s.title, "url": s.url} for s in answer.sources],
        "retrieved_ids": retrieved,
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "cost_usd": metrics.cost_usd(prompt_tokens, completion_tokens, context.llm.price_per_1k_prompt_usd, context.llm.price_per_1k_completion_usd),
    }
    values: dict[str, float | None] = {}
    failures: list[str] = []  # one reason for every metric below its best

    retrieval = metrics.retrieval_scores(retrieved, case.expected_sources, k=k)
    values |= {f"hit@{k}": None, f"recall@{k}": None, "mrr": None, f"ndcg@{k}": None}
    if retrieval is not None:
        values |= {f"hit@{k}": float(retrieval.hit), f"recall@{k}": retrieval.recall, "mrr": retrieval.mrr, f"ndcg@{k}": retrieval.ndcg}
        if retrieval.reason:
            failures.append(f"retrieval: {retrieval.reason}")

    values["refusal_accuracy"] = float(metrics.refusal_correct(case.expect, answer.mode))
    if not values["refusal_accuracy"]:
        failures.append(f"expected {'an' if case.expect == 'answer' else 'a'} {case.expect}, got {answer.mode} ({answer.refusal_reason or 'answered'})")

    # The pipeline strips citations that name no source before the user sees them; the
    # model still made them up, so they count here.
    cited = metrics.cited_numbers(answer.text) + list(answer.removed_citations)
    citations = metrics.citation_scores(cited, numbered, len(retrieved), case.expected_sources)
    values["citation_validity"] = float(citations.valid)
    values["citation_precision"] = citations.precision
    values["citation_recall"] = citations.recall
    if not citations.valid:
        failures.append(f"citations: {citations.reason}")

    included = metrics.includes(answer.text, case.must_include, case.must_not_include)
    values["must_include"] = float(included.include_ok) if case.must_include else None
    values["must_not_include"] = float(included.exclude_ok) if case.must_not_include else None
    if included.reason:
        failures.append(f"text: {included.reason}")

    language = metrics.language_match(answer.text, case.lang)
    values["language_match"] = float(language.ok)
    if not language.ok:
        failures.append(f"language: {language.reason}")

    grounding = metrics.numeric_grounding(answer.text, [hit.chunk.section_text or hit.chunk.text for hit in answer.trace.contexts])  # offline answers quote whole sections
    values["numeric_grounding"] = grounding.score
    if grounding.reason:
        failures.append(f"figures: {grounding.reason}")

    values["chrf"] = metrics.chrf(answer.text, case.reference) if case.reference and metrics.reply_kind(answer.mode) == "answer" else None
    row["metrics"] = values
    row["failures"] = failures
    row["passed"] = run.error is None and all(values.get(name) in (None, 1.0) for name in PASS_METRICS)
    return row


def topic_of(expected_sources: tuple[str, ...], expect: str, topics: dict[str, str]) -> str:
    """A case's topic is its first expected document's; refusals and greetings form their own."""
    if expect != "answer":
        return expect
    return next((topics[s] for s in expected_sources if s in topics), "other")
