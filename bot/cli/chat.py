"""`greenbot ask` (one question, over Pipeline.answer) and `greenbot chat` (the terminal, over
Pipeline.events: a model's answer is printed as it is written)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import TYPE_CHECKING

import typer

from bot.cli.app import app, open_services, settings_of
from bot.domain import ASEAN_COUNTRIES, FALLBACK_LANG, LANGUAGES, SECTORS, Answer, Question, answer_as_dict

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.pipeline import Pipeline
    from bot.services import Services


@app.command("ask")
def ask(
    ctx: typer.Context,
    question: str = typer.Argument(..., help="The question, in any language we serve."),
    lang: str | None = typer.Option(None, "--lang", help=f"Answer in this language: {', '.join(LANGUAGES)}."),
    country: str | None = typer.Option(None, "--country", help="The business's country, e.g. VN."),
    sector: str | None = typer.Option(None, "--sector", help=f"The kind of business: {', '.join(SECTORS)}."),
    on: dt.datetime | None = typer.Option(
        None, "--today", formats=["%Y-%m-%d"], help="Answer as on this day (YYYY-MM-DD): the programmes open then.", show_default="today"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print exactly one JSON object."),
) -> None:
    """Answer one question (no conversation history) and print the answer with its sources."""
    _check_choices(lang, country, sector)

    async def run() -> Answer:
        services = await open_services(settings_of(ctx))
        try:
            asked = Question(
                text=question,
                user_id="cli-ask",
                chosen_lang=lang,
                reply_lang=lang,
                country=country and country.upper(),
                sector=sector,
                history=(),
                today=on.date() if on is not None else None,
            )
            return await services.pipeline.answer(asked)
        finally:
            await services.close()

    answer = asyncio.run(run())
    if as_json:
        typer.echo(json.dumps(answer_as_dict(answer), ensure_ascii=False))
    else:
        _print_answer(answer)


@app.command("chat")
def chat(ctx: typer.Context) -> None:
    """Chat with GreenGuide in the terminal. /lang xx, /country XX, /sector name, /quit."""
    chat_loop(settings_of(ctx))


def chat_loop(settings: Settings) -> None:
    """The terminal chat: one question per line, with history, until /quit, end of input or Ctrl-C.

    The prompt reads on the main thread, between event-loop runs, so that Ctrl-C ends the chat at
    once (a prompt waiting in a worker thread kept the process alive until Enter)."""
    with asyncio.Runner() as runner:
        services = runner.run(open_services(settings))
        try:
            _converse(runner, services, settings)
        except KeyboardInterrupt:
            typer.echo()
        finally:
            runner.run(services.close())


def _converse(runner: asyncio.Runner, services: Services, settings: Settings) -> None:
    lang: str | None = None
    country: str | None = None
    sector: str | None = None
    mode = "with a model" if settings.llm.configured else "offline (no model configured)"
    typer.echo(f"{services.prompts.message(FALLBACK_LANG, 'greeting')}\nAnswering {mode}. Commands: /lang xx, /country XX, /sector name, /quit")
    while True:
        try:
            line = input("\nyou> ").strip()
        except EOFError:
            return
        if line in ("/quit", "/exit"):
            return
        if line.startswith("/lang"):
            lang = _set_choice(line, LANGUAGES, "language") or lang
        elif line.startswith("/country"):
            country = _set_choice(line.upper(), tuple(ASEAN_COUNTRIES), "country") or country
        elif line.startswith("/sector"):
            sector = _set_choice(line.lower(), SECTORS, "sector") or sector
        else:
            question = Question(text=line, user_id="terminal", chosen_lang=lang, reply_lang=lang, country=country, sector=sector)
            typer.echo()  # the answer stands apart from the question typed above it
            answer, drafted = runner.run(_streamed(services.pipeline, question))
            if drafted and drafted.strip() != answer.text:  # the checks changed it, or the model gave up: the answer as it stands
                typer.secho("\n\n(checked:)", dim=True)
            _print_answer(answer, text=not drafted or drafted.strip() != answer.text)


async def _streamed(pipeline: Pipeline, question: Question) -> tuple[Answer, str]:
    """The answer, and the model's draft of it, printed as it was written ("" when none was)."""
    from bot.pipeline import Answered, Drafted  # not at the top: `greenbot --help` stays light

    drafted = ""
    async for event in pipeline.events(question):
        if isinstance(event, Drafted):
            typer.echo(event.text[len(drafted) :] if event.text.startswith(drafted) else f"\n{event.text}", nl=False)
            drafted = event.text
        elif isinstance(event, Answered):
            return event.answer, drafted
    raise AssertionError("events() always ends with the answer")


def _set_choice(line: str, allowed: tuple[str, ...], what: str) -> str | None:
    parts = line.split()
    value = parts[1] if len(parts) > 1 else ""
    if value not in allowed:
        typer.echo(f"Choose a {what}: {', '.join(allowed)}")
        return None
    typer.echo(f"{what} set to {value}")
    return value


def _check_choices(lang: str | None, country: str | None, sector: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter(f"unknown language {lang!r}", param_hint="--lang")
    if country is not None and country.upper() not in ASEAN_COUNTRIES:
        raise typer.BadParameter(f"unknown country {country!r}", param_hint="--country")
    if sector is not None and sector not in SECTORS:
        raise typer.BadParameter(f"unknown sector {sector!r}", param_hint="--sector")


def _print_answer(answer: Answer, *, text: bool = True) -> None:
    """The answer's text (unless it was printed as it was written), its sources, how it was made."""
    typer.echo(answer.text if text else "")
    for source in answer.sources:
        where = f" (applies to: {', '.join(source.countries)})" if "asean" not in source.countries else ""
        typer.echo(f"[{source.number}] {source.title}{where} — {source.url}")
    typer.echo(f"({answer.mode}, {answer.language}, {answer.trace.timings_ms.get('total', 0):.0f} ms)")
