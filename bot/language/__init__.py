"""Language detection for chat messages and text folded for matching: pure functions, no network."""

from bot.language.accents import AccentRestorer
from bot.language.codes import SUPPORTED, supported_code
from bot.language.detect import FAMILIES, Detection, Priors, detect, other_language
from bot.language.encoding import cl100k, count_cl100k
from bot.language.folding import character_grams, character_pairs, fold, jaccard, split_folded, tokenize
from bot.language.places import countries_named
from bot.language.scripts import script_of
from bot.language.sentences import leans_back, unquotable_lines

__all__ = [
    "FAMILIES",
    "SUPPORTED",
    "AccentRestorer",
    "Detection",
    "Priors",
    "character_grams",
    "character_pairs",
    "cl100k",
    "count_cl100k",
    "countries_named",
    "detect",
    "fold",
    "jaccard",
    "leans_back",
    "other_language",
    "script_of",
    "split_folded",
    "supported_code",
    "tokenize",
    "unquotable_lines",
]
