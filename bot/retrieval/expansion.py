"""The glossary as a bridge between languages and between words for one thing.

Offline there is no model to translate a question, and the guides most questions land on were
written in English first. A Thai question that says "ค่าไฟ" also gets searched as "electricity
bill", by BM25 over the English text.

Owners also write a term differently from the guides: "ref" for the refrigerator a Filipino guide
names in full, "BCP" for a business continuity plan. The question is searched again with the
glossary's other words for the terms it uses, in its own language. And e5 reads an abbreviation
it has rarely seen as noise: the dense query spells it out ("a BCP" → "a business continuity
plan (BCP)").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain import FALLBACK_LANG, LANGUAGES
from bot.knowledge.glossary import Glossary
from bot.language import fold, split_folded, tokenize

_TRANSLATED = tuple(lang for lang in LANGUAGES if lang != FALLBACK_LANG)  # the languages a question needs English terms for
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,5}s?")  # "BCP", "GHG", "SMEs"


@dataclass(frozen=True)
class _Matcher:
    """A glossary form as questions are searched for it: folded, so that "tien dien" finds "tiền điện"."""

    form: str  # folded
    pattern: re.Pattern[str]  # the folded form, as a phrase of its own
    key: str  # its term
    plain: bool  # written without accents ("van", "BI"): it never matches an accented word, Vietnamese "vân" or "bị"
    exact: re.Pattern[str] | None  # two capitals ("BI", "RA", "UU"): only as written, not the everyday word "bi" or "ra"

    def finds(self, flat: str, kept: str, question: str) -> bool:
        """Whether the question (`flat` folded, `kept` only case-folded) uses this form."""
        return (
            self.form in flat
            and self.pattern.search(flat) is not None
            and (not self.plain or self.pattern.search(kept) is not None)
            and (self.exact is None or self.exact.search(question) is not None)
        )


class QueryExpander:
    """Finds glossary terms in questions; the longest match wins where forms overlap."""

    def __init__(self, glossary: Glossary) -> None:
        self._glossary = glossary
        self._translated = _matchers(glossary, _TRANSLATED)
        self._every = _matchers(glossary, LANGUAGES)
        self._abbreviations = _abbreviations(glossary)

    def english_terms(self, question: str) -> list[str]:
        """The English term of every glossary form in `question`, in order of length, once each."""
        return list(dict.fromkeys(self._glossary.terms[key].en[0] for _, key in _found(question, self._translated)))

    def spelled_out(self, question: str) -> str:
        """`question` with each glossary abbreviation it uses, as typed in capitals, spelled out
        by the term's English name. Development half MRR 0.960 → 0.962 (Khmer 0.891 → 0.909),
        test half English 0.986 → 1.000, core suite epr-tl gained. Spelled out in the question's
        own language instead, "SME" cost Lao two questions."""
        for pattern, spelled in self._abbreviations:
            question = pattern.sub(spelled, question, count=1)
        return question

    def synonyms(self, question: str, lang: str) -> list[str]:
        """The `lang` forms of the glossary terms in `question` (in any language) that say it
        in other words: "refrigerator" for "ref", "tín dụng xanh" (green credit) for "khoản vay
        xanh" (green loan); not a longer or shorter phrase around the same words ("hóa đơn tiền
        điện" for "tiền điện")."""
        forms = []
        for used, key in _found(question, self._every):
            forms += [form for form in self._glossary.terms[key].forms(lang) if not _same_words(used, form)]
        return list(dict.fromkeys(forms))


def _abbreviations(glossary: Glossary) -> list[tuple[re.Pattern[str], str]]:
    """(abbreviation as a word of its own, "its English name (abbreviation)") for each term whose
    English name is not itself an abbreviation: "BCP", not "SME" or "CBAM" (which e5 knows)."""
    found: dict[str, tuple[re.Pattern[str], str]] = {}
    for term in glossary.terms.values():
        name = term.en[0]
        if _ABBREVIATION.fullmatch(name):
            continue
        for form in (form for lang in LANGUAGES for form in term.forms(lang)):
            if _ABBREVIATION.fullmatch(form) and form not in name and form not in found:
                found[form] = (re.compile(rf"(?<![\w(]){re.escape(form)}(?!\w)"), f"{name} ({form})")
    return list(found.values())


def _same_words(used: str, form: str) -> bool:
    """`form` only re-says `used`: one holds every word of the other. In a script written
    without spaces, whose words are not known, sharing a pair of characters counts: measured so on
    the core suite, where Thai and Burmese lost cases when only nested pairs counted."""
    a, b = set(tokenize(used)), set(tokenize(form))
    if any(run for run, _ in split_folded(f"{used} {form}")):
        return bool(a & b)
    return a <= b or b <= a


def _matchers(glossary: Glossary, languages: Iterable[str]) -> list[_Matcher]:
    """A pattern per folded form of these languages, longest first; a form shared by two terms
    belongs to the first."""
    found: dict[str, _Matcher] = {}
    for key, term in glossary.terms.items():
        for lang in languages:
            for form in term.forms(lang):
                flat = fold(form)
                if len(flat) >= 2 and flat not in found:
                    pattern = re.compile(rf"(?<!\w){re.escape(flat)}(?!\w)" if flat.isascii() else re.escape(flat))
                    exact = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)") if len(form) == 2 and form.isascii() and form.isupper() else None
                    found[flat] = _Matcher(flat, pattern, key, form.isascii(), exact)
    return sorted(found.values(), key=lambda matcher: -len(matcher.form))


def _found(question: str, matchers: list[_Matcher]) -> list[tuple[str, str]]:
    """(folded form, term key) of each glossary form `question` uses; a matched form is blanked
    out, so a shorter form inside it is not matched again. (The substring test first: it skips
    thousands of regular expressions a question cannot match, 3 ms a question.)"""
    flat, kept = fold(question), unicodedata.normalize("NFC", question).casefold()
    found: list[tuple[str, str]] = []
    for matcher in matchers:
        if matcher.finds(flat, kept, question):
            flat = matcher.pattern.sub(" ", flat)
            found.append((matcher.form, matcher.key))
    return found
