"""Model-judged metrics (`greenbot eval run --judge`): faithfulness, answer relevance, correctness.

Judges are noisy and cost money, so they are optional, run at temperature 0, and cached on
disk by a hash of everything they see (the rendered prompt and the judge's settings): a rerun
of an unchanged case costs nothing. Correctness is judged twice with the two answers swapped
and averaged, which cancels a judge's preference for whichever answer comes first. A reply
that is not JSON is sent back once for repair; if it is still not JSON the metric is left out
and the reason recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.domain import LANGUAGE_NAMES, Role
from bot.errors import LLMError
from bot.evaluation.metrics import reply_kind
from bot.evaluation.records import ResultRow
from bot.evaluation.runner import CaseRun
from bot.evaluation.suite import Expect
from bot.llm import ChatClient
from bot.prompts import Prompts

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


class JudgeReplyError(ValueError):
    """The judge's reply was not the JSON asked for, even after one repair."""


class Judge:
    """Scores answers with a model, remembering every verdict in `cache_dir`."""

    def __init__(self, settings: Settings, cache_dir: Path) -> None:
        self._model = settings.evaluation.judge_model or settings.llm.answer_model
        self._llm = settings.llm.model_copy(update={"temperature": 0.0})
        self._client = ChatClient(self._llm, self._model)
        self._prompts = Prompts(settings.paths.prompts_dir)
        self._cache = cache_dir
        cache_dir.mkdir(parents=True, exist_ok=True)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def add_scores(self, runs: Sequence[CaseRun], rows: Sequence[ResultRow], *, concurrency: int) -> list[ResultRow]:
        """The rows with the judged metrics added to each answered, non-refused one."""
        gate = asyncio.Semaphore(concurrency)

        async def one(run: CaseRun, row: ResultRow) -> ResultRow:
            if run.answer is None or reply_kind(run.answer.mode) == Expect.REFUSAL:
                return row
            async with gate:
                try:
                    values, doubts = await self.scores(run)
                except LLMError as exc:
                    return row.model_copy(update={"error": f"the judge model did not answer: {exc}", "passed": False})
                except JudgeReplyError as exc:
                    return row.model_copy(update={"failures": (*row.failures, f"judge: {exc}")})
            return row.model_copy(update={"metrics": row.metrics | values, "failures": (*row.failures, *doubts)})

        return list(await asyncio.gather(*(one(run, row) for run, row in zip(runs, rows, strict=True))))

    async def scores(self, run: CaseRun) -> tuple[dict[str, float | None], list[str]]:
        """Faithfulness, relevance and (with a reference) correctness of one answer, and the claims no source supports."""
        assert run.answer is not None
        case, answer = run.case, run.answer.text
        language_name = LANGUAGE_NAMES[case.lang]
        contexts = [hit.chunk.text for hit in run.answer.trace.contexts]
        claims = await self._ask("judge_faithfulness", "claims", language_name=language_name, question=case.question, answer=answer, contexts=contexts)
        if not isinstance(claims, list) or not all(isinstance(c, dict) for c in claims):
            raise JudgeReplyError("'claims' is not a list of objects")
        supported = [c for c in claims if c.get("supported") is True]
        unsupported = [str(c.get("claim", "")) for c in claims if c.get("supported") is not True]
        doubts = [f"judge: claims not supported by the sources: {unsupported}"] if unsupported else []
        relevance = await self._ask("judge_relevance", "score", language_name=language_name, question=case.question, answer=answer)
        found: dict[str, float | None] = {
            "faithfulness": round(len(supported) / len(claims), 4) if claims else None,
            "answer_relevance": _unit(relevance),
            "correctness": None,
        }
        if case.reference:
            forward = await self._ask("judge_correctness", "score", language_name=language_name, question=case.question, first=case.reference, second=answer)
            backward = await self._ask("judge_correctness", "score", language_name=language_name, question=case.question, first=answer, second=case.reference)
            found["correctness"] = round((_unit(forward) + _unit(backward)) / 2, 4)
        return found, doubts

    async def _ask(self, prompt: str, field: str, **variables: Any) -> Any:
        """`field` of one judge call's JSON reply, from the cache when this exact call was made before."""
        messages: list[tuple[Role, str]] = [("user", self._prompts.render(prompt, **variables))]
        key = hashlib.sha256(json.dumps([self._model, self._llm.temperature, messages], ensure_ascii=False).encode()).hexdigest()
        cached = self._cache / f"{key}.json"
        if cached.is_file():
            return json.loads(cached.read_text(encoding="utf-8"))
        completion = await self._client.complete(messages)
        try:
            value = _parse(completion.text, field)
        except JudgeReplyError as exc:  # one repair round, then give up
            messages += [("assistant", completion.text), ("user", self._prompts.render("judge_repair", error=str(exc)))]
            value = _parse((await self._client.complete(messages)).text, field)
        cached.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return value


def _parse(text: str, field: str) -> Any:
    """The `field` of a JSON object reply (a code fence around it is tolerated)."""
    try:
        reply = json.loads(_FENCE.sub("", text.strip()))
    except ValueError as exc:
        raise JudgeReplyError(f"reply is not JSON: {exc}") from exc
    if not isinstance(reply, dict) or field not in reply:
        raise JudgeReplyError(f"reply has no {field!r} field")
    return reply[field]


def _unit(value: object) -> float:
    """A judge's score as a number in 0..1 (judges sometimes answer "0.8" or 8)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise JudgeReplyError(f"score {value!r} is not a number") from exc
    return max(0.0, min(1.0, number / 10 if number > 1 else number))
