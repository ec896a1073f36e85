"""`greenbot run`: the Telegram bot (polling or webhook); without a token, the terminal chat."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import typer

from bot.cli.app import app, open_services, settings_of
from bot.cli.chat import chat_loop
from bot.runtime import freeze_heap

if TYPE_CHECKING:
    from bot.config import Settings


@app.command("run")
def run(ctx: typer.Context) -> None:
    """Run the Telegram bot until Ctrl-C or SIGTERM; without TELEGRAM_BOT_TOKEN, open the terminal chat."""
    settings = settings_of(ctx)
    if settings.telegram.token is None:
        typer.echo("TELEGRAM_BOT_TOKEN is not set, so the Telegram bot cannot start. Opening the terminal chat instead.", err=True)
        chat_loop(settings)
        return
    for name in ("bot", "telegram.ext"):  # one line per update, and the bot's start and stop
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
    asyncio.run(_serve(settings))


async def _serve(settings: Settings) -> None:
    from bot.tg.app import build_application  # only this command needs the Telegram layer
    from bot.tg.serve import serve

    services = await open_services(settings)
    freeze_heap()  # process-wide: only the long-running bot
    try:
        await serve(build_application(settings, services), settings.telegram)
    finally:
        await services.close()
