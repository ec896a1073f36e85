"""ModelTime: what is left of the model's time for one answer.

Condensing a follow-up, translating the query, writing the answer and the language retry all
draw on one allowance (`LLMSettings.deadline_s`), retries included, so that a model server that
hangs or refuses delays an answer by that much at the most; the offline answer follows. Only the
time spent on model calls counts, not retrieval's between them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.errors import LLMTimeout


class ModelTime:
    """The allowance of one answer's model calls, on `clock` (`time.monotonic`, as the model client's)."""

    def __init__(self, allowance_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._allowance_s = allowance_s
        self._left_s = allowance_s
        self._clock = clock

    @contextmanager
    def running(self) -> Iterator[float]:
        """The deadline (a `clock()` value) of the model calls made in the body, whose time is
        taken off the allowance. Raises `LLMTimeout` when nothing is left, so no call starts."""
        if self._left_s <= 0:
            raise LLMTimeout(f"the model's {self._allowance_s:g} s for this answer are spent")
        start = self._clock()
        try:
            yield start + self._left_s
        finally:
            self._left_s = max(0.0, self._left_s - (self._clock() - start))
