"""With CHROMA_URL set, the same indexing and search run against a `chroma run` server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.retrieval import (
    LOCAL_MODEL_NAME,
    LocalE5Embeddings,
    build_index,
    open_retriever,
)
from tests.support import make_settings

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server on loopback, stopped after the test."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    assert chroma, "the chromadb package installs the `chroma` command"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("chroma run did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_index_and_search_through_a_chroma_server(chroma_server: str, tmp_path: Path, tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    settings = make_settings(tmp_path / "data", tiny_knowledge, retrieval={"chroma_url": chroma_server})
    report = build_index(settings, embeddings, LOCAL_MODEL_NAME)
    assert report.embedded == report.records > 0
    assert not (tmp_path / "data" / "index" / "chroma").exists()  # nothing went to the embedded store
    assert build_index(settings, embeddings, LOCAL_MODEL_NAME).embedded == 0

    # A second bot instance with its own data folder shares the server's index.
    other = make_settings(tmp_path / "other", tiny_knowledge, retrieval={"chroma_url": chroma_server})
    hits = open_retriever(other, embeddings, LOCAL_MODEL_NAME).search("strip curtains cold room", k=2)
    assert hits[0].chunk.doc_id == "fridge-temperature"
