"""Alerts owners opt into, and broadcasts: who gets what, in which language. Plain Python:
the ledger lives in bot.storage, the sending in bot.tg."""

from bot.alerts.broadcast import Broadcast, load_broadcast, plan_broadcast
from bot.alerts.content import Guide, guides
from bot.alerts.plan import Alert, AlertPlanner, Outgoing, Plan

__all__ = ["Alert", "AlertPlanner", "Broadcast", "Guide", "Outgoing", "Plan", "guides", "load_broadcast", "plan_broadcast"]
