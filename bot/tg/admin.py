"""/stats and /reload, for ADMIN_USER_IDS only (app.py routes others to "unknown command").

Admin replies are in English: they are for the team running the bot, not for users.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.errors import GreenbotError
from bot.storage import Usage
from bot.tg.context import BotContext

logger = logging.getLogger(__name__)

STATS_DAYS = 7


async def stats_command(update: Update, context: BotContext) -> None:
    """Users, questions per day and language, offline share, feedback, and the questions that failed."""
    assert update.effective_message is not None
    figures = await context.services.stats.usage(days=STATS_DAYS)
    await update.effective_message.reply_text(format_usage(figures))


async def reload_command(update: Update, context: BotContext) -> None:
    """Re-index knowledge/ in the background; the bot keeps answering from the old index until the swap."""
    message = update.effective_message
    assert message is not None
    services = context.services
    if services.reindexing:
        await message.reply_text("A re-index is already running.")
        return
    await message.reply_text("Re-indexing knowledge/ in the background…")

    async def reindex_and_report() -> None:
        try:
            report = await services.reindex()
        except GreenbotError as exc:
            logger.error("re-index failed: %s", exc)
            await message.reply_text(f"Re-index failed: {exc}")
            return
        problems = f"\nProblems ({len(report.errors)}):\n" + "\n".join(report.errors[:10]) if report.errors else ""
        await message.reply_text(
            f"Re-indexed in {report.seconds:.1f} s: {report.documents} documents, {report.passages} passages "
            f"({report.embedded} embedded, {report.skipped} unchanged, {report.removed} removed). "
            f"Now serving {services.retriever.size} passages.{problems}"
        )

    context.application.create_task(reindex_and_report(), update=update, name="reindex")  # stop() waits for it


def format_usage(figures: Usage) -> str:
    """/stats as plain text lines."""
    rated = figures.thumbs_up + figures.thumbs_down
    lines = [
        f"Last {figures.days} days: {figures.users} users, {figures.questions} questions.",
        f"Offline answers: {figures.offline_share:.0%} of answered questions.",
        f"Feedback: {figures.thumbs_up} 👍, {figures.thumbs_down} 👎" + (f" ({figures.thumbs_up / rated:.0%} positive)." if rated else "."),
        "Per day: " + (", ".join(f"{day} {n}" for day, n in figures.per_day) or "none"),
        "Per language: " + (", ".join(f"{lang} {n}" for lang, n in figures.per_language) or "none"),
    ]
    for heading, rows in (("Most refused", figures.top_refused), ("Most 👎", figures.top_disliked)):
        if rows:
            lines.append(f"{heading}:")
            lines += [f"  {n}× {question[:80]}" for question, n in rows]
    return "\n".join(lines)
