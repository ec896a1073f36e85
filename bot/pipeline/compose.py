"""The offline answer: the guides' own sentences, chosen for the question and put in order.

Every quotable sentence of the retrieved passages is a candidate, and so, a little less, is every
other sentence of their sections (a passage is at most three sentences; the fact asked for is
often next to it). Its score adds up:
- meaning: the e5 similarity of the sentence to the question, computed at index time and
  costing one matrix product per question (retrieval hands it over with each passage);
- words: the share of the question's words the sentence or its section's heading contains (a
  list item under "SME Bank of Cambodia loans" is about SME Bank without saying so);
- retrieval: how well its passage was retrieved, its fused score as a share of the best hit's
  (retrieval weighs the question's words and meaning against a whole passage, which one
  sentence's similarity cannot: unaccented Vietnamese, a word e5 does not know);
- kind: a bonus when the sentence holds what the question asks for: an amount (a figure other
  than a year) for "how much / how many", a share (a percentage) for "what percent", a year for
  "when", a named programme, agency or law for "which / who / is there", a step (a list item)
  for "how do I".
The best sentence is the first line: the direct answer, and never one that leans on the sentence
before it ("So an LED gives…", "ดังนั้น…") unless it holds what was asked. Up to `points` more, from the rest, in
score order, support it, with no near-repeats and from any source (a cap of two per source cost
more facts than it gave variety), but the source retrieval ranked first always has a say: when
no line quotes it, its best sentence is the last point. Only sentences in the owner's language are quoted when the
guide exists in it. Never quoted: headings, lead-ins, a guide's words about itself, its questions
to the reader, sentences too long to show whole, and sentences about other countries only than
the one the question names (or else the owner's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.config import ComposerSettings
from bot.domain import ScoredChunk
from bot.language import countries_named, fold, jaccard, leans_back, tokenize


class Asked(StrEnum):
    """What the question asks for, as far as its wording tells."""

    DATE = "date"  # when, what year, by what deadline
    FIGURE = "figure"  # how much, how many, what rate; or a figure of its own, unless it asks "how do I"
    SHARE = "share"  # a figure asked for as a percentage: "what percent", "berapa persen", "bao nhiêu %"
    NAME = "name"  # which, who, is there, what programme
    STEPS = "steps"  # how do I, what can I do
    ANY = "any"


@dataclass(frozen=True)
class Quote:
    """One sentence of an offline answer and the source number it cites."""

    text: str
    source_number: int


@dataclass(frozen=True)
class Composed:
    """The direct answer (the first line) and the points that support it."""

    answer: Quote
    points: tuple[Quote, ...]


# Question words per kind of answer, accent-free and case-folded (Thai, Lao, Khmer, Burmese as written).
_ASKS = {
    Asked.DATE: re.compile(
        r"\b((what|which) (year|date|month)|when|deadline|cutoff|cut-off|since when|until when|"
        r"khi nao|nam nao|bao gio|kapan|bila|bilakah|bilanya|kailan|hanggang kailan)\b"
        r"|เมื่อไร|เมื่อไหร่|ปีไหน|วันไหน|ពេលណា|ឆ្នាំណា|ថ្ងៃណា|ເມື່ອໃດ|ປີໃດ|ວັນໃດ|ဘယ်တော့|ဘယ်အချိန်|ဘယ်နှစ်က|ဘယ်တုန်းက"
    ),
    Asked.FIGURE: re.compile(
        r"\b(how (much|many|long|often)|(what|which) (percent|share)|cost|price|rate|"
        r"bao nhieu|bao lau|"
        r"may|gia|berapa|brp|magkano|ilan|gaano)\b"
        r"|เท่าไร|เท่าไหร่|กี่|ប៉ុន្មាន|ເທົ່າໃດ|ຈັກ|ဘယ်လောက်|ဘယ်နှစ်"
    ),
    Asked.NAME: re.compile(
        r"\b(which|who|is there|are there|what (programmes?|programs?|schemes?|loans?|grants?|labels?|agency|agencies|laws?|rules?)|where|"
        r"nao|ai|o dau|co .* khong|siapa|mana|ada|adakah|sino|saan|alin|may)\b"
        r"|ไหน|ใคร|มี.*ไหม|มี.*หรือไม่|ណា|នរណា|មាន.*ទេ|ໃດ|ໃຜ|ມີ.*ບໍ|ဘယ်သူ|ရှိလား|ရှိပါသလား"
    ),
    Asked.STEPS: re.compile(
        r"\b(how (do|can|should|to)|what can i do|tips|steps|lam sao|lam the nao|cach|bagaimana|gimana|macam mana|cara|paano|paraan)\b"
        r"|อย่างไร|ยังไง|วิธี|ធ្វើយ៉ាងម៉េច|យ៉ាងដូចម្តេច|វិធី|ແນວໃດ|ວິທີ|ဘယ်လို|နည်းလမ်း"
    ),
}
_FIGURE = re.compile(r"\d")
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d\d(?![\d%]|[.,]\d)")  # a year alone is a date, not an amount
_NAME = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b|\b[A-Z][a-z]+(?: [A-Z][a-z]+)+\b")  # an acronym or a Name Of Several Words
_PERCENT_ASKED = re.compile(r"%|\b(percent|per cent|persen|peratus|porsiyento|phan tram)\b|เปอร์เซ็นต์|ເປີເຊັນ|ភាគរយ|ရာခိုင်နှုန်း")
_PERCENT = re.compile(r"%|\bper ?cent\b|ភាគរយ|ရာခိုင်နှုန်း|เปอร์เซ็นต์")
_SAME = 0.6  # Jaccard overlap of words above which two sentences are repeats


def asked(question: str) -> Asked:
    """What the question asks for: the first kind whose wording it uses; but a figure of its own
    makes a yes/no or bare question one about a figure ("CBAM under 50 t?"). With "how do I" the
    figure is the owner's situation: "my bill is 8,000 baht, how do I cut it?" asks for steps."""
    flat = fold(question)
    kind = next((kind for kind, pattern in _ASKS.items() if pattern.search(flat)), Asked.ANY)
    if kind in (Asked.NAME, Asked.ANY) and _FIGURE.search(flat):
        kind = Asked.FIGURE
    return Asked.SHARE if kind is Asked.FIGURE and _PERCENT_ASKED.search(flat) else kind


