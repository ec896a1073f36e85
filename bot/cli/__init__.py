"""`greenbot`: the command line. Errors GreenGuide expects print as one line and exit 1."""

from __future__ import annotations

import sys

import typer

from bot.cli import chat, eval, feedback, knowledge, run  # noqa: F401  (register their commands)
from bot.cli.app import app
from bot.errors import GreenbotError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `greenbot` console script."""
    try:
        app()
    except GreenbotError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
