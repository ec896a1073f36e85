"""build_application(): the python-telegram-bot Application with every handler registered.

The routing table reads top to bottom here; the handlers live in handlers.py.
"""

from __future__ import annotations

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.errors import ConfigError
from bot.services import Services
from bot.tg import handlers

UNSUPPORTED = filters.PHOTO | filters.Sticker.ALL | filters.Document.ALL | filters.LOCATION | filters.VOICE | filters.AUDIO | filters.VIDEO


def build_application(settings: Settings, services: Services | None = None) -> Application:
    """The bot for `settings.telegram`. Given `services` are used as they are (the caller owns
    them); otherwise the bot opens its own at start and closes them at shutdown."""
    telegram = settings.telegram
    if telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(telegram.token.get_secret_value())
        .rate_limiter(AIORateLimiter(max_retries=3))  # outgoing flood control; retries after RetryAfter
        .concurrent_updates(telegram.concurrent_updates)
    )
    if telegram.base_url:
        builder = builder.base_url(telegram.base_url).base_file_url(telegram.base_url.replace("/bot", "/file/bot"))

    async def open_services(application: Application) -> None:
        application.bot_data["services"] = await Services.open(settings)

    async def close_services(application: Application) -> None:
        await application.bot_data["services"].close()

    if services is None:  # run_polling and run_webhook call these around the bot's life
        builder = builder.post_init(open_services).post_shutdown(close_services)
    application = builder.build()
    if services is not None:
        application.bot_data["services"] = services
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("lang", handlers.lang_command))
    application.add_handler(CallbackQueryHandler(handlers.language_chosen, pattern=f"^{handlers.LANG_CALLBACK}"))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.question))
    application.add_handler(MessageHandler(UNSUPPORTED, handlers.unsupported))
    application.add_error_handler(handlers.error_handler)
    return application

