"""Offline answers: the best-supported sentences of the top chunks, as a few short points.

Used when no model is configured or the model server fails. Sentences are ranked against
the question (shared words, including Thai-script character pairs and unaccented Vietnamese)
and by the rank of their chunk, so a cross-lingual question still gets the top passages.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.domain import ScoredChunk
from bot.retrieval import tokenize

# Sentence ends: Latin punctuation, Khmer khan, Burmese section mark; lines are units too.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\s\d])|(?<=[។။])\s*")
_MARKUP = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+|\*\*|__|`|^#+\s*", re.MULTILINE)
_MAX_CHARS = 280
_MIN_TOKENS = 3
_SAME = 0.6  # Jaccard overlap above which two sentences are repeats
_RANK_WEIGHT = 0.6


@dataclass(frozen=True)
class Point:
    """One bullet of an offline answer and the source number it cites."""

    text: str
    source_number: int


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a chunk, without Markdown markup, cut to a readable length."""
    sentences = []
    for line in text.splitlines():
        line = _MARKUP.sub("", line).strip()
        if not line:
            continue
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.strip()
            if len(sentence) > _MAX_CHARS:
                sentence = sentence[: _MAX_CHARS].rsplit(" ", 1)[0] + "…"
            if len(tokenize(sentence)) >= _MIN_TOKENS:
                sentences.append(sentence)
    return sentences


def extract_points(question: str, hits: list[tuple[int, ScoredChunk]], max_points: int = 4, per_chunk: int = 2) -> list[Point]:
    """The best sentences for `question` from numbered hits (in rank order), without repeats."""
    asked = set(tokenize(question))
    scored: list[tuple[float, int, str, int]] = []  # (score, order, sentence, source number)
    for rank, (number, hit) in enumerate(hits):
        for position, sentence in enumerate(split_sentences(hit.chunk.text)):
            tokens = set(tokenize(sentence))
            overlap = len(asked & tokens) / math.sqrt(len(tokens)) if asked else 0.0
            prior = _RANK_WEIGHT / (1 + rank) + 0.05 / (1 + position)
            scored.append((overlap + prior, len(scored), sentence, number))
    scored.sort(key=lambda item: (-item[0], item[1]))
    points: list[Point] = []
    taken: list[set[str]] = []
    per_source: dict[int, int] = {}
    for _, _, sentence, number in scored:
        tokens = set(tokenize(sentence))
        if per_source.get(number, 0) >= per_chunk or any(_jaccard(tokens, t) >= _SAME for t in taken):
            continue
        points.append(Point(sentence, number))
        taken.append(tokens)
        per_source[number] = per_source.get(number, 0) + 1
        if len(points) == max_points:
            break
    return points


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
