"""Language codes: what we detect, what we have content in, and Telegram's client codes mapped to ours."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

# Every language detect() can return; English first (the fallback).
SUPPORTED: tuple[str, ...] = ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my", "zh", "ta")

# Languages the knowledge base has content in; zh and ta are detected so the bot can say so.
CONTENT_LANGUAGES: tuple[str, ...] = ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my")

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


def normalise_code(code: str | None) -> str | None:
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
