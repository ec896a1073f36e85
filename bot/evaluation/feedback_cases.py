"""`greenbot eval from-feedback`: users' 👎 answers become draft cases for an evaluator to finish.

A draft holds what the user asked and, as comments, what the bot answered, why the user
disliked it and which sources it cited. It is a valid case already, so `greenbot eval check`
reads it; an evaluator adds expected_sources and must_include before moving it to eval/suites/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from bot.errors import EvaluationError
from bot.evaluation.matching import comparable
from bot.evaluation.suite import Expect, Severity

_HEADER = """\
# Draft cases from 👎 feedback (greenbot eval from-feedback, {date}).
# For each: set expected_sources and must_include (what a good answer must say), or make it
# `expect: refusal`; then move it to a suite in eval/suites/ and run `greenbot eval bless`.
"""


class FeedbackItem(BaseModel):
    """A line of `greenbot feedback export`: one rating of one answer (no user id)."""

    id: int
    created_at: str
    question: str
    answer: str
    lang: str
    mode: str
    source_ids: list[str]
    rating: str
    reason: str | None = None


def draft_cases(feedback_file: Path, existing_ids: Collection[str]) -> tuple[str, int]:
    """The draft suite's YAML text and the number of cases in it (one per distinct 👎 question)."""
    drafts: list[str] = []
    seen: set[str] = set()
    for item in _read_feedback(feedback_file):
        case_id = f"feedback-{item.id}-{item.lang}"
        key = comparable(item.question)
        if item.rating != "down" or key in seen or case_id in existing_ids:
            continue
        seen.add(key)
        case = {
            "id": case_id,
            "group": f"feedback-{item.id}",
            "lang": item.lang,
            "question": item.question,
            "expected_sources": [],
            "must_include": [],
            "must_not_include": [],
            "expect": Expect.ANSWER.value,
            "severity": Severity.NORMAL.value,
            "tags": ["from-feedback", item.reason or "no-reason"],
            "reference": None,
            "quarantine": None,
        }
        answered = "\n".join(f"#   {line}" for line in item.answer.splitlines())
        note = f"# 👎 {item.created_at} ({item.reason or 'no reason given'}); the bot cited {item.source_ids} and answered ({item.mode}):\n{answered}\n"
        drafts.append(note + yaml.safe_dump([case], allow_unicode=True, sort_keys=False, width=120))
    return _HEADER.format(date=dt.date.today().isoformat()) + "\n".join(drafts), len(drafts)


def _read_feedback(path: Path) -> list[FeedbackItem]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read the feedback export: {exc.strerror}") from exc
    items: list[FeedbackItem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            items.append(FeedbackItem.model_validate_json(line))
        except ValidationError as exc:
            missing = sorted(str(error["loc"][0]) for error in exc.errors() if error["type"] == "missing")
            if missing:
                raise EvaluationError(f"{path}:{number}: missing {', '.join(missing)}; use `greenbot feedback export`") from exc
            raise EvaluationError(f"{path}:{number}: not a feedback row: {exc.errors()[0]['msg']}") from exc
    return items
