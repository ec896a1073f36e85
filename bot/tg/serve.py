"""Running the bot: long polling or webhook, until SIGINT/SIGTERM, then a graceful stop.

`Application.stop()` waits for every update in flight, so a question being answered when the
signal arrives still gets its answer before the process exits.
"""

from __future__ import annotations

import asyncio
import logging
import re
import signal
import sys

import uvicorn
from telegram import BotCommand, Update
from telegram.error import TelegramError

from bot.config import TelegramSettings
from bot.domain import FALLBACK_LANG
from bot.tg.context import BotApplication, services_of
from bot.tg.webhook import webhook_app

logger = logging.getLogger(__name__)

_HELP_LINE = re.compile(r"^/(?P<command>[a-z]+)\s+[–-]\s+(?P<description>.+)$")
_GIL_SWITCH_S = 0.001  # Python's default is 0.005
# What the bot asks Telegram for: new messages, button taps and reactions (👍/👎 on an answer
# rate it). Not edits: an edited question would be answered a second time.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MESSAGE_REACTION]


async def serve(application: BotApplication, settings: TelegramSettings, stop: asyncio.Event | None = None) -> None:
    """Serve updates until `stop` is set (by default: until SIGINT or SIGTERM).

    Meanwhile worker threads (retrieval, prompt building, answer checks) hand the GIL back to
    the event loop's thread after 1 ms rather than Python's 5: the loop releases the GIL at
    every socket operation, and waiting up to 5 ms each time to get it back stalled it for
    over 100 ms when hundreds of chats were being answered.
    """
    stop = stop or _set_on_signals()
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(_GIL_SWITCH_S)
    try:
        await _serve(application, settings, stop)
    finally:
        sys.setswitchinterval(switch_interval)


async def _serve(application: BotApplication, settings: TelegramSettings, stop: asyncio.Event) -> None:
    async with application:  # initialize, and shut down at the end
        await _register_commands(application)
        if settings.webhook_url:
            assert settings.webhook_secret is not None  # checked by TelegramSettings
            await application.bot.set_webhook(settings.webhook_url, secret_token=settings.webhook_secret.get_secret_value(), allowed_updates=ALLOWED_UPDATES)
        await application.start()
        try:
            if settings.webhook_url:
                await _serve_webhook(application, settings, stop)
            else:
                assert application.updater is not None
                await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
                logger.info("polling for updates")
                await stop.wait()
                await application.updater.stop()
        finally:
            logger.info("stopping: finishing the updates in flight")
            await application.stop()


async def _serve_webhook(application: BotApplication, settings: TelegramSettings, stop: asyncio.Event) -> None:
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    app = webhook_app(application, settings.webhook_url, settings.webhook_secret.get_secret_value())
    server = uvicorn.Server(uvicorn.Config(app, host=settings.webhook_listen, port=settings.webhook_port, log_level="warning", log_config=None, lifespan="off"))
    serving = asyncio.create_task(server.serve())
    logger.info("webhook listening on %s:%s", settings.webhook_listen, settings.webhook_port)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True  # uvicorn stops on its own signals too; then this is a no-op
    stopping.cancel()
    await serving


async def _register_commands(application: BotApplication) -> None:
    """The command menu in every language, taken from the `help` string (not fatal if refused)."""
    prompts = services_of(application).prompts
    try:
        for lang in prompts.languages:
            commands = [
                BotCommand(m["command"], m["description"][:256]) for line in prompts.message(lang, "help").splitlines() if (m := _HELP_LINE.match(line.strip()))
            ]
            await application.bot.set_my_commands(commands, language_code=None if lang == FALLBACK_LANG else lang)
    except TelegramError as exc:
        logger.warning("could not register the command menu: %s", exc)


def _set_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
