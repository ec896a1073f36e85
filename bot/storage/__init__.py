"""SQLite storage; the only package that contains SQL."""

from bot.storage.alerts import AlertStore
from bot.storage.conversations import ConversationStore
from bot.storage.db import Connection, open_db
from bot.storage.feedback import REASONS, FeedbackStore, Rating
from bot.storage.migrations import MIGRATIONS, migrate
from bot.storage.profiles import ProfileStore
from bot.storage.stats import StatsStore, Usage
from bot.storage.updates import HandledUpdates

__all__ = [
    "MIGRATIONS",
    "REASONS",
    "AlertStore",
    "Connection",
    "ConversationStore",
    "FeedbackStore",
    "HandledUpdates",
    "ProfileStore",
    "Rating",
    "StatsStore",
    "Usage",
    "migrate",
    "open_db",
]
