"""The Telegram front end: the only package that imports `telegram`.

Its modules name `bot.services.Services` for type checking only: that module builds every
service and so imports the model and search SDKs, which a pure module such as `render` must not
load. The services reach the handlers at run time, through the application's bot_data.
"""

from bot.tg.app import build_application
from bot.tg.serve import serve

__all__ = ["build_application", "serve"]
