"""`greenbot eval from-feedback`: users' 👎 answers become draft cases for an evaluator to finish.

A draft holds what the user asked and, as comments, what the bot answered, why the user
disliked it and which sources it cited. It is a valid case already, so `greenbot eval check`
reads it; an evaluator adds expected_sources and must_include before moving it to eval/suites/.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from bot.errors import EvaluationError
from bot.evaluation.matching import comparable

_HEADER = """\
# Draft cases from 👎 feedback (greenbot eval from-feedback, {date}).
# For each: set expected_sources and must_include (what a good answer must say), or make it
# `expect: refusal`; then move it to a suite in eval/suites/ and run `greenbot eval bless`.
"""


def draft_cases(feedback_file: Path, existing_ids: Collection[str]) -> tuple[str, int]:
    """The draft suite's YAML text and the number of cases in it (one per distinct 👎 question)."""
    drafts: list[str] = []
    seen: set[str] = set()
    for item in _read_feedback(feedback_file):
        case_id = f"feedback-{item['id']}-{item['lang']}"
        key = comparable(item["question"])
        if item["rating"] != "down" or key in seen or case_id in existing_ids:
            continue
        seen.add(key)
        case = {
            "id": case_id,
            "group": f"feedback-{item['id']}",
            "lang": item["lang"],
            "question": item["question"],
            "expected_sources": [],
            "must_include": [],
            "must_not_include": [],
            "expect": "answer",
            "severity": "normal",
            "tags": ["from-feedback", item.get("reason") or "no-reason"],
            "reference": None,
            "quarantine": None,
        }
        answered = "\n".join(f"#   {line}" for line in str(item["answer"]).splitlines())
        note = f"# 👎 {item['created_at']} ({item.get('reason') or 'no reason given'}); the bot cited {item['source_ids']} and answered ({item['mode']}):\n{answered}\n"
        drafts.append(note + yaml.safe_dump([case], allow_unicode=True, sort_keys=False, width=120))
    return _HEADER.format(date=dt.date.today().isoformat()) + "\n".join(drafts), len(drafts)


def _read_feedback(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read the feedback export: {exc.strerror}") from exc
    items: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            missing = {"id", "question", "answer", "lang", "rating", "created_at", "mode", "source_ids"} - item.keys()
        except (ValueError, AttributeError) as exc:
            raise EvaluationError(f"{path}:{number}: not a JSON object: {exc}") from exc
        if missing:
            raise EvaluationError(f"{path}:{number}: missing {', '.join(sorted(missing))}; use `greenbot feedback export`")
        items.append(item)
    return items
