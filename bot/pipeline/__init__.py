"""Question in, Answer out: language, guards, retrieval, generation and the offline answer."""

from bot.pipeline.answer import Pipeline

__all__ = ["Pipeline"]
