"""Sending alerts and broadcasts: each message claimed in the delivery ledger, then sent at
Telegram's pace, then its outcome recorded.

The claim is committed before the message leaves, so a run stopped at any point (a crash, a
kill, a lost connection) and run again never sends an owner the same alert twice: what the
ledger holds is skipped. The price is that a message being sent at the moment of a crash is
not sent again even if it never arrived. An owner who blocked the bot (403) is unsubscribed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.alerts import AlertPlanner, Outgoing, Plan, guides
from bot.config import Settings
from bot.domain import AlertKind, Delivery
from bot.errors import ConfigError
from bot.knowledge import Directory, load_folder
from bot.prompts import Prompts
from bot.storage import AlertStore
from bot.tg.flood import OUTREACH, FloodLimiter
from bot.tg.render import render_sections
from bot.tg.request import AiohttpRequest

if TYPE_CHECKING:  # see bot/tg/__init__.py
    from bot.tg.context import BotContext

logger = logging.getLogger(__name__)

ALERT_KINDS = (AlertKind.GUIDES, AlertKind.DEADLINES, AlertKind.TIP)  # what `alerts send` sends; NEWS is broadcast


@dataclass(frozen=True)
class SendReport:
    """What a run did: how many messages ended in each state, and how many another run held."""

    outcomes: Counter[Delivery]
    taken: int = 0  # claimed meanwhile by another run (cron beside the schedule): left to it

    def __str__(self) -> str:
        shown = ", ".join(f"{self.outcomes[state]} {state.value}" for state in Delivery if state is not Delivery.SENDING)
        return f"{shown}, {self.taken} taken by another run"


async def plan_alerts(store: AlertStore, prompts: Prompts, knowledge_dir: Path, directory: Directory, settings: Settings, today: dt.date) -> Plan:
    """The alerts due on `today` for every owner who opted in, less what the ledger holds."""
    folder = await asyncio.to_thread(load_folder, knowledge_dir)
    planner = AlertPlanner(guides(folder.documents), directory, prompts, settings.alerts, today)
    subscribers = [subscriber async for subscriber in store.subscribers(ALERT_KINDS)]
    return planner.plan(subscribers, await store.held(planner.keys))


async def deliver(bot: ExtBot[int], store: AlertStore, messages: Sequence[Outgoing], concurrency: int) -> SendReport:
    """Send `messages` (one per owner), `concurrency` under way at once, each paced by the bot's
    `FloodLimiter` and recorded in the ledger before and after."""
    outcomes: Counter[Delivery] = Counter()
    taken = 0
    queue = iter(messages)

    async def work() -> None:
        nonlocal taken
        for message in queue:  # one iterator shared by the workers: each message is taken once
            keys = [alert.key for alert in message.alerts]
            if not await store.claim(message.user_id, [(alert.key, alert.kind) for alert in message.alerts]):
                taken += 1
                continue
            outcome = await _send(bot, message)
            await store.record(message.user_id, keys, outcome)
            if outcome is Delivery.BLOCKED:
                await store.unsubscribe(message.user_id)
            outcomes[outcome] += 1

    async with asyncio.TaskGroup() as workers:  # one failing (say, the database) stops the others
        for _ in range(min(concurrency, len(messages))):
            workers.create_task(work())
    return SendReport(outcomes, taken)


async def _send(bot: ExtBot[int], message: Outgoing) -> Delivery:
    """Send one message; what became of it. Only a refusal is sure not to have arrived."""
    [part] = render_sections(list(message.sections))  # the planner keeps a message to one part
    try:
        await bot.send_message(int(message.user_id), part.html, parse_mode=ParseMode.HTML, disable_web_page_preview=True, rate_limit_args=OUTREACH)
    except Forbidden:
        return Delivery.BLOCKED
    except (BadRequest, RetryAfter, InvalidToken) as exc:
        logger.warning("alert to one owner refused: %s", exc)
        return Delivery.REFUSED
    except TelegramError as exc:  # timed out or cut off: it may have arrived
        logger.warning("alert to one owner may not have arrived: %s", exc)
        return Delivery.UNKNOWN
    return Delivery.SENT


def sender_bot(settings: Settings) -> ExtBot[int]:
    """A bot for `greenbot alerts send` and `broadcast`, limited as the running bot is."""
    telegram = settings.telegram
    if telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    return ExtBot(
        telegram.token.get_secret_value(),
        base_url=telegram.base_url or "https://api.telegram.org/bot",  # PTB's own default
        request=AiohttpRequest(timeout_s=telegram.request_timeout_s, retry_budget_s=telegram.retry_budget_s, backoff_s=telegram.retry_backoff_s),
        rate_limiter=FloodLimiter(overall_max_rate=telegram.flood_limit_per_s, max_retries=3, outreach_per_s=settings.alerts.messages_per_s),
    )


async def scheduled_alerts(context: BotContext) -> None:
    """The JobQueue's daily run inside `greenbot run`: the same plan and ledger as the command."""
    services = context.services
    settings = services.settings
    store = services.alerts
    plan = await plan_alerts(store, services.prompts, settings.paths.knowledge_dir, services.directory, settings, services.today())
    report = await deliver(context.bot, store, plan.messages, settings.alerts.concurrency)
    logger.info("alerts: %d owners, %d messages: %s", plan.owners, len(plan.messages), report)
