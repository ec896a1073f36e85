"""build_application(): the python-telegram-bot Application with every handler registered.

The routing table reads top to bottom here; the handlers live in the modules named after what
they do (onboarding, questions, programmes, referrals, alerts, feedback, account, admin, errors),
and the daily alerts, when settings schedule them, in outbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    MessageReactionHandler,
    filters,
)

from bot.config import Settings
from bot.errors import ConfigError
from bot.tg import account, admin, alerts, feedback, keyboards, onboarding, outbox, programmes, questions, referrals, screens
from bot.tg.context import BotApplication, BotContext
from bot.tg.errors import error_handler, unknown_command
from bot.tg.flood import FloodLimiter
from bot.tg.incoming import UpdateReader
from bot.tg.limits import QuestionLimits
from bot.tg.logs import LoggedUpdateProcessor
from bot.tg.previews import Previews
from bot.tg.request import AiohttpRequest, PollingRequest
from bot.tg.turns import ChatTurns

if TYPE_CHECKING:  # see bot/tg/__init__.py
    from bot.services import Services

UNSUPPORTED = filters.PHOTO | filters.Sticker.ALL | filters.Document.ALL | filters.LOCATION | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE


def build_application(settings: Settings, services: Services) -> BotApplication:
    """The bot for `settings.telegram`, answering through `services` (the caller opens and closes them)."""
    telegram = settings.telegram
    if telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    token = telegram.token.get_secret_value()
    builder = (
        ApplicationBuilder()
        .token(token)
        .request(AiohttpRequest(timeout_s=telegram.request_timeout_s, retry_budget_s=telegram.retry_budget_s, backoff_s=telegram.retry_backoff_s))
        .get_updates_request(PollingRequest(telegram.request_timeout_s, UpdateReader()))
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(
            FloodLimiter(overall_max_rate=telegram.flood_limit_per_s, max_retries=3, outreach_per_s=settings.alerts.messages_per_s)
        )  # retries after RetryAfter
        .concurrent_updates(LoggedUpdateProcessor(telegram.concurrent_updates, user_key=token.encode(), handled=services.handled))
    )
    if telegram.base_url:
        builder = builder.base_url(telegram.base_url).base_file_url(telegram.base_url.replace("/bot", "/file/bot"))
    if telegram.webhook_url:
        builder = builder.updater(None)  # updates arrive through tg/webhook.py
    application: BotApplication = builder.build()
    application.bot_data["services"] = services
    application.bot_data["limits"] = QuestionLimits(telegram.questions_per_minute, telegram.questions_per_day, telegram.question_starts_per_s)
    application.bot_data["turns"] = ChatTurns()
    application.bot_data["previews"] = Previews(telegram)

    admins = filters.User(user_id=telegram.admin_user_ids)
    application.add_handlers([MessageHandler(filters.UpdateType.EDITED, screens.ignore_edit), CallbackQueryHandler(screens.screen_tap)], group=-1)
    application.add_handlers(
        [
            CommandHandler("start", onboarding.start),
            CommandHandler("lang", onboarding.lang_command),
            CommandHandler("profile", onboarding.profile_command),
            CommandHandler("topics", questions.topics_command),
            CommandHandler("sources", questions.sources_command),
            CommandHandler("programmes", programmes.programmes_command),
            CommandHandler("alerts", alerts.alerts_command),
            CommandHandler("advisor", referrals.advisor_command),
            CommandHandler("help", account.help_command),
            CommandHandler("privacy", account.privacy_command),
            CommandHandler("mydata", account.mydata_command),
            CommandHandler("forget", account.forget_command),
            CommandHandler("stats", admin.stats_command, filters=admins),
            CommandHandler("reload", admin.reload_command, filters=admins),
            MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command),
            CallbackQueryHandler(onboarding.language_chosen, pattern=f"^{keyboards.LANG}:"),
            CallbackQueryHandler(onboarding.country_chosen, pattern=f"^{keyboards.COUNTRY}:"),
            CallbackQueryHandler(onboarding.sector_chosen, pattern=f"^{keyboards.SECTOR}:"),
            CallbackQueryHandler(onboarding.profile_chosen, pattern=f"^{keyboards.PROFILE}:"),
            CallbackQueryHandler(questions.topic_chosen, pattern=f"^{keyboards.TOPIC}:"),
            CallbackQueryHandler(questions.suggestion_chosen, pattern=f"^{keyboards.ASK}:"),
            CallbackQueryHandler(questions.sector_question_chosen, pattern=f"^{keyboards.SECTOR_ASK}:"),
            CallbackQueryHandler(programmes.programme_chosen, pattern=f"^{keyboards.PROGRAMME}:"),
            CallbackQueryHandler(programmes.check_started, pattern=f"^{keyboards.CHECK}:"),
            CallbackQueryHandler(programmes.check_answered, pattern=f"^{keyboards.ANSWER}:"),
            CallbackQueryHandler(alerts.alert_chosen, pattern=f"^{keyboards.ALERT}:"),
            CallbackQueryHandler(referrals.referral_requested, pattern=f"^{keyboards.ADVISOR}:{keyboards.ASK_ADVISOR}$"),
            CallbackQueryHandler(referrals.consent_given, pattern=f"^{keyboards.ADVISOR}:"),
            CallbackQueryHandler(feedback.rated, pattern=f"^{keyboards.RATE}:"),
            CallbackQueryHandler(feedback.reason_chosen, pattern=f"^{keyboards.WHY}:"),
            CallbackQueryHandler(account.forget_chosen, pattern=f"^{keyboards.FORGET}:"),
            MessageHandler(filters.TEXT & ~filters.COMMAND, questions.text_message),
            MessageHandler(filters.VOICE, questions.voice_message),
            MessageHandler(UNSUPPORTED, questions.unsupported),
            MessageReactionHandler(feedback.reacted),
        ]
    )
    application.add_error_handler(error_handler)
    if settings.alerts.send_daily_at is not None:  # otherwise cron runs `greenbot alerts send`
        assert application.job_queue is not None  # the job-queue extra is a dependency
        application.job_queue.run_daily(outbox.scheduled_alerts, time=settings.alerts.send_daily_at, name="alerts")
    return application
