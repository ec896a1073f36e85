"""The content team's commands: knowledge check, index and search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

pytestmark = pytest.mark.integration


@pytest.fixture
def run(tmp_path: Path, tiny_knowledge: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Invoke `greenbot` in a folder with no .env, on the tiny knowledge folder."""
    monkeypatch.chdir(tmp_path)
    env = {"GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge), "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env=env)


def test_knowledge_check_passes_and_lists_translation_gaps(run) -> None:  # type: ignore[no-untyped-def]
    result = run("knowledge", "check")
    assert result.exit_code == 0, result.output
    assert "translations missing for core document led-lighting: th, id, ms, tl, km, lo, my" in result.stdout
    assert "6 files, 6 documents: 0 errors, 0 warnings" in result.stderr


def test_knowledge_check_reports_file_and_line(run, tiny_knowledge: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tiny_knowledge / "en" / "flood-plan.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("countries: [TH]", "countries: [Thailand]"), encoding="utf-8")
    result = run("knowledge", "check", str(bad))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == f"{bad}:6: countries.0: unknown country 'Thailand' (expected asean or one of BN, KH, ID, LA, MY, MM, PH, SG, TH, TL, VN)"


def test_index_json_then_search(run) -> None:  # type: ignore[no-untyped-def]
    first = json.loads(run("index", "--json").stdout)
    assert first["documents"] == 6 and first["embedded"] == first["chunks"] and first["errors"] == []
    second = run("index")
    assert "Nothing to embed: all" in second.stdout
    found = json.loads(run("search", "cửa hàng đèn LED", "--lang", "vi", "-k", "2", "--json").stdout)
    assert found[0]["id"] == "led-lighting-vi" and found[0]["sources"][0]["url"].startswith("https://")
    text = run("search", "rooftop solar licence", "--country", "VN").stdout
    assert text.startswith("1. [") and "solar-vietnam (en)" in text and "source: Government of Viet Nam" in text


def test_errors_are_one_line(tmp_path: Path, tiny_knowledge: Path) -> None:
    env = {**os.environ, "GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge), "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "search", "LED"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (1, "error: no index yet: run `greenbot index`\n")
