"""Deterministic answer-quality metrics: pure functions from an answer and its case to scores.

Each metric that can fail carries a `reason` written for the report ("none of ['90%',
'ninety'] found"), so a failing case says why without re-running it. Scores that do not
apply to a case (retrieval for a refusal, citation precision without citations) are None,
never 0, so they are left out of averages instead of dragging them down.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from sacrebleu import CHRF

from bot.evaluation.matching import comparable, contains
from bot.evaluation.suite import Expect
from bot.language import FAMILIES, detect
from bot.language.figures import CITATION, numbers_in, ungrounded_numbers
from bot.language.scripts import count_letters, decide_by_script
from bot.language.tokens import clean

logger = logging.getLogger(__name__)

_DIGITS = re.compile(r"\d+")
# chrF as sacrebleu defines it: character 6-grams, no word n-grams, recall weighted (beta 2).
_CHRF = CHRF()


@dataclass(frozen=True)
class RetrievalScores:
    """Binary-relevance retrieval quality at k, and which expected ids were not in the top k."""

    hit: bool
    recall: float
    mrr: float
    ndcg: float
    reason: str = ""


@dataclass(frozen=True)
class CitationScores:
    """Whether every citation names a numbered source, and how well they match the expected ids."""

    valid: bool
    fabricated: tuple[int, ...]
    precision: float | None
    recall: float | None
    reason: str = ""


@dataclass(frozen=True)
class IncludeCheck:
    """Required groups of alternatives that no alternative matched, and forbidden strings found."""

    include_ok: bool
    exclude_ok: bool
    missing: tuple[tuple[str, ...], ...]
    forbidden: tuple[str, ...]
    reason: str = ""

    @property
    def ok(self) -> bool:
        """Both halves pass."""
        return self.include_ok and self.exclude_ok


@dataclass(frozen=True)
class LanguageMatch:
    """Whether the answer is in the case's language, the language found ("" if none) and why."""

    ok: bool
    found: str
    reason: str


@dataclass(frozen=True)
class RefusalCounts:
    """Reply kinds counted both ways: refusing when it should not is an error too, and so is
    answering a greeting with guide bullets, or greeting back a question."""

    correct_refusals: int = 0
    missed_refusals: int = 0  # should have refused, answered
    false_refusals: int = 0  # should have answered (or greeted), refused
    correct_answers: int = 0
    correct_greetings: int = 0
    wrong_greetings: int = 0  # a greeting expected and not given, or given where none was

    @property
    def total(self) -> int:
        """Every decision counted."""
        return self.correct_refusals + self.missed_refusals + self.false_refusals + self.correct_answers + self.correct_greetings + self.wrong_greetings

    @property
    def accuracy(self) -> float | None:
        """Share of right decisions, to refuse, to answer or to greet; None when nothing was counted."""
        return (self.correct_refusals + self.correct_answers + self.correct_greetings) / self.total if self.total else None


@dataclass(frozen=True)
class NumericGrounding:
    """Share of the answer's figures found in the retrieved contexts (None: no figures), and the rest."""

    score: float | None
    ungrounded: tuple[str, ...]
    reason: str = ""


