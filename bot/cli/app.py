"""The `greenbot` command groups; each command module adds its commands to them."""

from __future__ import annotations

import logging

import typer
from pydantic import ValidationError

from bot.config import Settings
from bot.errors import ConfigError

app = typer.Typer(
    help="GreenGuide: green-transition guidance for MSMEs, on Telegram and the terminal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
knowledge_app = typer.Typer(help="Work with the knowledge folder.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")


@app.callback()
def root(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens, step by step."),
) -> None:
    """Load the settings once (environment and .env) and set up logging."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "urllib3", "bm25s"):  # Bot API URLs carry the token
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        ctx.obj = Settings()
    except ValidationError as exc:
        raise ConfigError(f"invalid settings: {exc}") from exc


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the root command loaded."""
    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings
