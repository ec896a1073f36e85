"""Chunking, indexing and hybrid search; the only package that talks to Chroma."""

from bot.retrieval.chunking import Chunker
from bot.retrieval.embeddings import (
    LOCAL_MODEL_NAME,
    LocalE5Embeddings,
    build_embeddings,
    token_counter,
)
from bot.retrieval.index import IndexReport, build_index, index_exists
from bot.retrieval.lexical import LexicalIndex
from bot.retrieval.retriever import HybridRetriever, open_retriever
from bot.retrieval.store import collection_name, open_client, open_collection

__all__ = [
    "LOCAL_MODEL_NAME",
    "Chunker",
    "HybridRetriever",
    "IndexReport",
    "LexicalIndex",
    "LocalE5Embeddings",
    "build_embeddings",
    "build_index",
    "collection_name",
    "index_exists",
    "open_client",
    "open_collection",
    "open_retriever",
    "token_counter",
]
