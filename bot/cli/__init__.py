"""`greenbot`: the command line. Errors GreenGuide expects print as one `Error: …` line and exit 1
(see `app.fail`); anything else is logged with its traceback (secrets redacted) and exits 1 too."""

from __future__ import annotations

import logging
import sys

from bot.cli import alerts, chat, eval, feedback, knowledge, run  # noqa: F401  (register their commands)
from bot.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `greenbot` console script."""
    try:
        app()
    except Exception:  # not ours to expect: the traceback goes through the redacting log handler
        logging.getLogger("bot").critical("greenbot stopped on an unexpected error", exc_info=True)
        sys.exit(1)
