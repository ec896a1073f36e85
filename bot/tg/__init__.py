"""The Telegram front end: the only package that imports `telegram`.

`app.build_application` wires the handlers and `serve.serve` runs them. This file imports
neither: a pure module such as `render` must load without python-telegram-bot, aiohttp or the
language models. Its modules name `bot.services.Services` for type checking only, for the same
reason; the services reach the handlers at run time, through the application's bot_data.
"""