def compose(question: str, lang: str, hits: list[tuple[int, ScoredChunk]], settings: ComposerSettings, country: str | None = None) -> Composed | None:
    """The best sentences for `question` from numbered hits (in rank order), or None when no
    hit has a sentence that may be quoted. `country` is the owner's, when the question names none."""
    want = asked(question)
    words = set(tokenize(question))
    named = set(countries_named(question)) or ({country} if country else set())
    local = any(hit.chunk.lang == lang for _, hit in hits)  # quote the owner's language only, when there is any
    candidates: list[tuple[float, int, str, int]] = []  # (score, order, sentence, source number)
    best_hit = max((hit.score for _, hit in hits), default=0.0) or 1.0
    for number, hit in hits:
        if local and hit.chunk.lang != lang:
            continue
        scores = hit.sentence_scores or (0.0,) * len(hit.chunk.sentences)
        heading = set(tokenize(hit.chunk.section))  # a list item's subject is often named only in its heading
        own = [(sentence, meaning, 0.0) for sentence, meaning in zip(hit.chunk.sentences, scores, strict=True)]
        for sentence, meaning, away in [*own, *((sentence, meaning, settings.context) for sentence, meaning in hit.context)]:
            if not sentence.quotable or (named and _elsewhere(sentence.text, named)):
                continue
            tokens = set(tokenize(sentence.text)) | heading
            overlap = len(words & tokens) / len(words) if words else 0.0
            score = (
                settings.meaning * meaning
                + settings.words * overlap
                + settings.retrieval * hit.score / best_hit
                + settings.kind * _holds(want, sentence.text, sentence.kind.value)
                - away
            )
            candidates.append((score, len(candidates), sentence.text, number))
    if not candidates:
        return None
    candidates.sort(key=lambda item: (-item[0], item[1]))
    # "So an LED gives more light…" cannot open an answer, unless it holds what was asked ("So 1,000 kWh is 420 kg CO2e")
    opener = next((i for i, (_, _, text, _) in enumerate(candidates) if not leans_back(text) or _holds(want, text, "")), 0)
    _, _, best, number = candidates.pop(opener)
    chosen = [Quote(best, number)]
    taken = [set(tokenize(best))]
    for _, _, text, number in candidates:
        if len(chosen) > settings.points:
            break
        tokens = set(tokenize(text))
        if any(jaccard(tokens, other) >= _SAME for other in taken):
            continue
        chosen.append(Quote(text, number))
        taken.append(tokens)
    top = hits[0][0]  # the source retrieval ranked first says something, in the last point if nowhere else
    if settings.points and all(q.source_number != top for q in chosen):
        best_of_top = next((Quote(text, n) for _, _, text, n in candidates if n == top), None)
        if best_of_top is not None:
            chosen = [*chosen[: settings.points], best_of_top]
    return Composed(chosen[0], tuple(chosen[1:]))


def _holds(want: Asked, text: str, kind: str) -> float:
    """1 when the sentence holds the kind of thing asked for, else 0."""
    if want is Asked.DATE:
        return float(_YEAR.search(text) is not None)
    if want is Asked.SHARE:  # a percentage, not any figure
        return float(_PERCENT.search(text) is not None)
    if want is Asked.FIGURE:
        return float(_FIGURE.search(_YEAR.sub("", text)) is not None)
    if want is Asked.NAME:
        return float(_NAME.search(text) is not None)
    if want is Asked.STEPS:
        return float(kind == "list_item")
    return 0.0


def _elsewhere(text: str, named: set[str]) -> bool:
    """A sentence about other countries only, when the question names its own."""
    about = set(countries_named(text))
    return bool(about) and not about & named
