"""`greenbot ask --json` and `greenbot chat` on the small knowledge folder, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.servers.openai_compatible import FakeOpenAI
from tests.support import REPO

pytestmark = pytest.mark.integration


@pytest.fixture
def env(tmp_path: Path, tiny_knowledge: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    return {
        "GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge),
        "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data"),
        "GREENBOT_PATHS__PROMPTS_DIR": str(REPO / "prompts"),
    }


def test_ask_json_prints_exactly_one_object(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "How much energy do LED lamps save?", "--json"], env=env)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)  # fails on anything but one JSON document
    assert {"answer", "language", "mode", "sources", "contexts", "latency_ms"} <= set(answer)
    assert (answer["language"], answer["mode"]) == ("en", "offline")
    assert answer["sources"][0]["id"] == "led-lighting" and answer["sources"][0]["url"].startswith("https://")
    assert answer["contexts"] and answer["latency_ms"] > 0
    assert "No index yet" in result.stderr  # the first run indexed the folder itself


def test_ask_prints_the_answer_from_the_first_line_and_its_sources_below(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "How much energy do LED lamps save?"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() and "LED" in lines[0]  # no blank line first
    assert any(line.startswith("[1] ") for line in lines) and lines[-1].startswith("(offline, en, ")


def test_ask_in_the_chosen_language(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["ask", "LED?", "--lang", "vi", "--json"], env=env)
    answer = json.loads(result.stdout)
    assert answer["language"] == "vi" and answer["sources"][0]["id"] == "led-lighting-vi"


def test_chat_keeps_history_and_language(env: dict[str, str]) -> None:
    session = "/lang vi\nĐèn LED tiết kiệm bao nhiêu điện?\nok\n/quit\n"
    result = CliRunner().invoke(app, ["chat"], env=env, input=session)
    assert result.exit_code == 0, result.output
    assert "language set to vi" in result.stdout
    assert "Câu trả lời ngoại tuyến" in result.stdout or "offline, vi" in result.stdout
    assert result.stdout.count("(offline, vi") + result.stdout.count("(refusal, vi") == 2


def test_run_without_a_token_says_so_and_opens_the_chat(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["run"], env=env, input="/quit\n")
    assert result.exit_code == 0, result.output
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr and "Commands: /lang" in result.stdout


def test_chat_prints_a_model_answer_as_it_is_written_and_the_checked_one_when_it_differs(env: dict[str, str], fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue("Count the bulbs that burn longest [1].", "Replace those first [1][7].")
    model = {"GREENBOT_LLM__BASE_URL": fake_openai.base_url, "GREENBOT_LLM__MAX_RETRIES": "0", "GREENBOT_LLM__STREAM_EVERY_S": "0"}  # type: ignore[attr-defined]
    result = CliRunner().invoke(app, ["chat"], env=env | model, input="Which LED lamps first?\nAnd then?\n/quit\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Count the bulbs that burn longest [1].") == 1  # streamed, and not printed again
    assert "Replace those first [1][7].\n\n(checked:)\nReplace those first [1].\n" in result.stdout  # the draft, then what passed the checks
    assert result.stdout.count("(llm, en, ") == 2


def test_ask_previews_the_programmes_an_answer_names_on_a_given_day(env: dict[str, str]) -> None:
    """What programme staff run to see an answer as owners will on the day a programme opens or closes."""
    question = ["ask", "Is there a grant or loan for rooftop solar panels?", "--country", "VN"]
    june = CliRunner().invoke(app, [*question, "--today", "2026-06-30"], env=env)
    assert june.exit_code == 0, june.output
    assert "Programmes open now for Viet Nam that may fit:" in june.stdout and "• Test Closed Grant:" in june.stdout
    july = CliRunner().invoke(app, [*question, "--today", "2026-07-01"], env=env)
    assert "• Test Solar Loan:" in july.stdout and "Test Closed Grant" not in july.stdout
