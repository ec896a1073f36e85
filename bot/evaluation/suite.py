"""Evaluation suites: YAML files of cases, validated with `file:line` errors.

A suite is a YAML list, one mapping per case. The field names follow RAGAS and DeepEval
(question ≈ user_input/input, reference ≈ reference/expected_output, expected_sources ≈
reference_context ids) so that exporting a suite to them is a rename, not a rewrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.domain import ASEAN_COUNTRIES, LANGUAGES, SECTORS
from bot.errors import EvaluationError

SUITES_FOLDER = "suites"
_ID = r"^[a-z0-9][a-z0-9-]*$"


class Expect(StrEnum):
    """The kind of reply a case expects; also what the bot did, in the same terms (`metrics.reply_kind`)."""

    ANSWER = "answer"
    REFUSAL = "refusal"  # out of scope, unsafe, prompt injection
    GREETING = "greeting"  # a hello or thank-you answered in kind


class Severity(StrEnum):
    """Critical cases must always pass; normal ones count towards the figures."""

    CRITICAL = "critical"
    NORMAL = "normal"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HistoryTurn(_Strict):
    """An earlier exchange of the conversation, given to the pipeline as history."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)


class CaseProfile(_Strict):
    """What the user told the bot about themselves (the bot's /profile)."""

    country: str | None = None
    sector: str | None = None

    @field_validator("country")
    @classmethod
    def _asean(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in ASEAN_COUNTRIES:
            raise ValueError(f"unknown country {value!r}; use an ASEAN code: {', '.join(ASEAN_COUNTRIES)}")
        return value.upper() if value else value

    @field_validator("sector")
    @classmethod
    def _sector(cls, value: str | None) -> str | None:
        if value is not None and value not in SECTORS:
            raise ValueError(f"unknown sector {value!r}; use one of: {', '.join(SECTORS)}")
        return value


class Quarantine(_Strict):
    """A known failure that runs and is reported but does not count, until it expires."""

    reason: str = Field(min_length=1)
    until: dt.date


class Case(_Strict):
    """One question with what a good answer must (and must not) contain."""

    id: str = Field(pattern=_ID)
    group: str = Field(pattern=_ID)  # the same question in other languages shares it
    lang: str
    question: str = Field(min_length=1)
    history: tuple[HistoryTurn, ...] = ()
    profile: CaseProfile | None = None
    expected_sources: tuple[str, ...] = ()  # English original document ids
    must_include: tuple[tuple[str, ...], ...] = ()  # every group matched by one of its alternatives
    must_not_include: tuple[str, ...] = ()
    must_not_cite: tuple[str, ...] = ()  # guides or programmes that must not be among the sources (a closed programme)
    today: dt.date | None = None  # the day the case is answered on (which programmes are open); default: the suite's day
    expect: Expect = Expect.ANSWER
    severity: Severity = Severity.NORMAL
    tags: tuple[str, ...] = ()
    reference: str | None = None
    quarantine: Quarantine | None = None
    suite: str = ""  # the file's stem, filled in by the loader
    line: int = 0  # where the case starts in its file, filled in by the loader

    @field_validator("lang")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; use one of: {', '.join(LANGUAGES)}")
        return value

    @field_validator("must_include")
    @classmethod
    def _groups_not_empty(cls, groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        if any(not group or not all(alt.strip() for alt in group) for group in groups):
            raise ValueError("every group needs at least one non-empty alternative")
        return groups

    @model_validator(mode="after")
    def _refusals_cite_nothing(self) -> Case:
        if self.expect != Expect.ANSWER and (self.expected_sources or self.must_include):
            raise ValueError(f"a {self.expect} case cannot expect sources or must_include text")
        return self

    def quarantined(self, today: dt.date) -> bool:
        """True while the quarantine has not expired."""
        return self.quarantine is not None and today <= self.quarantine.until

    @property
    def content_hash(self) -> str:
        """Changes when anything that defines the case changes (not where it sits in its file).
        Fields added since the first baseline count only when set, so that adding them changed
        no existing case's hash."""
        unset = {name for name in _LATER_FIELDS if getattr(self, name) == Case.model_fields[name].default}
        data = self.model_dump(mode="json", exclude={"line", "quarantine", *unset})
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


_LATER_FIELDS = ("must_not_cite", "today")


def suite_files(eval_dir: Path) -> list[Path]:
    """Every suite under `eval/suites/`, in name order."""
    return sorted((eval_dir / SUITES_FOLDER).glob("*.yaml"))


def load_suites(paths: Iterable[Path], known_sources: Collection[str] | None = None) -> list[Case]:
    """Read and check suites; raise one `EvaluationError` listing every problem as `file:line: message`.

    `known_sources` (document ids of the knowledge folder), when given, catches typos in
    `expected_sources`. Case ids must be unique across all the suites.
    """
    cases: list[Case] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        found, file_problems = _read_suite(path, known_sources)
        problems += file_problems
        for case in found:
            where = f"{path}:{case.line}"
            if case.id in seen:
                problems.append(f"{where}: duplicate case id {case.id!r} (first at {seen[case.id]})")
            seen.setdefault(case.id, where)
        cases += found
    if problems:
        raise EvaluationError(f"{len(problems)} problem(s) in the suites:\n" + "\n".join(problems))
    return cases


def _read_suite(path: Path, known_sources: Collection[str] | None) -> tuple[list[Case], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except OSError as exc:
        return [], [f"{path}:1: cannot read: {exc.strerror}"]
    except UnicodeDecodeError:
        return [], [f"{path}:1: not UTF-8 text"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [f"{path}:{mark.line + 1 if mark else 1}: invalid YAML: {getattr(exc, 'problem', exc)}"]
    if root is None:
        return [], [f"{path}:1: empty suite"]
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
        return [], [f"{path}:{root.start_mark.line + 1}: a suite is a YAML list of cases (- id: …)"]
    cases: list[Case] = []
    problems: list[str] = []
    for node, item in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(f"{path}:{line}: a case is a mapping of fields (id, lang, question, …)")
            continue
        try:
            case = Case.model_validate({**item, "suite": path.stem, "line": line})
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(part) for part in error["loc"]) or "case"
                problems.append(f"{path}:{_line_of(node, error['loc'])}: {field}: {error['msg']}")
            continue
        unknown = [s for s in case.expected_sources if known_sources is not None and s not in known_sources]
        if unknown:
            problems.append(f"{path}:{_line_of(node, ('expected_sources',))}: expected_sources: no knowledge document {', '.join(unknown)}")
        cases.append(case)
    return cases, problems


def _line_of(node: yaml.Node, loc: Sequence[int | str]) -> int:
    """The 1-based line of the value at `loc` (a pydantic error location) inside a case's node."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((value for key, value in node.value if key.value == part), None)
            if match is None:  # a missing field: point at the case
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return int(node.start_mark.line) + 1
