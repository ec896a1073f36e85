"""detect(text, priors): the language of one chat message, with how sure we are and why.

The text decides when it can: a script that only one language uses, Vietnamese diacritics,
Vietnamese typed without them, then py3langid over the Latin-script languages. Messages
too short or too ambiguous to decide ("ok", "thanks", "LED?", "berapa?") keep the language
the user chose, wrote in recently, or set in Telegram, in that order.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.domain import FALLBACK_LANG
from bot.language.codes import supported_code
from bot.language.latin import score_latin
from bot.language.scripts import LATIN, count_letters, decide_by_script
from bot.language.tokens import clean, words
from bot.language.vietnamese import marked_share, unaccented_confidence

logger = logging.getLogger(__name__)

# A message switches away from a prior only with this many words and a confident detection.
MIN_WORDS_TO_SWITCH = 3
_CONFIDENT = 0.7
# ... and only if the prior's own probability is at most this (Indonesian and Malay stay close).
_PRIOR_PLAUSIBLE = 0.15
# Words with Vietnamese diacritics above this share make the message Vietnamese outright.
_VI_MARKED_SHARE = 0.3
_VI_MARKED_CONFIDENCE = 0.98
# How much a prior alone is worth, by where it came from.
_PRIOR_CONFIDENCE: dict[str, float] = {"chosen": 0.9, "recent": 0.75, "client": 0.6}
# Languages so close that a detector's confidence is shared between them.
FAMILIES: tuple[frozenset[str], ...] = (frozenset({"id", "ms"}),)
# Where the business is settles Indonesian against Malay when the text leaves both plausible and
# the user has neither chosen a language nor written one recently: "GTFS 5.0 tutup bila?" reads
# 0.37 Indonesian to 0.28 Malay.
_NATIONAL = {"ID": "id", "MY": "ms", "BN": "ms", "SG": "ms"}


@dataclass(frozen=True)
class Priors:
    """What we know about the user before reading the message."""

    chosen: str | None = None  # language picked with /lang
    recent: str | None = None  # language of the user's recent messages
    client: str | None = None  # Telegram's raw language_code ("en-US", "fil", "zh-hans", …)
    country: str | None = None  # the business's country (ISO code), from the profile


@dataclass(frozen=True)
class Detection:
    """A language from SUPPORTED, a confidence in 0..1, and a short machine-readable reason."""

    lang: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Guess:
    """What the text alone says; `decisive` guesses are never overridden by a prior."""

    lang: str
    confidence: float
    reason: str
    decisive: bool = False
    scores: dict[str, float] = field(default_factory=dict)


def _read_text(text: str) -> tuple[_Guess | None, int]:
    """The text's own verdict (None when it carries no evidence) and its number of words."""
    cleaned = clean(text)
    counts = count_letters(cleaned)
    verdict = decide_by_script(cleaned, counts)
    if verdict is not None:
        return _Guess(verdict.lang, verdict.confidence, f"script:{verdict.script}", decisive=True), 0
    found = words(cleaned)
    if not found or counts["other"] > counts[LATIN]:
        return None, len(found)
    if marked_share(found) >= _VI_MARKED_SHARE:
        return _Guess("vi", _VI_MARKED_CONFIDENCE, "vi-diacritics", decisive=True), len(found)
    unaccented = unaccented_confidence(found)
    if unaccented is not None:
        return _Guess("vi", unaccented, "vi-no-diacritics", scores={"vi": unaccented}), len(found)
    scores = score_latin(found, cleaned)
    if not scores:
        return None, len(found)
    lang, probability = next(iter(scores.items()))
    return _Guess(lang, round(probability, 3), "langid", scores=scores), len(found)


def _prior(priors: Priors) -> tuple[str, str] | None:
    """The first usable prior, as (language, source), in the order chosen > recent > client."""
    for source in ("chosen", "recent", "client"):
        lang = supported_code(getattr(priors, source))
        if lang is not None:
            return lang, source
    return None


def _family_confidence(guess: _Guess) -> float:
    """The guess's probability, pooled with its close relatives' (id + ms)."""
    for family in FAMILIES:
        if guess.lang in family:
            return sum(guess.scores.get(lang, 0.0) for lang in family) or guess.confidence
    return guess.confidence


def _undecided(guess: _Guess, found: str, national: str) -> bool:
    """Whether the text, read as `found`, might as well be the country's `national` language of
    the same family."""
    family = next((family for family in FAMILIES if national in family), frozenset())
    return found != national and found in family and not guess.decisive and guess.scores.get(national, 0.0) >= _PRIOR_PLAUSIBLE


def _overrides(guess: _Guess, prior: str, n_words: int) -> bool:
    """Whether the text is strong enough evidence to leave the prior language."""
    if guess.decisive or (guess.lang == prior and n_words >= MIN_WORDS_TO_SWITCH):
        return True
    return n_words >= MIN_WORDS_TO_SWITCH and _family_confidence(guess) >= _CONFIDENT and guess.scores.get(prior, 0.0) <= _PRIOR_PLAUSIBLE


def detect(text: str, priors: Priors = Priors()) -> Detection:
    """The language of `text` (one of SUPPORTED), deciding short or ambiguous messages by `priors`."""
    guess, n_words = _read_text(text)
    prior = _prior(priors)
    if guess is not None and (prior is None or _overrides(guess, prior[0], n_words)):
        result = Detection(guess.lang, guess.confidence, guess.reason)
    elif prior is not None:
        lang, source = prior
        confidence = _PRIOR_CONFIDENCE[source]
        if guess is not None and guess.lang == lang:
            confidence = max(confidence, guess.confidence)
        result = Detection(lang, confidence, f"prior:{source}")
    else:
        result = Detection(FALLBACK_LANG, 0.0, "default")
    national = _NATIONAL.get(priors.country or "")
    if national and priors.chosen is None and priors.recent is None and guess is not None and _undecided(guess, result.lang, national):
        result = Detection(national, round(_family_confidence(guess), 3), "country")
    logger.debug("detected %s (%.2f, %s) over %d words", result.lang, result.confidence, result.reason, n_words)
    return result


def other_language(text: str, expected: str) -> str | None:
    """The language `text` is written in when that is not `expected` (nor one the detector cannot
    tell from it, such as Malay for Indonesian); None when the text is in `expected`."""
    found = detect(text).lang
    same = next((family for family in FAMILIES if expected in family), frozenset({expected}))
    return None if found in same else found
