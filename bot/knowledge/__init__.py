"""The knowledge folder as typed data: loading, validation and checking."""

from bot.knowledge.check import (
    CheckReport,
    check_folder,
    check_paths,
    missing_translations,
)
from bot.knowledge.loader import (
    TOPICS_FILE,
    Document,
    KnowledgeFolder,
    Problem,
    document_files,
    load_document,
    load_folder,
    load_topics,
)
from bot.knowledge.schema import FrontMatter, SourceMeta

__all__ = [
    "TOPICS_FILE",
    "CheckReport",
    "Document",
    "FrontMatter",
    "KnowledgeFolder",
    "Problem",
    "SourceMeta",
    "check_folder",
    "check_paths",
    "document_files",
    "load_document",
    "load_folder",
    "load_topics",
    "missing_translations",
]
