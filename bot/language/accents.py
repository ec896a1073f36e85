"""Vietnamese typed without accents, given its accents back from the guides' own words.

Owners often type Vietnamese without diacritics ("lam sao giam tien dien"). BM25 folds accents
away on both sides, but e5 reads the bare letters as another text: the question's vector lands
far from the guide that says "làm sao giảm tiền điện". So the dense query is the question with
each word's accented form that the Vietnamese guides use most next to its neighbours ("tien dien"
→ "tiền điện", not "tiên diễn"), else its commonest form alone. Words the
guides never use stay as typed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from bot.language.folding import fold

_WORD = re.compile(r"[^\W\d_]+")


class AccentRestorer:
    """Accented forms counted over a fixed set of Vietnamese texts."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._words: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._pairs: defaultdict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
        for text in texts:
            words = [word.lower() for word in _WORD.findall(text)]
            for word in words:
                self._words[fold(word)][word] += 1
            for pair in itertools.pairwise(words):
                self._pairs[(fold(pair[0]), fold(pair[1]))][pair] += 1

    def restore(self, text: str) -> str | None:
        """`text`'s words with their accents, or None when it already has accents or none of its
        words is known."""
        words = [word.lower() for word in _WORD.findall(text)]
        if not words or any(fold(word) != word for word in words):
            return None
        restored = [self._accented(words, i) for i in range(len(words))]
        return " ".join(restored) if restored != words else None

    def _accented(self, words: list[str], i: int) -> str:
        """The form that the pairs with both neighbours use most ("viet nam khong": "nam" as in
        "việt nam", which outnumbers "năm không"), else the word's commonest form."""
        word = words[i]
        votes: Counter[str] = Counter()
        if i > 0:
            votes.update({pair[1]: n for pair, n in self._pairs.get((words[i - 1], word), Counter()).items()})
        if i + 1 < len(words):
            for pair, n in self._pairs.get((word, words[i + 1]), Counter()).items():
                votes[pair[0]] += n
        if votes:
            return votes.most_common(1)[0][0]
        if word in self._words:
            return self._words[word].most_common(1)[0][0]
        return word
