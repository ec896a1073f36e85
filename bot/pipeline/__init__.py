"""Question in, Answer out: language, guards, retrieval, generation and the offline answer."""

from bot.pipeline.answer import Pipeline
from bot.pipeline.events import Answered, Drafted, Event, Retrieved

__all__ = ["Answered", "Drafted", "Event", "Pipeline", "Retrieved"]
