"""The glossary as a bridge between languages and between words for one thing.

Offline there is no model to translate a question, and the guides most questions land on were
written in English first. A Thai question that says "ค่าไฟ" also gets searched as "electricity
bill", by BM25 over the English text.

Owners also write a term differently from the guides: "ref" for the refrigerator a Filipino guide
names in full, "BCP" for a business continuity plan. The question is searched again with the
glossary's other words for the terms it uses, in its own language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.domain import FALLBACK_LANG, LANGUAGES
from bot.knowledge.glossary import Glossary
from bot.language import fold, tokenize

_TRANSLATED = tuple(lang for lang in LANGUAGES if lang != FALLBACK_LANG)  # the languages a question needs English terms for

_Matcher = tuple[str, re.Pattern[str], str]  # a folded form, its pattern, and the key of its term


class QueryExpander:
    """Finds glossary terms in questions; the longest match wins where forms overlap."""

    def __init__(self, glossary: Glossary) -> None:
        self._glossary = glossary
        self._translated = _matchers(glossary, _TRANSLATED)
        self._every = _matchers(glossary, LANGUAGES)

    def english_terms(self, question: str) -> list[str]:
        """The English term of every glossary form in `question`, in order of length, once each."""
        return list(dict.fromkeys(self._glossary.terms[key].en[0] for _, key in _found(question, self._translated)))

    def synonyms(self, question: str, lang: str) -> list[str]:
        """The `lang` forms of the glossary terms in `question` (in any language) that share no
        word with the form it uses: other words for the same thing ("ref": "refrigerator"), not
        a longer phrase around the same words ("tiền điện": "hóa đơn tiền điện")."""
        forms = []
        for used, key in _found(question, self._every):
            words = set(tokenize(used))
            forms += [form for form in self._glossary.terms[key].forms(lang) if not words & set(tokenize(form))]
        return list(dict.fromkeys(forms))


def _matchers(glossary: Glossary, languages: Iterable[str]) -> list[_Matcher]:
    """A pattern per folded form of these languages, longest first; a form shared by two terms
    belongs to the first."""
    found: dict[str, _Matcher] = {}
    for key, term in glossary.terms.items():
        for lang in languages:
            for form in term.forms(lang):
                flat = fold(form)
                if len(flat) >= 2 and flat not in found:
                    found[flat] = (flat, re.compile(rf"(?<!\w){re.escape(flat)}(?!\w)" if flat.isascii() else re.escape(flat)), key)
    return sorted(found.values(), key=lambda item: -len(item[0]))


def _found(question: str, matchers: list[_Matcher]) -> list[tuple[str, str]]:
    """(folded form, term key) of each glossary form `question` uses; a matched form is blanked
    out, so a shorter form inside it is not matched again. (The substring test first: it skips
    thousands of regular expressions a question cannot match, 3 ms a question.)"""
    flat = fold(question)
    found: list[tuple[str, str]] = []
    for form, pattern, key in matchers:
        if form in flat and pattern.search(flat):
            flat = pattern.sub(" ", flat)
            found.append((form, key))
    return found
