"""Language detection for chat messages: pure functions, no network."""

from bot.language.codes import CONTENT_LANGUAGES, SUPPORTED, normalise_code
from bot.language.detect import FAMILIES, Detection, Priors, detect, other_language

__all__ = [
    "CONTENT_LANGUAGES",
    "FAMILIES",
    "SUPPORTED",
    "Detection",
    "Priors",
    "detect",
    "normalise_code",
    "other_language",
]
