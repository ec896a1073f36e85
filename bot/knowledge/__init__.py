"""The knowledge folder as typed data: loading, validation and checking."""

from bot.knowledge.check import (
    CheckReport,
    check_folder,
    check_paths,
    check_programmes,
    check_referrals,
    missing_translations,
)
from bot.knowledge.directory import PROGRAMMES_FOLDER, Directory, ProgrammeFile, load_directory
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
from bot.knowledge.programmes import MAX_PROGRAMME_ID_CHARS, Programme, ProgrammeKind, ProgrammeStatus
from bot.knowledge.referrals import REFERRALS_FOLDER, Place, ReferralFile, Referrals, load_referrals
from bot.knowledge.schema import Deadline, FrontMatter, Shown, SourceMeta, Wording

__all__ = [
    "MAX_PROGRAMME_ID_CHARS",
    "PROGRAMMES_FOLDER",
    "REFERRALS_FOLDER",
    "TOPICS_FILE",
    "CheckReport",
    "Deadline",
    "Directory",
    "Document",
    "FrontMatter",
    "KnowledgeFolder",
    "Place",
    "Problem",
    "Programme",
    "ProgrammeFile",
    "ProgrammeKind",
    "ProgrammeStatus",
    "ReferralFile",
    "Referrals",
    "Shown",
    "SourceMeta",
    "Wording",
    "check_folder",
    "check_paths",
    "check_programmes",
    "check_referrals",
    "document_files",
    "load_directory",
    "load_document",
    "load_folder",
    "load_referrals",
    "load_topics",
    "missing_translations",
]
