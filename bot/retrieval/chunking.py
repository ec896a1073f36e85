"""Knowledge documents → heading-aware, token-bounded chunks ready for the index.

A chunk never spans two sections: the Markdown is first split at its headings, then each
section is cut to at most `chunk_tokens` tokens of the embedding model, with a small overlap.
Every chunk carries its heading path and its document's metadata.

Lengths are counted with the embedding model's own tokenizer: cl100k, made for English, counts
a Burmese or Lao sentence as six times as many tokens as the English one, which cut those guides
into chunks of a sentence or two.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from langchain_core.documents import Document as LCDocument
from langchain_text_splitters import (
    MarkdownHeaderTextSplitter,
    RecursiveCharacterTextSplitter,
)

from bot.domain import Chunk, Source
from bot.knowledge import Document

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]
# Paragraphs, lines, then sentence ends (Latin, Khmer, Burmese), then spaces.
_SEPARATORS = ["\n\n", "\n", "។", "။", ". ", " ", ""]
_TOPIC_FLAG = "t_"
_COUNTRY_FLAG = "c_"


class Chunker:
    """Splits documents; build one and reuse it (the tokenizer is loaded once)."""

    def __init__(self, chunk_tokens: int, overlap_tokens: int, *, count_tokens: Callable[[str], int]) -> None:
        self._sections = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
        self._count = count_tokens
        self._chunk_tokens = chunk_tokens
        self._overlap_tokens = overlap_tokens

    def _splitter(self, header: str) -> RecursiveCharacterTextSplitter:
        """A splitter whose pieces fit the token budget once the header is put in front."""
        budget = max(self._chunk_tokens - self._count(header), 32)
        return RecursiveCharacterTextSplitter(
            chunk_size=budget, chunk_overlap=min(self._overlap_tokens, budget // 4), length_function=self._count, separators=_SEPARATORS
        )

    def split(self, doc: Document) -> list[LCDocument]:
        """The chunks of one document, with flat metadata Chroma can store and filter on."""
        meta = doc.meta
        base: dict[str, str | int | bool] = {
            "doc_id": meta.id,
            "group_id": doc.group_id,
            "lang": meta.lang,
            "title": meta.title,
            "source": doc.rel_path,
            "topics": "|".join(meta.topics),
            "countries": "|".join(meta.countries),
            "sources": json.dumps([s.__dict__ for s in doc.sources], ensure_ascii=False),
            "updated": meta.updated.isoformat(),
        }
        base.update({f"{_TOPIC_FLAG}{t}": True for t in meta.topics})
        base.update({f"{_COUNTRY_FLAG}{c}": True for c in meta.countries})
        chunks: list[LCDocument] = []
        for section in self._sections.split_text(doc.body):
            heading = " > ".join(str(section.metadata[k]) for _, k in _HEADERS if k in section.metadata)
            header = _header(meta.title, heading)
            for piece in self._splitter(header).split_text(section.page_content):
                metadata = {**base, "section": heading, "ordinal": len(chunks)}
                chunks.append(LCDocument(page_content=header + piece, metadata=metadata))
        return chunks


def _header(title: str, section: str) -> str:
    """Title and heading lead the stored text so that both retrievers see them."""
    return f"{title} — {section}\n\n" if section else f"{title}\n\n"


def topic_flag(topic: str) -> str:
    """The metadata key that is True on chunks of `topic`."""
    return f"{_TOPIC_FLAG}{topic}"


def country_flag(country: str) -> str:
    """The metadata key that is True on chunks about `country` (or `asean`)."""
    return f"{_COUNTRY_FLAG}{country}"


def chunk_from_record(chunk_id: str, text: str, metadata: dict[str, object]) -> Chunk:
    """Rebuild the domain chunk from what the store kept."""
    sources = tuple(Source(**s) for s in json.loads(str(metadata.get("sources") or "[]")))
    title, section = str(metadata["title"]), str(metadata.get("section", ""))
    return Chunk(
        id=chunk_id,
        doc_id=str(metadata["doc_id"]),
        group_id=str(metadata["group_id"]),
        lang=str(metadata["lang"]),
        title=title,
        section=section,
        text=text.removeprefix(_header(title, section)),
        path=str(metadata.get("source", "")),
        topics=tuple(filter(None, str(metadata.get("topics", "")).split("|"))),
        countries=tuple(filter(None, str(metadata.get("countries", "")).split("|"))),
        sources=sources,
        updated=str(metadata.get("updated", "")),
        ordinal=int(str(metadata.get("ordinal", 0))),
    )
