"""Text folded for matching, in every script we serve: the form search, the guards and the
offline answer compare words in.

- Latin-script text is case-folded and accent-stripped, so "lam sao giam tien dien" matches
  "làm sao giảm tiền điện" (Vietnamese typed without diacritics is common in chat).
- Thai, Lao, Khmer and Burmese are written without spaces between words: their runs become
  overlapping character pairs, which match without a word segmenter; BM25 reads Thai and
  Burmese by overlapping runs of four written characters (`character_grams`).
"""

from __future__ import annotations

import re
import unicodedata

import regex

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer.
_UNSEGMENTED = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff"
_TOKEN = re.compile(rf"([{_UNSEGMENTED}]+)|([^\W_]+)")
# Marks that only decorate Latin letters (Vietnamese tones, accents); other scripts keep theirs.
_LATIN_MARKS = re.compile(r"(?<=[a-zA-Z])[\u0300-\u036f]+")
_PAIR = 2
_GRAM = 4
_CLUSTER = regex.compile(r"\X")  # what a reader sees as one character: a letter with its marks, a Khmer stack


def fold(text: str) -> str:
    """Case-fold and remove accents from Latin letters, leaving other scripts intact."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed)).casefold()


def split_folded(text: str) -> list[tuple[str, str]]:
    """`text` folded and cut, in order, into (run, word) pairs of which exactly one is set: a run
    of a script written without spaces, or a word."""
    return _TOKEN.findall(fold(text))


def character_pairs(run: str) -> list[str]:
    """Overlapping pairs of characters of an unsegmented run; a run of one or two stays whole."""
    return [run] if len(run) <= _PAIR else [run[i : i + _PAIR] for i in range(len(run) - _PAIR + 1)]


def character_grams(run: str) -> list[str]:
    """Overlapping runs of four written characters of an unsegmented run, each a letter with its
    vowel and tone marks (Thai "ป็", Khmer "ប្រែ"); a shorter run stays whole. Unlike code-point
    pairs, they do not cut a syllable apart ("ู" + "ก"). (Runs of three and of five measured a
    little worse for BM25 on the development half.)"""
    clusters = _CLUSTER.findall(run)
    if len(clusters) <= _GRAM:
        return [run]
    return ["".join(clusters[i : i + _GRAM]) for i in range(len(clusters) - _GRAM + 1)]


def tokenize(text: str) -> list[str]:
    """Words for spaced scripts, character pairs for unsegmented ones."""
    tokens: list[str] = []
    for run, word in split_folded(text):
        if word:
            tokens.append(word)
        else:
            tokens.extend(character_pairs(run))
    return tokens


def jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of two token sets: how near two texts are to repeating each other."""
    return len(a & b) / len(a | b) if a and b else 0.0
