"""Paths and settings for tests; fixtures live in conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Settings

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TINY_KNOWLEDGE = DATA / "knowledge"


def make_settings(data_dir: Path, knowledge_dir: Path = REPO / "knowledge", **groups: Any) -> Settings:
    """Settings that read no .env and keep all state under `data_dir`."""
    paths = {"knowledge_dir": knowledge_dir, "data_dir": data_dir, "prompts_dir": REPO / "prompts", "eval_dir": REPO / "eval"}
    paths.update(groups.pop("paths", {}))
    return Settings(_env_file=None, paths=paths, **groups)  # type: ignore[call-arg]
