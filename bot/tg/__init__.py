"""The Telegram layer: the only package that imports `telegram`. It translates between
Telegram updates and the pipeline, and knows nothing of retrieval or models."""

from bot.tg.app import build_application

__all__ = ["build_application"]