def retrieval_scores(retrieved: Sequence[str], expected: Collection[str], k: int = 5) -> RetrievalScores | None:
    """hit@k, recall@k, MRR and nDCG@k of retrieved ids against the expected ids; None if none are expected.

    Relevance is binary. The retrieved list is de-duplicated first, keeping each id's first
    rank, because a document retrieved as several chunks is still one document. hit, recall
    and nDCG look at the top k; MRR looks at the whole list, so a relevant document at rank
    k + 1 still scores 1/(k + 1) and a regression from rank 2 to rank 7 remains visible.
    The ideal DCG has min(k, len(expected)) relevant documents at the top.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    relevant = set(expected)
    if not relevant:
        return None
    ranked = list(dict.fromkeys(retrieved))
    top = ranked[:k]
    found = [doc_id for doc_id in top if doc_id in relevant]
    first = next((rank for rank, doc_id in enumerate(ranked, 1) if doc_id in relevant), None)
    dcg = sum(1 / math.log2(rank + 1) for rank, doc_id in enumerate(top, 1) if doc_id in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(k, len(relevant)) + 1))
    missing = sorted(relevant - set(found))
    return RetrievalScores(
        hit=bool(found),
        recall=len(found) / len(relevant),
        mrr=1 / first if first else 0.0,
        ndcg=dcg / ideal,
        reason=f"{missing} not in the top {k} of {top}" if missing else "",
    )


def cited_numbers(text: str) -> list[int]:
    """The citation numbers in an answer ([1], [2, 3], [1][2]), each once, in order of first use."""
    numbers = (int(n) for match in CITATION.finditer(text) for n in _DIGITS.findall(match.group(1)))
    return list(dict.fromkeys(numbers))


def citation_scores(cited: Collection[int], sources: Mapping[int, str], retrieved_count: int, expected: Collection[str]) -> CitationScores:
    """Citations checked against the numbered sources (number → original id) and the expected ids.

    A number that names no source is fabricated and makes the citations invalid. Precision
    is the share of distinct cited numbers whose source is expected, a fabricated number
    counting as not expected; recall is the share of expected ids cited. Precision is None
    without citations or without expected ids (nothing to judge relevance against); recall
    is None without expected ids.
    """
    numbers = list(dict.fromkeys(cited))
    fabricated = tuple(sorted(n for n in numbers if n not in sources))
    relevant = set(expected)
    cited_ids = {sources[n] for n in numbers if n in sources}
    hits = [n for n in numbers if sources.get(n) in relevant]
    uncited = sorted(relevant - cited_ids)
    problems = [_fabrication_reason(fabricated, sorted(sources), retrieved_count)] if fabricated else []
    if uncited:
        problems.append(f"does not cite {uncited}")
    return CitationScores(
        valid=not fabricated,
        fabricated=fabricated,
        precision=len(hits) / len(numbers) if numbers and relevant else None,
        recall=len(relevant & cited_ids) / len(relevant) if relevant else None,
        reason="; ".join(problems),
    )


def _fabrication_reason(fabricated: tuple[int, ...], numbers: list[int], retrieved_count: int) -> str:
    """Why the numbers are fabricated, e.g. "cites [4] but only 3 sources were retrieved"."""
    cites = f"cites {list(fabricated)}"
    if not numbers:
        return f"{cites} but no sources were {'retrieved' if retrieved_count == 0 else 'numbered'}"
    if numbers != list(range(1, len(numbers) + 1)):
        return f"{cites} but the sources are numbered {numbers}"
    sources = f"only {len(numbers)} source was" if len(numbers) == 1 else f"only {len(numbers)} sources were"
    if retrieved_count == len(numbers):
        return f"{cites} but {sources} retrieved"
    return f"{cites} but {sources} numbered (from {retrieved_count} retrieved)"


def includes(text: str, must_include: Sequence[Sequence[str]], must_not_include: Sequence[str]) -> IncludeCheck:
    """Every group of alternatives matched by one of them, and no forbidden string present.

    Matching is a substring of comparable text (see `contains`). A group without
    alternatives can never match, so it is reported as missing rather than passing silently.
    """
    missing = tuple(tuple(group) for group in must_include if not any(contains(text, alternative) for alternative in group))
    forbidden = tuple(needle for needle in must_not_include if contains(text, needle))
    problems = [f"none of {list(group)} found" for group in missing]
    problems += [f"{needle!r} must not appear" for needle in forbidden]
    return IncludeCheck(include_ok=not missing, exclude_ok=not forbidden, missing=missing, forbidden=forbidden, reason="; ".join(problems))


def language_match(text: str, lang: str) -> LanguageMatch:
    """Whether `text` is written in `lang`, allowing the English technical terms answers carry.

    URLs, citation markers and digits are removed first. Each line is read on its own and
    weighs by its letters; the answer matches when lines in `lang` hold most of them, so a
    one-line note in Khmer above English bullet points is not a Khmer answer. On a line, a
    script that only one language uses (Thai, Lao, Khmer, Burmese, …) decides when it holds a
    fair share of the letters, so "LED" and "CBAM" in a Thai line do not make it English;
    Latin-script lines go to the bot's own detector, which drops acronyms and reads Vietnamese
    diacritics. Indonesian and Malay are one family here: the detector cannot reliably separate
    them, so either matches the other, and the reason says so. No letters is no match.
    """
    plain = _DIGITS.sub(" ", CITATION.sub(" ", clean(text)))
    weights: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    for line in plain.splitlines():
        counts = count_letters(line)
        verdict = decide_by_script(line, counts) if counts else None
        if verdict is not None:
            found, how = verdict.lang, f"{verdict.script} script"
        else:
            detection = detect(line) if counts else None
            if detection is None or detection.reason == "default":
                continue  # nothing on this line to tell a language by
            found, how = detection.lang, f"{detection.reason} {detection.confidence:.2f}"
        weights[found] += sum(counts.values())
        reasons.setdefault(found, how)
    if not weights:
        return LanguageMatch(ok=False, found="", reason=f"no words to tell the language by; expected {lang}")
    family = next((f for f in FAMILIES if lang in f), frozenset({lang}))
    share = sum(weights[member] for member in family) / sum(weights.values())
    found = max(weights, key=lambda member: (member in family, weights[member])) if share >= 0.5 else weights.most_common(1)[0][0]
    how = reasons[found] + ("" if share == 1 else f", {share:.0%} of the letters")
    if share < 0.5:
        return LanguageMatch(ok=False, found=found, reason=f"expected {lang}, found {found} by {how}")
    if found != lang:
        return LanguageMatch(ok=True, found=found, reason=f"{found} by {how}, counted as {lang}: the detector cannot reliably tell id from ms")
    return LanguageMatch(ok=True, found=found, reason=f"{found} by {how}")


def reply_kind(mode: str) -> Expect:
    """What the bot did, in a case's `expect` terms: a refusal, a greeting or an answer (llm or offline)."""
    return Expect(mode) if mode in (Expect.REFUSAL, Expect.GREETING) else Expect.ANSWER


