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


def add_deadline(
    knowledge_dir: Path, guide: str, day: str, *, sectors: str = "[]", langs: tuple[str, ...] = ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my")
) -> None:
    """Give the English guide `guide` a rule taking effect on `day`, with a text per language in
    `langs` ("Rule <lang> takes effect", easy to tell apart)."""
    path = knowledge_dir / "en" / f"{guide}.md"
    texts = "".join(f'      {lang}: "Rule {lang} takes effect"\n' for lang in langs)
    block = f"deadlines:\n  - date: {day}\n    sectors: {sectors}\n    what:\n{texts}"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nupdated: ", f"\n{block}updated: ", 1), encoding="utf-8")
