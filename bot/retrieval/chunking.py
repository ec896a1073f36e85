"""Knowledge documents → the records the index stores: one per sentence, and one per title.

A guide is split at its `## ` headings, each section into sentences (language/sentences.py),
and consecutive sentences of a section into passages of at most `passage_sentences` sentences and
`passage_tokens` tokens of the embedding model. Each sentence is embedded once: the retriever
scores a passage by its sentences (their mean and the best of them) and the guide's title, and
the offline answer picks the sentence closest to the question, with no second embedding pass.

The title of each document is a record of its own, so that a passage inherits its guide's
subject ("green finance in Thailand") without repeating it in every sentence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain import Chunk, Sentence, SentenceKind, Source
from bot.knowledge import Document
from bot.language.sentences import split_sentences
from bot.retrieval.store import Record

TITLE = "title"  # the `kind` of a document's title record
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True)
class _Section:
    index: int
    heading: str
    text: str


class Chunker:
    """Splits documents into sentence and title records; build one and reuse it."""

    def __init__(self, passage_tokens: int, passage_sentences: int, *, count_tokens: Callable[[str], int]) -> None:
        self._tokens = passage_tokens
        self._sentences = passage_sentences
        self._count = count_tokens

    def split(self, doc: Document) -> list[Record]:
        """The records of one document, in order, with flat metadata Chroma can store."""
        meta = doc.meta
        base: dict[str, str | int] = {
            "doc_id": meta.id,
            "group_id": doc.group_id,
            "lang": meta.lang,
            "title": meta.title,
            "source": doc.rel_path,
            "topics": "|".join(meta.topics),
            "countries": "|".join(meta.countries),
            "sectors": "|".join(meta.sectors),
            "sources": json.dumps([s.__dict__ for s in doc.sources], ensure_ascii=False),
        }
        records = [Record.keyed(meta.title, {**base, "kind": TITLE, "section": "", "section_index": -1, "passage": -1, "position": -1})]
        passage = position = 0
        for section in _sections(doc.body):
            for group in self._passages(split_sentences(section.text)):
                for sentence in group:
                    metadata = {
                        **base,
                        "kind": sentence.kind.value,
                        "section": section.heading,
                        "section_index": section.index,
                        "passage": passage,
                        "position": position,
                    }
                    records.append(Record.keyed(sentence.text, metadata))
                    position += 1
                passage += 1
        return records

    def _passages(self, sentences: list[Sentence]) -> list[list[Sentence]]:
        """Consecutive sentences grouped up to the size limits; a lead-in stays with what follows."""
        groups: list[list[Sentence]] = []
        current: list[Sentence] = []
        size = 0
        for sentence in sentences:
            tokens = self._count(sentence.text)
            full = len(current) >= self._sentences or (current and size + tokens > self._tokens)
            if full and current[-1].kind is not SentenceKind.LEAD_IN:
                groups.append(current)
                current, size = [], 0
            current.append(sentence)
            size += tokens
        if current:
            groups.append(current)
        return groups


def _sections(body: str) -> list[_Section]:
    """The intro and each headed section, with its heading path ("Steps > This week")."""
    sections: list[_Section] = []
    path: list[str] = []
    lines: list[str] = []
    heading = ""

    def close() -> None:
        if any(line.strip() for line in lines):
            sections.append(_Section(len(sections), heading, "\n".join(lines)))

    for line in body.splitlines():
        match = _HEADING.match(line)
        if match is None:
            lines.append(line)
            continue
        close()
        level = len(match.group(1))
        path = [*path[: level - 2], match.group(2)] if level >= 2 else [match.group(2)]
        heading, lines = " > ".join(path), []
    close()
    return sections


def passage_chunk(records: list[tuple[str, dict[str, object]]], section_text: str) -> Chunk:
    """The passage made of consecutive sentence records (text, metadata) of one document."""
    first = records[0][1]
    sentences = tuple(Sentence(text, SentenceKind(str(meta["kind"]))) for text, meta in records)
    return Chunk(
        id=f"{first['doc_id']}#{first['passage']}",
        doc_id=str(first["doc_id"]),
        group_id=str(first["group_id"]),
        lang=str(first["lang"]),
        title=str(first["title"]),
        section=str(first.get("section", "")),
        text=join_sentences(sentences),
        path=str(first.get("source", "")),
        topics=_split(first.get("topics")),
        countries=_split(first.get("countries")),
        sectors=_split(first.get("sectors")),
        sources=tuple(Source(**s) for s in json.loads(str(first.get("sources") or "[]"))),
        section_index=int(str(first["section_index"])),
        sentences=sentences,
        section_text=section_text,
    )


def join_sentences(sentences: tuple[Sentence, ...] | list[Sentence]) -> str:
    """Sentences as running text; each list item on a line of its own."""
    text = ""
    for sentence in sentences:
        if text:
            text += "\n" if sentence.kind is SentenceKind.LIST_ITEM or text.endswith(":") else " "
        text += sentence.text
    return text


def _split(value: object) -> tuple[str, ...]:
    return tuple(filter(None, str(value or "").split("|")))
