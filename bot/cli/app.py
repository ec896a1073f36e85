"""The `greenbot` command groups; each command module adds its commands to them.

Help and errors follow click's plain conventions on every command: flags are shown as flags,
defaults as `[default: …]`, and every error is one `Error: …` line on standard error. A usage
mistake exits 2 (click's `BadParameter`); an error GreenGuide expects (a `GreenbotError`, from
any command) exits 1 through `fail`, which also serves the commands' own refusals.

Command modules import what does the work (the settings, knowledge, retrieval, services,
evaluation, the Telegram layer) inside their commands, so that `greenbot --help` loads typer
and little else, and a command loads only the SDKs it uses.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

from bot import __version__
from bot.cli.logs import configure_logging, hide, redact
from bot.errors import ConfigError, GreenbotError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

    from bot.config import Settings
    from bot.services import Services


def fail(message: str, code: int = 1) -> NoReturn:
    """End the command with `Error: <message>` on standard error (secrets redacted), as click ends a usage error."""
    typer.echo(f"Error: {redact(message)}", err=True)
    raise typer.Exit(code)


class _Commands(TyperGroup):
    """The root group: a `GreenbotError` from any command or from loading the settings ends through `fail`."""

    def invoke(self, ctx: Any) -> Any:  # click's Context, which typer no longer exports under one name
        try:
            return super().invoke(ctx)
        except GreenbotError as exc:
            fail(str(exc))


def _group(help: str, **options: Any) -> typer.Typer:
    """A command group with click's plain help (typer's rich help shows every flag as `<bool>`)."""
    return typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None, **options)


app = _group(
    "GreenGuide: green-transition guidance for MSMEs, on Telegram and the terminal.",
    cls=_Commands,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"max_content_width": 100},  # wide terminals see whole command summaries
)
knowledge_app = _group("Work with the knowledge folder.")
app.add_typer(knowledge_app, name="knowledge")
feedback_app = _group("Users' 👍/👎 on answers.")
app.add_typer(feedback_app, name="feedback")
eval_app = _group("Answer-quality regression suites: run, gate, compare, bless.")
app.add_typer(eval_app, name="eval")
alerts_app = _group("Alerts owners opted into: deadlines, new guides, the monthly tip.")
app.add_typer(alerts_app, name="alerts")


_NEEDS_NO_GUIDES = {"feedback"}  # commands that read only the data folder run from anywhere


def _show_version(asked: bool) -> None:
    if asked:
        typer.echo(f"greenbot {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens, step by step."),
    _version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, expose_value=False, help="Show the version and exit."),
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
        typer.echo("No index yet: indexing knowledge/ first (once; about five to seven minutes on two cores)…", err=True)
        build_index(settings, embeddings, model_name, progress=sys.stderr.isatty())
    return embeddings, model_name


async def open_services(settings: Settings) -> Services:
    """Open the services, building the index first when there is none yet."""
    from bot.retrieval import open_retriever
    from bot.services import Services

    embeddings, model_name = await asyncio.to_thread(ensure_index, settings)
    retriever = await asyncio.to_thread(functools.partial(open_retriever, settings, embeddings, model_name, owns_embeddings=True))
    return await Services.open(settings, retriever=retriever, owns_retriever=True)
