"""Scoring one answered case: each metric family gives its values, and a reason when one fails."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.config import LLMSettings
from bot.domain import Answer, AnswerMode, Chunk, CitedSource, ScoredChunk, Trace
from bot.evaluation.records import Outcome
from bot.evaluation.runner import CaseRun
from bot.evaluation.scoring import ScoringContext, score
from bot.evaluation.suite import Case

CONTEXT = ScoringContext(today=dt.date(2026, 11, 23), topics={"led-lighting": "energy-efficiency"}, llm=LLMSettings())
SECTION = "LED lamps use up to 90% less electricity than old bulbs."
CASE = Case(
    id="led-en",
    group="led",
    lang="en",
    question="How much do LED lamps save?",
    expected_sources=("led-lighting",),
    must_include=(("90%",),),
    reference=SECTION,
    suite="core",
)


def _answer(text: str, *, mode: AnswerMode = AnswerMode.OFFLINE, cited: tuple[str, ...] = ("led-lighting",)) -> Answer:
    chunk = Chunk(
        id="c1",
        doc_id="led-lighting",
        group_id="led-lighting",
        lang="en",
        title="LED",
        section="Savings",
        text=SECTION,
        path="en/led-lighting.md",
        section_text=SECTION,
    )
    sources = tuple(CitedSource(number=n, id=doc, original_id=doc, title=doc, url=f"https://example.org/{doc}", snippet="") for n, doc in enumerate(cited, 1))
    return Answer(text=text, language="en", mode=mode, sources=sources, trace=Trace(contexts=(ScoredChunk(chunk=chunk, score=1.0),)))


def test_a_good_answer_passes_with_every_family_scored() -> None:
    row = score(CaseRun(CASE, 0, _answer("LED lamps use up to 90% less electricity [1]."), None, 0.05), CONTEXT)
    assert row.outcome == Outcome.PASSED and row.failures == () and row.topic == "energy-efficiency"
    assert list(row.metrics) == [
        "hit@5",
        "recall@5",
        "mrr",
        "ndcg@5",
        "refusal_accuracy",
        "citation_validity",
        "citation_precision",
        "citation_recall",
        "must_include",
        "must_not_include",
        "must_not_cite",
        "language_match",
        "numeric_grounding",
        "chrf",
    ]
    assert (
        row.metrics["must_not_include"] is None
        and row.metrics["must_not_cite"] is None
        and row.metrics["numeric_grounding"] == 1.0
        and row.metrics["chrf"] is not None
    )
    assert row.latency_ms == 50.0 and row.retrieved_ids == ("led-lighting",) and row.sources[0].url == "https://example.org/led-lighting"


def test_each_failing_family_says_why_in_order() -> None:
    row = score(CaseRun(CASE, 0, _answer("Lamps use 75% less power [3].", mode=AnswerMode.REFUSAL), None, 0.05), CONTEXT)
    assert not row.passed and row.outcome == Outcome.FAILED
    assert [reason.split(":")[0] for reason in row.failures] == ["expected an answer, got refusal (answered)", "citations", "text", "figures"]
    assert row.metrics["chrf"] is None  # a refusal is not compared with the reference


def test_a_crashed_case_is_an_error_row_with_no_metrics() -> None:
    row = score(CaseRun(CASE, 1, None, "crashed: RuntimeError: boom", 0.01), CONTEXT)
    assert row.outcome == Outcome.ERROR and row.failures == ("crashed: RuntimeError: boom",) and row.metrics == {} and row.mode is None


def test_a_closed_programme_among_the_sources_fails_the_case_and_its_cards_ground_figures() -> None:
    case = CASE.model_copy(update={"must_not_cite": ("sg-energy-efficiency-grant",), "today": dt.date(2027, 4, 1)})
    offered = _answer("LED lamps use up to 90% less electricity [1]. A grant pays up to S$30,000 [2].", cited=("led-lighting", "sg-energy-efficiency-grant"))
    carded = dataclasses.replace(offered, trace=dataclasses.replace(offered.trace, cards=("Up to S$30,000 per company.",)))
    row = score(CaseRun(case, 0, carded, None, 0.05), CONTEXT)
    assert row.metrics["must_not_cite"] == 0.0 and not row.passed
    assert row.failures == ("sources: ['sg-energy-efficiency-grant'] must not be cited",)
    assert row.metrics["numeric_grounding"] == 1.0  # S$30,000 is on the card the answer cites
    clean = score(CaseRun(case, 0, _answer("LED lamps use up to 90% less electricity [1]."), None, 0.05), CONTEXT)
    assert clean.metrics["must_not_cite"] == 1.0 and clean.passed
