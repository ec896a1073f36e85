"""What the pipeline reports while it works on one question (`Pipeline.events`).

A front end that can show progress (a Telegram draft, the terminal) reads the events; one that
cannot calls `Pipeline.answer`, which waits for the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import Answer, CitedSource


@dataclass(frozen=True)
class Retrieved:
    """The passages were found and numbered: the answer is being written from these sources."""

    sources: tuple[CitedSource, ...]


@dataclass(frozen=True)
class Drafted:
    """The model's answer so far, the whole text each time. Unchecked: the final answer may
    differ (a citation that names no source removed, or the offline answer instead)."""

    text: str


@dataclass(frozen=True)
class Answered:
    """The final, checked answer: always the last event."""

    answer: Answer


Event = Retrieved | Drafted | Answered
