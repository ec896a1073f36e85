"""BM25 over the chunks, on the folded words and the character runs of language/folding.py, with
pairs of adjacent words and without the question words of each language."""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from bot.language import character_grams, character_pairs, script_of, split_folded

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

# Thai and Burmese runs are read by runs of four written characters (`character_grams`): their
# vowels and tone marks are code points of their own, so code-point pairs cut syllables apart
# ("ห้" is in hundreds of unrelated words) and outvoted the question's words. On the development
# half: MRR 0.966 → 0.978 (Thai 0.95 → 1.00, Burmese 0.87 → 0.94). Khmer and Lao keep the pairs:
# there the runs did not help on the development half, and "តើធ្វើដូចម្តេចដើម្បីសន្សំថាមពលអគ្គិសនីនៅហាង?"
# (saving electricity in a shop) lost its guide to Brunei's, which says "ថាមពលអគ្គិសនី" word for word.
_READ_BY_GRAMS = frozenset({"thai", "myanmar"})  # scripts, as language/scripts.py names them


def index_terms(text: str) -> list[str]:
    """What BM25 matches on: the tokens (a single letter only in pairs) plus each pair of adjacent words.

    Vietnamese words are mostly two syllables ("tủ lạnh", fridge), and typed without accents
    each syllable alone is ambiguous; the pair "tu_lanh" is not. The pairs reward phrase
    matches in every spaced language.
    """
    terms: list[str] = []
    previous = ""
    for run, word in split_folded(text):
        if not word:
            if script_of(run[0]) in _READ_BY_GRAMS:
                terms.extend(character_grams(run))
            else:
                terms.extend(character_pairs(run))
            previous = ""
            continue
        if word in STOPWORDS:
            previous = ""
            continue
        if len(word) > 1 or word.isdigit():  # "s" (typed for "sa", or a guide's "s. 2025") only in pairs
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
        if any(run for run, _ in split_folded(query)):
            # Thai, Lao, Khmer and Burmese words become several character runs each, which
            # outvote a Latin word among them ("BCP", "EUDR", "CBAM", a figure): it counts twice.
            # Development half: MRR 0.95 → 0.96 (Lao 0.87 → 0.93, Burmese 0.85 → 0.87).
            tokens += [token for token in tokens if token.isascii()]
        if not self._size or not tokens:
            return []
        k = min(k, self._size)
        scores = self._bm25.get_scores(tokens)
        if allowed is not None:
            scores = scores * allowed
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((int(i), float(scores[i])) for i in top), key=lambda pair: -pair[1])
        return [(i, s) for i, s in ranked if s > 0]
