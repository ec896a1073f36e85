"""The Telegram front end: the only package that imports `telegram`."""

from bot.tg.app import build_application
from bot.tg.serve import serve

__all__ = ["build_application", "serve"]
