"""SQLite storage; the only package that contains SQL."""

from bot.storage.conversations import ConversationStore
from bot.storage.db import open_db
from bot.storage.migrations import MIGRATIONS, migrate
from bot.storage.profiles import ProfileStore

__all__ = ["MIGRATIONS", "ConversationStore", "ProfileStore", "migrate", "open_db"]
