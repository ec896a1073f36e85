"""The glossary as a bridge between languages: the English terms a question uses, in any language.

Offline there is no model to translate a question, and the guides most questions land on were
written in English first. A Thai question that says "ค่าไฟ" also gets searched as "electricity
bill", by BM25 over the English text and as a second dense query.
"""

from __future__ import annotations

import re

from bot.domain import FALLBACK_LANG, LANGUAGES
from bot.knowledge.glossary import Glossary
from bot.language import fold

_TRANSLATED = tuple(lang for lang in LANGUAGES if lang != FALLBACK_LANG)  # the languages a question needs English terms for


class QueryExpander:
    """Finds glossary terms in questions; the longest match wins where forms overlap."""

    def __init__(self, glossary: Glossary) -> None:
        found: dict[str, tuple[re.Pattern[str], str]] = {}
        for term in glossary.terms.values():
            english = term.en[0]
            for lang in _TRANSLATED:
                for form in term.forms(lang):
                    flat = fold(form)
                    if len(flat) >= 2 and flat not in found:
                        pattern = re.compile(rf"(?<!\w){re.escape(flat)}(?!\w)" if flat.isascii() else re.escape(flat))
                        found[flat] = (pattern, english)
        self._forms = sorted(found.values(), key=lambda item: -len(item[0].pattern))

    def english_terms(self, question: str) -> list[str]:
        """The English term of every glossary form in `question`, in order of length, once each."""
        flat = fold(question)
        terms: list[str] = []
        for pattern, english in self._forms:
            if pattern.search(flat):
                flat = pattern.sub(" ", flat)
                if english not in terms:
                    terms.append(english)
        return terms
