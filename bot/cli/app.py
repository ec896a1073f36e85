"""The `greenbot` command groups; each command module adds its commands to them.

Command modules import what does the work (the settings, knowledge, retrieval, services,
evaluation, the Telegram layer) inside their commands, so that `greenbot --help` loads typer
and little else, and a command loads only the SDKs it uses.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli.logs import configure_logging, hide
from bot.errors import ConfigError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from bot.config import Settings
    from bot.services import Services

app = typer.Typer(
    help="GreenGuide: green-transition guidance for MSMEs, on Telegram and the terminal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
knowledge_app = typer.Typer(help="Work with the knowledge folder.", no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")
feedback_app = typer.Typer(help="Users' 👍/👎 on answers.", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")
eval_app = typer.Typer(help="Answer-quality regression suites: run, gate, compare, bless.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


_NEEDS_NO_GUIDES = {"feedback"}  # commands that read only the data folder run from anywhere


@app.callback()
def root(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens, step by step."),
) -> None:
    """Load the settings once (environment and .env) and set up logging."""
    from pydantic import ValidationError

    from bot.config import Settings

    configure_logging(verbose)
    try:
        settings = Settings()
    except ValidationError as exc:  # said without the rejected values, which may be secrets
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_input=False))
        raise ConfigError(f"invalid settings: {problems}") from None
    hide(settings.secrets())
    try:
        paths = settings.paths.located(Path.cwd())
    except ConfigError:
        if ctx.invoked_subcommand not in _NEEDS_NO_GUIDES:
            raise
        paths = settings.paths
    ctx.obj = settings.model_copy(update={"paths": paths})


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the root command loaded."""
    from bot.config import Settings

    settings = ctx.find_root().obj
    assert isinstance(settings, Settings)
    return settings


def ensure_index(settings: Settings) -> tuple[Embeddings, str]:
    """Build the index when there is none yet; return the embeddings loaded to check it."""
    from bot.retrieval import build_embeddings, build_index, index_exists

    embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    if not index_exists(settings, model_name):
        typer.echo("No index yet: indexing knowledge/ first (this takes a minute or two)…", err=True)
        build_index(settings, embeddings, model_name, progress=sys.stderr.isatty())
    return embeddings, model_name


async def open_services(settings: Settings) -> Services:
    """Open the services, building the index first when there is none yet."""
    from bot.retrieval import open_retriever
    from bot.services import Services

    embeddings, model_name = await asyncio.to_thread(ensure_index, settings)
    retriever = await asyncio.to_thread(open_retriever, settings, embeddings, model_name)
    return await Services.open(settings, retriever=retriever)
