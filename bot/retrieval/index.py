"""`greenbot index`: bring the Chroma collection up to date with the knowledge folder.

A record's id is a hash of its text and metadata, so the collection itself says what is
indexed: a record already stored under its id is unchanged and skipped, an edited file embeds
only its changed records and loses the old ones, and a file that no longer exists loses all of
its records. A ledger next to the collection remembers each document's fingerprint, so a
document that has not changed is not even split into sentences again: a no-change run reads the
folder and stops. A file that fails its checks is reported and skipped; its last good version
stays in the index, so a typo never takes guidance away from users.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.config import Settings
from bot.errors import IndexNotBuilt
from bot.knowledge import Document, load_folder
from bot.language import sentences
from bot.retrieval import chunking
from bot.retrieval.chunking import TITLE, Chunker
from bot.retrieval.embeddings import token_counter
from bot.retrieval.store import (
    Record,
    add_records,
    all_records,
    collection_name,
    create_collection,
    delete_records,
    mark_built,
    open_client,
    open_collection,
)

logger = logging.getLogger(__name__)

_EMBED_BATCH = 512  # records embedded at once: enough for every engine, small enough to show progress


@dataclass
class IndexReport:
    """What one indexing run did; `greenbot index --json` prints it."""

    collection: str
    embedding_model: str
    documents: int = 0
    passages: int = 0  # what search returns: a few consecutive sentences of one section
    records: int = 0  # what is embedded: every sentence, and every title
    embedded: int = 0
    removed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def build_index(settings: Settings, embeddings: Embeddings, model_name: str, *, progress: bool = False) -> IndexReport:
    """Index the knowledge folder into the collection for `model_name`; return the counts."""
    started = time.perf_counter()
    folder = load_folder(settings.paths.knowledge_dir)
    chunker = Chunker(settings.retrieval.passage_tokens, settings.retrieval.passage_sentences, count_tokens=token_counter(embeddings))
    name = collection_name(settings.retrieval.collection, model_name)
    report = IndexReport(collection=name, embedding_model=model_name, documents=len(folder.documents))
    report.errors = [str(p) for p in folder.problems]

    collection = create_collection(open_client(settings.retrieval, settings.index_dir), name, model_name)
    stored: dict[str, set[str]] = {}  # the ids stored for each file
    for record in all_records(collection):
        stored.setdefault(str(record.metadata.get("source")), set()).add(record.id)
    ledger = settings.index_dir / f"{name}.documents.json"
    known = _read_ledger(ledger)
    signature = _chunking_signature(settings)
    fresh: dict[str, _Entry] = {}
    new: list[Record] = []
    stale: set[str] = set()
    for doc in folder.documents:  # a document indexed as it is now is not even split again
        fingerprint = _fingerprint(doc, signature)
        have = stored.get(doc.rel_path, set())
        entry = known.get(doc.rel_path)
        if entry is None or entry.fingerprint != fingerprint or entry.records != len(have):
            records = chunker.split(doc)
            wanted = {r.id for r in records}
            new += [r for r in records if r.id not in have]
            stale |= have - wanted
            report.skipped += len(wanted & have)
            entry = _Entry(fingerprint, len(records), len({r.metadata["passage"] for r in records if r.metadata["kind"] != TITLE}))
        else:
            report.skipped += entry.records
        fresh[doc.rel_path] = entry
    report.records = sum(e.records for e in fresh.values())
    report.passages = sum(e.passages for e in fresh.values())
    on_disk = {path.relative_to(folder.root).as_posix() for path in folder.files}
    vanished = sorted(set(stored) - on_disk)
    for path in vanished:
        stale |= stored[path]
    if vanished:
        logger.info("removing the records of deleted files: %s", ", ".join(vanished))

    delete_records(collection, stale)
    report.removed = len(stale)
    _embed_and_add(collection, embeddings, new, progress=progress)
    report.embedded = len(new)
    # a file that fails its checks keeps its last good version in the index, and in the ledger
    _write_ledger(ledger, {path: entry for path, entry in known.items() if path in on_disk} | fresh)
    mark_built(collection, model_name)
    report.seconds = round(time.perf_counter() - started, 3)
    logger.info("indexed %s: %s", name, report.as_dict())
    return report


def index_exists(settings: Settings, model_name: str) -> bool:
    """Whether the index for `model_name` is built and complete.

    An index built only with other models is not a missing one: it raises EmbeddingMismatch, since
    switching models takes an explicit `greenbot index`."""
    try:
        open_collection(open_client(settings.retrieval, settings.index_dir), settings.retrieval.collection, model_name)
    except IndexNotBuilt:
        return False
    return True


def _embed_and_add(collection: Collection, embeddings: Embeddings, records: list[Record], *, progress: bool) -> None:
    """Embed the records and store them; a sentence found in several guides is embedded once."""
    by_text: dict[str, list[Record]] = {}
    for record in records:
        by_text.setdefault(record.text, []).append(record)
    texts = list(by_text)
    with tqdm(total=len(records), desc="Embedding", unit="record", disable=not progress, leave=False) as bar:
        for start in range(0, len(texts), _EMBED_BATCH):
            batch = texts[start : start + _EMBED_BATCH]
            pairs = [(record, vector) for text, vector in zip(batch, embeddings.embed_documents(batch), strict=True) for record in by_text[text]]
            add_records(collection, [record for record, _ in pairs], [vector for _, vector in pairs])
            bar.update(len(pairs))


@dataclass(frozen=True)
class _Entry:
    """What the ledger remembers of an indexed document."""

    fingerprint: str
    records: int
    passages: int


def _chunking_signature(settings: Settings) -> str:
    """The passage settings and the code that splits guides: a change to either re-splits all."""
    code = b"".join(Path(module.__file__ or "").read_bytes() for module in (chunking, sentences))
    return hashlib.sha256(code + f"{settings.retrieval.passage_tokens}/{settings.retrieval.passage_sentences}".encode()).hexdigest()


def _fingerprint(doc: Document, signature: str) -> str:
    """Everything a document's records are made of."""
    text = "\0".join((signature, doc.rel_path, doc.meta.model_dump_json(), doc.body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_ledger(path: Path) -> dict[str, _Entry]:
    try:
        return {key: _Entry(**value) for key, value in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, TypeError):  # missing or unreadable: every document is split again
        return {}


def _write_ledger(path: Path, entries: dict[str, _Entry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # with CHROMA_URL, nothing else made the data folder
    path.write_text(json.dumps({key: asdict(value) for key, value in sorted(entries.items())}), encoding="utf-8")
