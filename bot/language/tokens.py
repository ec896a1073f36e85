"""Chat text cut into the words that carry language evidence.

URLs, @mentions, e-mail addresses, numbers, emoji, short acronyms ("LED", "SME", "CBAM") and
words every chat uses ("ok", "hi", "haha") say nothing about the writer's language, so they
are dropped before any rule or model looks.
"""

from __future__ import annotations

import logging
import re
import unicodedata

logger = logging.getLogger(__name__)

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#]\w+", re.IGNORECASE)
# A word: letters joined by apostrophes or hyphens ("mag-save", "tao'y"); text is NFC, so Vietnamese is whole.
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# Written the same way by users of every language we serve.
_NEUTRAL = frozenset("ok okay okey okie oke okk lol hi hello helo hey bye".split())
_LAUGHTER = re.compile(r"(?:h[aeiu]){2,}h?")
_ACRONYM_MAX = 6
_SHOUTED_MIN = 3


def clean(text: str) -> str:
    """NFC text without URLs, mentions or e-mail addresses."""
    return _NOISE.sub(" ", unicodedata.normalize("NFC", text))


def _is_neutral(word: str) -> bool:
    return word in _NEUTRAL or _LAUGHTER.fullmatch(word) is not None


def words(text: str) -> list[str]:
    """The words of cleaned text that say something about its language.

    Chat words such as "ok" and "haha" are dropped. A word with digits ("5kWp", "CO2") is a
    unit or a code. An all-capitals word of two to six letters is an acronym, unless the
    message is a shouted sentence of three or more words.
    """
    tokens = [t for t in text.split() if not any(c.isdigit() for c in t)]
    found = [w for t in tokens for w in _WORD.findall(t) if not _is_neutral(w.lower())]
    if len(found) >= _SHOUTED_MIN and all(w.isupper() for w in found):
        return found
    return [w for w in found if not (w.isupper() and 2 <= len(w) <= _ACRONYM_MAX)]
