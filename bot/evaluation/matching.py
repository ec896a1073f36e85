"""Text in one comparable form, so evaluation matches what a reader sees, not how it was encoded.

The same answer can reach us composed or decomposed (Vietnamese from different keyboards),
with zero-width spaces between Thai words, or with Thai, Lao, Khmer or Burmese digits. None
of that should decide whether "2569" or "tiết kiệm" is found in it.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from bot.language.figures import NATIVE_DIGITS

logger = logging.getLogger(__name__)

# Invisible characters: zero-width space (Thai and Khmer word-break hints), zero-width
# non-joiner and joiner, word joiner, byte-order mark, and the soft hyphen.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff\u00ad")
_WHITESPACE = re.compile(r"\s+")
_FIGURE_MARKS = re.compile(r"(?<=\d)[.,](?=\d)")  # a thousands or decimal separator between two digits


def comparable(text: str) -> str:
    """NFC, casefolded, without invisible characters, with ASCII digits and single spaces.

    Invisible characters go first, so a mark after one still composes with its letter; NFC
    is applied again after casefolding, which can decompose a few letters ("İ").
    """
    composed = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    folded = unicodedata.normalize("NFC", composed.casefold()).translate(NATIVE_DIGITS)
    return _WHITESPACE.sub(" ", folded).strip()


def contains(text: str, needle: str) -> bool:
    """Whether `needle` occurs in `text`, both made comparable, figures compared without their
    separators.

    A substring, not a word, on purpose: Thai, Lao, Khmer and Burmese are written without
    spaces between words, so there are no word boundaries to match on. Vietnamese, Indonesian
    and Lao write 1.000 and 0,42 where the others write 1,000 and 0.42, so a case and an answer
    need not agree on the separators of a figure to agree on the figure.
    """
    return _FIGURE_MARKS.sub("", comparable(needle)) in _FIGURE_MARKS.sub("", comparable(text))
