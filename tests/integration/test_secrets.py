"""No secret reaches the terminal or the log, whatever fails and whichever library says so."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.uvicorn_thread import Blackhole
from tests.support import REPO

pytestmark = pytest.mark.integration

TOKEN = "123456789:AAE-not-a-real-token-but-shaped-like1"


@pytest.fixture
def blackhole() -> Iterator[Blackhole]:
    hole = Blackhole()
    yield hole
    hole.close()


def test_a_bot_api_that_times_out_at_start_up_logs_no_token_and_exits_non_zero(tmp_path: Path, tiny_knowledge: Path, blackhole: Blackhole) -> None:
    """aiohttp's connection timeout names the whole URL, …/bot<TOKEN>/getMe; the log must not."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"{blackhole.url}/bot",
        "GREENBOT_TELEGRAM__REQUEST_TIMEOUT_S": "0.5",
        "GREENBOT_TELEGRAM__RETRY_BUDGET_S": "1",
        "GREENBOT_TELEGRAM__RETRY_BACKOFF_S": "0.2",
        "GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge),
        "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data"),
        "GREENBOT_PATHS__PROMPTS_DIR": str(REPO / "prompts"),
    }
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stderr
    assert "could not connect within 0.5 s" in result.stderr and "greenbot stopped" in result.stderr  # the cause, with its traceback
    assert f"127.0.0.1:{blackhole.port}/bot[redacted]/getMe" in result.stderr
    assert TOKEN not in result.stderr + result.stdout and TOKEN.split(":")[1] not in result.stderr
