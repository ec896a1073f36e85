"""Languages told apart by their writing system alone: Thai, Lao, Khmer, Burmese, Tamil, Chinese.

Letters are counted per script, so a few Latin words ("LED", "solar") inside a Thai message
do not change its language. Burmese is also recognised in the legacy Zawgyi encoding, which
reuses the Myanmar code block with a different meaning and order of the code points.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

logger = logging.getLogger(__name__)

LATIN = "latin"

# Script name → (code point ranges, language). Only scripts that identify one language we support.
_SCRIPTS: dict[str, tuple[tuple[tuple[int, int], ...], str]] = {
    "thai": (((0x0E00, 0x0E7F),), "th"),
    "lao": (((0x0E80, 0x0EFF),), "lo"),
    "khmer": (((0x1780, 0x17FF), (0x19E0, 0x19FF)), "km"),
    "myanmar": (((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)), "my"),
    "tamil": (((0x0B80, 0x0BFF), (0x11FC0, 0x11FFF)), "ta"),
    "han": (
        ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)),
        "zh",
    ),
}
_LATIN_RANGES = ((0x0041, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF))

# A script decides the language when it holds at least this share of the message's letters.
_DECISIVE_SHARE = 0.3
_DECISIVE_CONFIDENCE = 0.99

# Sequences that are Zawgyi and cannot occur in well-formed Unicode Burmese.
_ZAWGYI = re.compile(
    r"[\u1060-\u1097]"  # Zawgyi's stacked and variant glyphs (Mon/Shan letters in Unicode)
    r"|(?<![\u1000-\u102A\u103B-\u103F\u104E])[\u1031\u103B]"  # vowel e / medial ra typed first
    r"|\u1039(?![\u1000-\u1020])"  # virama used as the visible killer (asat)
    r"|[\u1004\u100A\u101A\u101B\u101D]\u1039"  # Unicode never stacks under these consonants
    r"|\u103A[\u102B-\u1032\u1036]"  # Zawgyi medial ya followed by a vowel sign
    r"|\u1036\u102F"  # anusvara before vowel u: Zawgyi's visual order
)
# Medial ha has its own code point only in Unicode.
_UNICODE_ONLY = re.compile(r"\u103E")


@dataclass(frozen=True)
class ScriptVerdict:
    """The language a script gives a message, the script's name (the reason) and the confidence."""

    lang: str
    script: str
    confidence: float


@functools.lru_cache(maxsize=4096)  # called for every letter of every message
def script_of(char: str) -> str | None:
    """The name of the script `char` is written in ("thai", "myanmar", LATIN …), None for others."""
    point = ord(char)
    for name, (ranges, _) in _SCRIPTS.items():
        if any(low <= point <= high for low, high in ranges):
            return name
    if any(low <= point <= high for low, high in _LATIN_RANGES):
        return LATIN
    return None


def count_letters(text: str) -> Counter[str]:
    """Letters per script ("latin", "thai", …; "other" for scripts we do not detect).

    Vowel signs and other marks count too: Khmer and Burmese write much of a syllable with
    them, so counting base letters alone would understate those scripts next to Latin.
    """
    counts: Counter[str] = Counter()
    for char in text:
        if unicodedata.category(char)[0] in "LM":
            counts[script_of(char) or "other"] += 1
    return counts


def is_zawgyi(text: str) -> bool:
    """Whether Burmese text is in the Zawgyi encoding rather than Unicode."""
    return len(_ZAWGYI.findall(text)) > len(_UNICODE_ONLY.findall(text))


def decide_by_script(text: str, counts: Counter[str]) -> ScriptVerdict | None:
    """The language of the dominant language-specific script, or None when Latin or nothing dominates."""
    total = sum(counts.values())
    candidates = [(n, name) for name, n in counts.items() if name in _SCRIPTS]
    if not total or not candidates:
        return None
    letters, name = max(candidates)
    share = letters / total
    if share < _DECISIVE_SHARE:
        return None
    lang = _SCRIPTS[name][1]
    if lang == "my" and is_zawgyi(text):
        name = "myanmar-zawgyi"
    confidence = _DECISIVE_CONFIDENCE if share >= 0.5 else round(0.7 + 0.5 * share, 2)
    return ScriptVerdict(lang, name, confidence)
