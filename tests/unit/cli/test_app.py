"""The command line's conventions, on every command: plain flags, defaults in help, --version, one error format."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from bot import __version__
from bot.cli import app

runner = CliRunner()


def _command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


COMMANDS = list(_command_paths(get_command(app)))


@pytest.fixture
def env(tmp_path: Path, tiny_knowledge: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A project folder with the tiny knowledge folder and an empty eval folder; no index is needed."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eval").mkdir()
    return {
        "GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge),
        "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data"),
        "GREENBOT_PATHS__EVAL_DIR": str(tmp_path / "eval"),
    }


def test_every_command_is_covered() -> None:
    assert {("ask",), ("chat",), ("eval", "compare"), ("knowledge", "check"), ("feedback", "export")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "greenbot")
def test_help_shows_flags_as_flags_and_defaults_in_brackets(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.stdout  # a flag takes no value
    assert not re.search(r"\s\.$", result.stdout, re.M)  # no bare "." where a default was lost
    assert "--help  " in result.stdout or "--help\n" in result.stdout


def test_defaults_that_depend_on_the_settings_are_named_in_help() -> None:
    result = runner.invoke(app, ["eval", "run", "--help"])
    text = " ".join(result.stdout.split())
    assert "Run folder for results and reports. [default: (eval/runs/<time>)]" in text
    assert "Gates file. [default: (eval/gates.yaml)]" in text and "--judge Add model-judged" in text


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"greenbot {__version__}\n")


def test_an_expected_error_is_one_error_line_and_exit_1(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["eval", "compare", "nowhere", "latest"], env=env)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: nowhere: no such run folder or baseline file (give a path, a run name in {Path('eval', 'runs').resolve()}, or latest)"
    ]


def test_a_usage_error_is_in_the_same_format_and_exits_2(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["ask", "LED?", "--lang", "xx"], env=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Invalid value for --lang: unknown language 'xx'"


def test_an_infrastructure_error_of_the_gate_exits_2_in_the_same_format(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["eval", "gate", "--lang", "en"], env=env)  # eval/ holds no suite: nothing to run
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["Error: no case matches the selection"]
