"""Tally: the figures of one answer as the pipeline's steps run, for its `Trace`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from bot.domain import Answer, Completion, Trace


class Tally:
    """The figures of one answer as its steps run: named timings in milliseconds, and the tokens
    of every model call."""

    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._timings: dict[str, float] = {}
        self._prompt_tokens = 0
        self._completion_tokens = 0

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self._timings[name] = round((time.perf_counter() - start) * 1000, 2)

    def count(self, completion: Completion) -> None:
        self._prompt_tokens += completion.prompt_tokens
        self._completion_tokens += completion.completion_tokens

    def finish(self, answer: Answer, trace: Trace) -> Answer:
        """`answer` with its trace, the timings ending now."""
        timings = {**self._timings, "total": round((time.perf_counter() - self._start) * 1000, 2)}
        return replace(answer, trace=replace(trace, timings_ms=timings, prompt_tokens=self._prompt_tokens, completion_tokens=self._completion_tokens))
