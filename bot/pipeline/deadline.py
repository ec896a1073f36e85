"""ModelTime: when one answer's model calls must be over.

The clock starts when the pipeline takes the question: condensing a follow-up, translating the
query, the answer and the language retry, retries included, all end by then
(`LLMSettings.deadline_s`), and so does any wait for retrieval between them. An owner's wait is
what the deadline promises: a hung or refusing model server, or 200 questions queued for two
cores, delay an answer that long at the most, then the offline answer follows at once (its
passages were found before the model was asked). One exception: an answer whose first words came
before the deadline is being read as a draft, and may finish while its words keep coming (the
model client gives it up when they stop for the call timeout). The two helper calls, which only
help retrieval, each get `helper_deadline_s` at the most, and once a call finds the server down
(refused, unreachable, timed out) no later call of the answer is made: it would only keep the
owner waiting longer for the same offline answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.errors import LLMError, LLMTimeout, LLMUnreachable


class ModelTime:
    """The deadline of one answer's model calls, on `clock` (`time.monotonic`, as the model client's),
    counted from when this object was made."""

    def __init__(self, deadline_s: float, helper_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._deadline_s = deadline_s
        self._helper_s = helper_s
        self._clock = clock
        self._ends = clock() + deadline_s
        self._down: LLMError | None = None

    @contextmanager
    def running(self, *, helper: bool = False) -> Iterator[float]:
        """The deadline (a `clock()` value) of the model calls made in the body. Raises
        `LLMTimeout` when it has passed, and the error that found the server down when one did,
        so that no call starts."""
        if self._down is not None:
            raise type(self._down)(f"{self._down} (not asked again for this answer)")
        now = self._clock()
        if now >= self._ends:
            raise LLMTimeout(f"the answer's {self._deadline_s:g} s for the model are spent")
        try:
            yield min(self._ends, now + self._helper_s) if helper else self._ends
        except (LLMUnreachable, LLMTimeout) as exc:
            self._down = exc
            raise
