"""SQLite storage; the only package that contains SQL."""

from bot.storage.conversations import ConversationStore
from bot.storage.db import open_db
from bot.storage.feedback import REASONS, FeedbackStore, Rating
from bot.storage.migrations import MIGRATIONS, migrate
from bot.storage.profiles import ProfileStore
from bot.storage.stats import Usage, usage
from bot.storage.updates import HandledUpdates

__all__ = ["MIGRATIONS", "REASONS", "ConversationStore", "FeedbackStore", "HandledUpdates", "ProfileStore", "Rating", "Usage", "migrate", "open_db", "usage"]
