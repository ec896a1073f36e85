"""Latin-script languages (en, vi, id, ms, tl) scored by py3langid, nudged by marker words.

py3langid's bundled model is loaded once, lazily, and restricted to the five Latin-script
languages we serve, so its probabilities are spread over those alone. Its weak spot is
Indonesian against Malay on short text, which the marker words (see markers.py) correct.
"""

from __future__ import annotations

import functools
import logging

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from bot.language.markers import count_markers

logger = logging.getLogger(__name__)

LATIN_LANGUAGES: tuple[str, ...] = ("en", "vi", "id", "ms", "tl")

# Each marker found multiplies its languages' probability by this factor, up to _MAX_NUDGES times.
_NUDGE = 4.0
_MAX_NUDGES = 3


@functools.cache
def _identifier() -> LanguageIdentifier:
    """py3langid's bundled model with normalised probabilities over the Latin-script five."""
    logger.debug("loading the py3langid model")
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LATIN_LANGUAGES))
    return identifier


def score_latin(words: list[str], text: str) -> dict[str, float]:
    """Probability per Latin-script language, best first, or {} when there is no evidence.

    `words` are the message's content words and `text` the cleaned message (for acronyms).
    No evidence means no words, or words in which py3langid finds no known feature and
    which hold no marker.
    """
    if not words:
        return {}
    # Spaces on both sides give the first and last word their word-boundary n-grams.
    ranked = _identifier().rank(" " + " ".join(words) + " ")
    scores = {lang: float(p) for lang, p in ranked}
    featureless = max(scores.values()) - min(scores.values()) < 1e-6
    markers = count_markers(words, text)
    if featureless and not markers:
        return {}
    for group, hits in markers.items():
        for lang in group:
            scores[lang] *= _NUDGE ** min(hits, _MAX_NUDGES)
    total = sum(scores.values())
    return {lang: p / total for lang, p in sorted(scores.items(), key=lambda kv: -kv[1])}
