"""Updates stopped before any handler: edits, and button taps no handler can take.

These run in group -1, ahead of the handlers in app.py, so the handlers can trust what reaches
them: a new message, or a tap on a button one of our keyboards made, under a message in a chat.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.tg import keyboards
from bot.tg.context import BotContext


async def ignore_edit(update: Update, context: BotContext) -> None:
    """An edited message is not a new question: answering it would answer the same thing twice."""
    raise ApplicationHandlerStop


async def screen_tap(update: Update, context: BotContext) -> None:
    """A tap under an inline message, or with data none of our keyboards makes (forged, garbled or
    from an old version), gets its spinner stopped and nothing else."""
    query = update.callback_query
    assert query is not None
    if query.message is None or not keyboards.is_valid(query.data):
        await query.answer()
        raise ApplicationHandlerStop
