"""The files of a run as typed records: a line of results.jsonl, summary.json and baseline.json.

The field names are the files' keys, so a record dumped with `model_dump(mode="json")` is the
JSON it was read from; run folders and baselines written before these models load unchanged.
A baseline row is the slim part of a result row that recomputing figures and flips needs,
so everything that only compares figures (the gate, `compare`) takes baseline rows and works
on both files.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from bot.domain import AnswerMode, RefusalReason
from bot.evaluation.metrics import RefusalCounts
from bot.evaluation.suite import Expect, Severity

RunMode = Literal["offline", "llm", "replay"]
"""How the answers were made: quoted from the guides, by a model, or replayed from a recording."""

EXIT_PASSED, EXIT_REGRESSION, EXIT_INFRASTRUCTURE, EXIT_REBASELINE = 0, 1, 2, 3


class Outcome(StrEnum):
    """What a result means for a reader; an error says the case could not be judged at all."""

    PASSED = "passed"
    FAILED = "failed"
    QUARANTINED = "quarantined"  # failed, but a known failure that does not count
    ERROR = "error"  # the case crashed or the model server failed


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class SourceRow(_Record):
    """A numbered source the answer showed."""

    number: int
    id: str
    original_id: str
    title: str
    url: str


class BaselineRow(_Record):
    """What the baseline keeps of a result: enough to recompute figures and flips, not the answers."""

    id: str
    suite: str
    lang: str
    topic: str
    tags: tuple[str, ...]
    severity: Severity
    quarantined: bool
    case_hash: str
    repeat: int
    passed: bool
    error: str | None
    metrics: dict[str, float | None]  # None: the metric does not apply to this case

    @property
    def counts(self) -> bool:
        """Whether the row counts towards the figures: not quarantined, not crashed."""
        return not self.quarantined and self.error is None


class ResultRow(BaselineRow):
    """One answered case: a line of results.jsonl."""

    group: str
    expect: Expect
    question: str
    expected_sources: tuple[str, ...]
    answer: str = ""
    mode: AnswerMode | None = None  # how the pipeline answered; None when the case crashed
    refusal_reason: RefusalReason | None = None
    sources: tuple[SourceRow, ...] = ()
    retrieved_ids: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()  # one reason for every metric below its best
    latency_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def outcome(self) -> Outcome:
        """An error outranks everything: it says the case could not be judged, not that it was bad."""
        if self.error:
            return Outcome.ERROR
        if self.passed:
            return Outcome.PASSED
        return Outcome.QUARANTINED if self.quarantined else Outcome.FAILED


class Provenance(_Record):
    """Where a run came from, and the hashes that tell whether two runs can be compared."""

    created: str
    git_commit: str | None
    mode: RunMode
    model: str | None
    settings_hash: str
    suite_hash: str
    prompts_hash: str
    knowledge_hash: str


class RunMeta(Provenance):
    """The provenance of a run with what was asked of it."""

    judge: bool
    suites: tuple[str, ...]


class Counts(_Record):
    """How many cases and runs there were, and how they came out."""

    cases: int
    runs: int
    passed: int
    failed: int
    errors: int
    quarantined: int
    critical_failed: int


class GroupFigures(_Record):
    """Cases, passes and metric means of one language, topic or tag."""

    cases: int
    passed: int
    metrics: dict[str, float]

    @property
    def pass_rate(self) -> float:
        """Share of the group's runs that passed."""
        return self.passed / self.cases if self.cases else 0.0


class Latency(_Record):
    """Per-case latency percentiles in milliseconds."""

    p50: float
    p95: float


class Tokens(_Record):
    """Tokens spent by the whole run."""

    prompt: int
    completion: int


class GateVerdict(BaseModel):
    """What the gate found; `exit_code` is what `greenbot eval gate` exits with."""

    model_config = ConfigDict(frozen=True)
    breaches: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    rebaseline: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exit_code(self) -> int:
        if self.errors:
            return EXIT_INFRASTRUCTURE
        if self.rebaseline:
            return EXIT_REBASELINE
        return EXIT_REGRESSION if self.breaches else EXIT_PASSED

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return self.exit_code == EXIT_PASSED


class RunSummary(RunMeta):
    """summary.json: the run's provenance and every aggregate."""

    counts: Counts
    overall: dict[str, float]
    by_language: dict[str, GroupFigures]
    by_topic: dict[str, GroupFigures]
    by_tag: dict[str, GroupFigures]
    refusals: RefusalCounts | None = None  # runs from before refusals were counted both ways lack it
    critical_failures: tuple[str, ...]
    flaky: tuple[str, ...]
    latency_ms: Latency
    tokens: Tokens
    cost_usd: float
    gate: GateVerdict | None = None  # set when the run was gated


class Baseline(Provenance):
    """eval/baseline.json: the blessed run's provenance and a slim copy of each of its rows."""

    results: tuple[BaselineRow, ...]