def refusal_correct(expect: str, mode: str) -> bool:
    """Whether the bot gave the kind of reply the case expects ("answer", "refusal" or "greeting")."""
    return _expected(expect) == reply_kind(mode)


def refusal_counts(pairs: Iterable[tuple[str, str]]) -> RefusalCounts:
    """(expect, mode) pairs counted as right and wrong refusals, answers and greetings."""
    tally: Counter[str] = Counter()
    for expect, mode in pairs:
        wanted, got = _expected(expect), reply_kind(mode)
        if Expect.GREETING in (wanted, got):
            tally["correct_greetings" if wanted == got else "wrong_greetings"] += 1
        elif wanted == Expect.REFUSAL:
            tally["correct_refusals" if got == wanted else "missed_refusals"] += 1
        else:
            tally["correct_answers" if got == wanted else "false_refusals"] += 1
    return RefusalCounts(**tally)


def _expected(expect: str) -> Expect:
    """A case's `expect`; any value but "answer", "refusal" or "greeting" is a suite error."""
    if expect not in tuple(Expect):
        raise ValueError(f"expect must be one of {', '.join(Expect)}, not {expect!r}")
    return Expect(expect)


def numeric_grounding(answer: str, contexts: Sequence[str]) -> NumericGrounding:
    """Share of the answer's distinct figures (numbers, percentages, years) found in the contexts.

    Figures are compared as the pipeline's grounding check compares them: native digits
    mapped to ASCII, thousands separators ignored (1,000 = 1000), citation numbers and list
    markers not counted. None when the answer states no figures.
    """
    figures = list(dict.fromkeys(numbers_in(answer)))
    if not figures:
        return NumericGrounding(score=None, ungrounded=())
    ungrounded = tuple(ungrounded_numbers(answer, list(contexts)))
    reason = f"{list(ungrounded)} not in the retrieved contexts" if ungrounded else ""
    return NumericGrounding(score=(len(figures) - len(ungrounded)) / len(figures), ungrounded=ungrounded, reason=reason)


def chrf(hypothesis: str, reference: str) -> float:
    """chrF (0–100) of an answer against the case's reference answer, both made comparable.

    chrF compares character n-grams, so it needs no word segmentation and works the same
    for Thai, Lao, Khmer and Burmese, which are written without spaces between words.
    BLEU and ROUGE count words, so on those languages a whole sentence is one "word" and
    any difference scores zero. An empty hypothesis or reference scores 0.
    """
    return float(_CHRF.sentence_score(comparable(hypothesis), [comparable(reference)]).score)


def cost_usd(prompt_tokens: int, completion_tokens: int, price_per_1k_prompt: float, price_per_1k_completion: float) -> float:
    """What one call cost, from token counts and per-1,000-token prices in US dollars."""
    return (prompt_tokens * price_per_1k_prompt + completion_tokens * price_per_1k_completion) / 1000
