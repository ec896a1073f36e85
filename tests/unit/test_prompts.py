"""Every prompt renders with its declared variables; broken prompt files fail at load time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
    assert prompts.message("zh", "offline_note") == prompts.message("en", "offline_note")


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
