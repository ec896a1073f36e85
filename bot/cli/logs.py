"""Logging for every `greenbot` command: one format, and no secret ever reaches the terminal.

Secrets travel inside exception messages we do not write: aiohttp puts the whole Bot API URL,
`…/bot<TOKEN>/getMe`, into a connection timeout, and pydantic repeats a rejected setting's value.
So the redaction is a filter on the root handler, applied to every record's message and
traceback whichever library logged it, and to the last words `main()` prints on a crash.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

REDACTED = "[redacted]"
# A Telegram bot token (bot id, colon, 35 characters) even when it is not one of ours.
_BOT_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries whose INFO and DEBUG lines say nothing an operator needs (httpx's also hold URLs).
_NOISY = ("httpx", "chromadb", "urllib3", "bm25s", "aiosqlite")


class Redactor(logging.Filter):
    """Replaces known secrets, and anything shaped like a bot token, with `[redacted]`."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: list[str] = []

    def add(self, secrets: Iterable[str]) -> None:
        """Redact these values too (and their URL-encoded forms), longest first."""
        found = {form for secret in secrets if secret for form in (secret, quote(secret, safe=""))}
        self._secrets = sorted(found | set(self._secrets), key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _BOT_TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_REDACTOR = Redactor()  # logging is process-wide, and so is what it must never print


def redact(text: str) -> str:
    """`text` without the secrets `hide` was given, for what is printed outside logging."""
    return _REDACTOR.redact(text)


def hide(secrets: Iterable[str]) -> None:
    """From now on, redact these values from every log record and from `redact()`."""
    _REDACTOR.add(secrets)


def configure_logging(verbose: bool) -> None:
    """Log to stderr through the redactor: DEBUG with --verbose, else WARNING; the noisy libraries
    at WARNING either way.

    Their loggers are set to WARNING, so that they do not even make the records, and the handler
    drops what they log below it all the same: bm25s sets its logger to DEBUG when it is imported,
    and commands import it after this has run."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format=_FORMAT, force=True)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_REDACTOR)
        handler.addFilter(_not_noise)
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _not_noise(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name.split(".", 1)[0] not in _NOISY
