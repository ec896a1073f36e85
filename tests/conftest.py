"""Shared fixtures: isolated settings, the bundled embedding model, and the indexes.

The full `knowledge/` index is built once per test session (embedding is the slow step);
tests that change content use the small folder in tests/data/knowledge instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.config import WELL_KNOWN_NAMES, Settings
from bot.retrieval import (
    LOCAL_MODEL_NAME,
    HybridRetriever,
    IndexReport,
    LocalE5Embeddings,
    build_index,
    open_retriever,
)
from tests.servers.openai_compatible import FakeOpenAI
from tests.servers.uvicorn_thread import ServerThread
from tests.support import TINY_KNOWLEDGE, make_settings

MakeSettings = Callable[..., Settings]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's keys, servers or GREENBOT_ settings."""
    for name in list(os.environ):
        if name.startswith("GREENBOT_") or name in WELL_KNOWN_NAMES:
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def embeddings() -> LocalE5Embeddings:
    """The bundled multilingual model, loaded once."""
    return LocalE5Embeddings(threads=2)


@pytest.fixture
def tiny_knowledge(tmp_path: Path) -> Path:
    """A private copy of the small fixture folder, free to edit."""
    folder = tmp_path / "knowledge"
    shutil.copytree(TINY_KNOWLEDGE, folder)
    return folder


@pytest.fixture
def tiny_settings(tmp_path: Path, tiny_knowledge: Path) -> Settings:
    return make_settings(tmp_path / "data", tiny_knowledge)


@pytest.fixture(scope="session")
def knowledge_index(tmp_path_factory: pytest.TempPathFactory, embeddings: LocalE5Embeddings) -> tuple[Settings, IndexReport]:
    """The real knowledge/ folder, indexed once for the whole session."""
    settings = make_settings(tmp_path_factory.mktemp("full-index"))
    report = build_index(settings, embeddings, LOCAL_MODEL_NAME)
    return settings, report


@pytest.fixture(scope="session")
def retriever(knowledge_index: tuple[Settings, IndexReport], embeddings: LocalE5Embeddings) -> HybridRetriever:
    settings, _ = knowledge_index
    return open_retriever(settings, embeddings, LOCAL_MODEL_NAME)


@pytest.fixture(scope="session")
def tiny_retriever(tmp_path_factory: pytest.TempPathFactory, embeddings: LocalE5Embeddings) -> HybridRetriever:
    """The small fixture folder, indexed once: for a running bot whose test is not about answers."""
    settings = make_settings(tmp_path_factory.mktemp("tiny-index"), TINY_KNOWLEDGE)
    build_index(settings, embeddings, LOCAL_MODEL_NAME)
    return open_retriever(settings, embeddings, LOCAL_MODEL_NAME)


@pytest.fixture
def settings_factory(tmp_path: Path) -> Iterator[MakeSettings]:
    yield lambda **groups: make_settings(tmp_path / "data", **groups)


@pytest.fixture(scope="session")
def openai_server() -> Iterator[FakeOpenAI]:
    """The local OpenAI-compatible server, shared by the session; tests reset it."""
    fake = FakeOpenAI()
    server = ServerThread(fake.app).start()
    fake.base_url = f"{server.url}/v1"  # type: ignore[attr-defined]
    yield fake
    server.stop()


@pytest.fixture
def fake_openai(openai_server: FakeOpenAI) -> FakeOpenAI:
    openai_server.reset()
    return openai_server
