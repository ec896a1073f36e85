"""`greenbot index`: bring the Chroma collection up to date with the knowledge folder.

LangChain's indexing API with a SQL record manager does the bookkeeping: unchanged records
are skipped, an edited file re-embeds only its own records, and files that no longer exist
lose theirs. A ledger next to it remembers each document's fingerprint, so a document that has
not changed is not even split into sentences again: a no-change run reads the folder and stops. A file that fails its checks is reported and skipped; its last good version
stays in the index, so a typo never takes guidance away from users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from chromadb.api.models.Collection import Collection
from langchain_chroma import Chroma
from langchain_classic.indexes import SQLRecordManager, index
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.config import Settings
from bot.errors import IndexNotBuilt
from bot.knowledge import Document, load_folder
from bot.language import sentences
from bot.retrieval import chunking
from bot.retrieval.chunking import TITLE, Chunker
from bot.retrieval.embeddings import Prefetched, token_counter
from bot.retrieval.store import (
    MODEL_KEY,
    READY_KEY,
    all_records,
    collection_name,
    create_store,
    open_client,
    open_collection,
)

logger = logging.getLogger(__name__)


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

    client = open_client(settings.retrieval, settings.index_dir)
    create_store(client, name, embeddings, model_name)  # the collection, made if it is new
    collection = client.get_collection(name)
    records = _record_manager(settings, name)
    empty = collection.count() == 0  # a first build, or a store emptied behind our back
    ledger = settings.index_dir / f"{name}.documents.json"
    known = {} if empty or not records.list_keys(limit=1) else _read_ledger(ledger)
    signature = _chunking_signature(settings)
    fresh: dict[str, _Entry] = {}
    by_document = []
    for doc in folder.documents:  # a document indexed as it is now is not even split again
        fingerprint = _fingerprint(doc, signature)
        entry = known.get(doc.rel_path)
        if entry is None or entry.fingerprint != fingerprint:
            doc_records = chunker.split(doc)
            by_document.append(doc_records)
            entry = _Entry(fingerprint, len(doc_records), len({r.metadata["passage"] for r in doc_records if r.metadata["kind"] != TITLE}))
        else:
            report.skipped += entry.records
        fresh[doc.rel_path] = entry
    report.records = sum(e.records for e in fresh.values())
    report.passages = sum(e.passages for e in fresh.values())
    if empty:  # embed everything at full speed
        _forget_records(records)
        embeddings = Prefetched(embeddings, [r.page_content for doc_records in by_document for r in doc_records])
    store = create_store(client, name, embeddings, model_name)

    # One index() call per document: its incremental cleanup works per batch, so a document
    # whose records straddled two batches would lose and re-embed them on every run.
    for doc_records in tqdm(by_document, desc="Indexing", unit="doc", disable=not progress, leave=False):
        result = index(
            doc_records,
            records,
            store,
            cleanup="incremental",
            source_id_key="source",
            key_encoder="sha256",
            batch_size=max(len(doc_records), 1),
        )
        report.embedded += result["num_added"] + result["num_updated"]
        report.skipped += result["num_skipped"]
        report.removed += result["num_deleted"]
    on_disk = {path.relative_to(folder.root).as_posix() for path in folder.files}
    report.removed += _remove_vanished(store, collection, records, on_disk)
    # a file that fails its checks keeps its last good version in the index, and in the ledger
    _write_ledger(ledger, {path: entry for path, entry in known.items() if path in on_disk} | fresh)
    collection.modify(
        metadata={MODEL_KEY: model_name, READY_KEY: dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    )
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
    path.write_text(json.dumps({key: asdict(value) for key, value in sorted(entries.items())}), encoding="utf-8")


def _record_manager(settings: Settings, name: str) -> SQLRecordManager:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    records = SQLRecordManager(f"chroma/{name}", db_url=f"sqlite:///{settings.index_dir / 'records.sqlite'}")
    records.create_schema()
    return records


def _forget_records(records: SQLRecordManager) -> None:
    keys = records.list_keys()
    if keys:
        records.delete_keys(keys)


def _remove_vanished(store: Chroma, collection: Collection, records: SQLRecordManager, on_disk: set[str]) -> int:
    """Delete the chunks of files that are gone from the folder; return how many."""
    indexed = {str(record.metadata.get("source")) for record in all_records(collection)}
    vanished = sorted(indexed - on_disk)
    if not vanished:
        return 0
    keys = records.list_keys(group_ids=vanished)
    if keys:
        store.delete(keys)
        records.delete_keys(keys)
    logger.info("removed %d chunks of deleted files: %s", len(keys), ", ".join(vanished))
    return len(keys)
