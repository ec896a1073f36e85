"""BotContext: PTB's per-update context with a typed `.services` (installed via ContextTypes)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from telegram.ext import Application, CallbackContext, ExtBot

from bot.tg.limits import QuestionLimits
from bot.tg.previews import Previews
from bot.tg.turns import ChatTurns

if TYPE_CHECKING:  # see bot/tg/__init__.py
    from bot.services import Services


class BotContext(CallbackContext[ExtBot[int], dict[object, object], dict[object, object], dict[object, object]]):
    """What every handler receives; `services` are the ones the application was built with."""

    @property
    def services(self) -> Services:
        return services_of(self.application)

    @property
    def limits(self) -> QuestionLimits:
        """The per-user question limits, shared by every update."""
        limits = self.application.bot_data["limits"]
        assert isinstance(limits, QuestionLimits)
        return limits

    @property
    def turns(self) -> ChatTurns:
        """One question at a time per chat, shared by every update."""
        turns = self.application.bot_data["turns"]
        assert isinstance(turns, ChatTurns)
        return turns

    @property
    def previews(self) -> Previews:
        """How private chats see answers being written (drafts, or edits where drafts are refused)."""
        previews = self.application.bot_data["previews"]
        assert isinstance(previews, Previews)
        return previews


BotApplication = Application[Any, BotContext, Any, Any, Any, Any]


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """The services the application was built with (app.py puts them in bot_data)."""
    return cast("Services", application.bot_data["services"])
