"""Language codes: what we detect, and Telegram's client codes mapped to ours."""

from __future__ import annotations

import logging

from bot.domain import LANGUAGES

logger = logging.getLogger(__name__)

# Every language detect() can return: those we serve, and Chinese and Tamil, detected so the bot can say it does not speak them.
SUPPORTED: tuple[str, ...] = (*LANGUAGES, "zh", "ta")

# Codes clients send that are not our ISO 639-1 codes: Telegram uses "fil" for Filipino, old
# Java locales use "in" for Indonesian, and some clients send ISO 639-2/3 codes.
_ALIASES: dict[str, str] = {
    "fil": "tl",
    "tgl": "tl",
    "in": "id",
    "ind": "id",
    "zsm": "ms",
    "msa": "ms",
    "may": "ms",
    "vie": "vi",
    "tha": "th",
    "khm": "km",
    "lao": "lo",
    "mya": "my",
    "bur": "my",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "tam": "ta",
    "eng": "en",
}


def supported_code(code: str | None) -> str | None:
    """Map a raw code such as "en-US", "fil", "zh-hans" or "ms_MY" to one of SUPPORTED, else None.

    Unknown codes are ignored rather than guessed, so a French client prior never forces English.
    """
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-", 1)[0]
    primary = _ALIASES.get(primary, primary)
    if primary not in SUPPORTED:
        logger.debug("ignoring unsupported language code %r", code)
        return None
    return primary
