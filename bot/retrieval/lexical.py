"""BM25 over the chunks, with a tokenizer for the languages we serve.

- Latin-script text is case-folded and accent-stripped, so "lam sao giam tien dien" matches
  "làm sao giảm tiền điện" (Vietnamese typed without diacritics is common in chat).
- Thai, Lao, Khmer and Burmese are written without spaces between words: their runs become
  overlapping character bigrams, which match without a word segmenter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import bm25s
import numpy as np

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer.
_UNSEGMENTED = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\uaa60-\uaa7f\u1780-\u17ff\u19e0-\u19ff"
_TOKEN = re.compile(rf"([{_UNSEGMENTED}]+)|([^\W_]+)")
# Marks that only decorate Latin letters (Vietnamese tones, accents); other scripts keep theirs.
_LATIN_MARKS = re.compile(r"(?<=[a-zA-Z])[\u0300-\u036f]+")
_NGRAM = 2
# Question and function words that carry no topic, per language (accent-free, case-folded).
# Without them a Vietnamese question matches every Vietnamese document on "lam sao ... khong".
STOPWORDS = frozenset(
    (
        "a an and are as at be but by can could do does for from how i if in is it my of on or our should"
        " so that the their there this to we what when where which who why will with you your"
        " lam sao de co khong can cho cua va la cac nhung mot trong o thi ma duoc nhu the nao gi bao nhieu toi ban"
        " minh voi den ra vao nay do khi neu phai hay ko k dc vay a oi nhe"
        " apa bagaimana gimana cara yang dan di ke dari untuk dengan ini itu saya kami kita anda bisa boleh ada"
        " atau juga pada adalah tidak tak nak macam mana ke kah ya berapa brp bila kapan apakah adakah gmn"
        " ano paano pano magkano sino saan kailan gaano ilan bakit alin ang mga sa ng na ba po ko ka namin natin kung para may"
        " yung lang naman pag kapag din rin nga ito iyan ako mo kami kayo sila niya nila ninyo ni si"
    ).split()
)


def normalize(text: str) -> str:
    """Case-fold and remove accents from Latin letters, leaving other scripts intact."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed)).casefold()


def tokenize(text: str) -> list[str]:
    """Words for spaced scripts, character bigrams for unsegmented ones."""
    tokens: list[str] = []
    for run, word in _TOKEN.findall(normalize(text)):
        if word:
            tokens.append(word)
        elif len(run) <= _NGRAM:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + _NGRAM] for i in range(len(run) - _NGRAM + 1))
    return tokens


def index_terms(text: str) -> list[str]:
    """What BM25 matches on: the tokens plus each pair of adjacent words.

    Vietnamese words are mostly two syllables ("tủ lạnh", fridge), and typed without accents
    each syllable alone is ambiguous; the pair "tu_lanh" is not. The pairs reward phrase
    matches in every spaced language.
    """
    terms: list[str] = []
    previous = ""
    for run, word in _TOKEN.findall(normalize(text)):
        if not word:
            terms.extend(tokenize(run))
            previous = ""
            continue
        if word in STOPWORDS:
            previous = ""
            continue
        terms.append(word)
        if previous:
            terms.append(f"{previous}_{word}")
        previous = word
    return terms


class LexicalIndex:
    """An in-memory BM25 index over a fixed list of texts."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._size = len(texts)
        self._bm25 = bm25s.BM25()
        if self._size:
            # bm25s takes pre-split token lists as they are.
            self._bm25.index([index_terms(t) or [""] for t in texts], show_progress=False)

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(position, score) of the best `k` texts; `allowed` is a 0/1 mask over positions."""
        tokens = index_terms(query)
        if not self._size or not tokens:
            return []
        k = min(k, self._size)
        scores = self._bm25.get_scores(tokens)
        if allowed is not None:
            scores = scores * allowed
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((int(i), float(scores[i])) for i in top), key=lambda pair: -pair[1])
        return [(i, s) for i, s in ranked if s > 0]


def jaccard(a: set[str], b: set[str]) -> float:
    """Overlap of two token sets: how near two texts are to repeating each other."""
    return len(a & b) / len(a | b) if a and b else 0.0
