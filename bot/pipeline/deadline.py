"""ModelTime: what is left of the model's time for one answer.

Condensing a follow-up, translating the query, writing the answer and the language retry all
draw on one allowance (`LLMSettings.deadline_s`), retries included, so that a model server that
hangs or refuses delays an answer by that much at the most; the offline answer follows. Only the
time spent on model calls counts, not retrieval's between them. The two helper calls, which
only help retrieval, each get `helper_deadline_s` of it at the most, and once a call finds the
server down (refused, unreachable, timed out) no later call of the answer is made: it would
only keep the owner waiting longer for the same offline answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.errors import LLMError, LLMTimeout, LLMUnreachable


class ModelTime:
    """The allowance of one answer's model calls, on `clock` (`time.monotonic`, as the model client's)."""

    def __init__(self, allowance_s: float, helper_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._allowance_s = allowance_s
        self._helper_s = helper_s
        self._left_s = allowance_s
        self._clock = clock
        self._down: LLMError | None = None

    @contextmanager
    def running(self, *, helper: bool = False) -> Iterator[float]:
        """The deadline (a `clock()` value) of the model calls made in the body, whose time is
        taken off the allowance. Raises `LLMTimeout` when nothing is left, and the error that
        found the server down when one did, so that no call starts."""
        if self._down is not None:
            raise type(self._down)(f"{self._down} (not asked again for this answer)")
        if self._left_s <= 0:
            raise LLMTimeout(f"the model's {self._allowance_s:g} s for this answer are spent")
        start = self._clock()
        try:
            yield start + (min(self._left_s, self._helper_s) if helper else self._left_s)
        except (LLMUnreachable, LLMTimeout) as exc:
            self._down = exc
            raise
        finally:
            self._left_s = max(0.0, self._left_s - (self._clock() - start))
