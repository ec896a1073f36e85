"""Every prompt renders with its declared variables; broken prompt files fail at load time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.errors import PromptError
from bot.prompts import Prompts
from tests.support import REPO


def test_every_prompt_renders_with_its_declared_variables() -> None:
    prompts = Prompts(REPO / "prompts")
    assert {"system", "answer", "condense", "translate_query", "language_retry", "refusal"} <= set(prompts.meta)
    for name, meta in prompts.meta.items():
        values = {v: [] if v in ("sources", "history") else f"<{v}>" for v in meta.variables}
        assert prompts.render(name, **values), name


def test_interface_strings_exist_in_every_language() -> None:
    prompts = Prompts(REPO / "prompts")
    assert set(prompts.languages) == {"en", "vi", "th", "id", "ms", "tl", "km", "lo", "my"}
    for lang in prompts.languages:
        assert "1500" in prompts.message(lang, "too_long", max_chars=1500)
        assert "42" in prompts.message(lang, "rate_limited_day", limit=42)
        assert "90" in prompts.message(lang, "privacy", retention_days=90)
        assert "@some_bot" in prompts.message(lang, "help_groups", username="some_bot")
    assert prompts.message("zh", "offline_note") == prompts.message("en", "offline_note")


def test_topic_suggestions_cover_every_knowledge_topic_in_every_language() -> None:
    prompts = Prompts(REPO / "prompts")
    topics = yaml.safe_load((REPO / "knowledge" / "topics.yaml").read_text(encoding="utf-8"))
    for lang in prompts.languages:
        suggested = prompts.topics(lang)
        assert list(suggested) == list(prompts.topics("en")) and set(suggested) == set(topics), lang
        assert all(3 <= len(t.questions) <= 5 for t in suggested.values())
    assert prompts.topics("zh") == prompts.topics("en")


def test_topic_files_must_match_the_english_one(prompts_copy: Path) -> None:
    path = prompts_copy / "topics" / "vi.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["energy-efficiency"]["questions"].pop()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PromptError, match=r"vi\.yaml: energy-efficiency must have as many questions"):
        Prompts(prompts_copy)


@pytest.fixture
def prompts_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPO / "prompts", tmp_path / "prompts"))


def test_undeclared_variable_is_an_error(prompts_copy: Path) -> None:
    path = prompts_copy / "refusal.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n{{ extra }}\n", encoding="utf-8")
    with pytest.raises(PromptError, match=r"refusal.md: declares variables \['can_do', 'reason_text'\] but uses"):
        Prompts(prompts_copy)


def test_missing_interface_string_is_an_error(prompts_copy: Path) -> None:
    path = prompts_copy / "messages" / "th.yaml"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("greeting:")), encoding="utf-8")
    with pytest.raises(PromptError, match=r"th.yaml: keys differ from en.yaml \(missing \['greeting'\]"):
        Prompts(prompts_copy)


def test_rendering_without_a_variable_is_an_error() -> None:
    with pytest.raises(PromptError, match="needs"):
        Prompts(REPO / "prompts").render("language_retry")
