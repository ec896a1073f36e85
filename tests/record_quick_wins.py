"""Record eval/recordings/quick-wins.jsonl again, against the local test model server.

CI replays that file to cover the model path with no server. Run this after a change to a
prompt or to the documents the quick-wins cases retrieve, on an index of the committed
knowledge (`greenbot index` first):

    .venv/bin/python -m tests.record_quick_wins
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.servers.openai_compatible import FakeOpenAI
from tests.servers.uvicorn_thread import ServerThread
from tests.support import REPO

RECORDING = REPO / "eval" / "recordings" / "quick-wins.jsonl"
LANGUAGES = ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my")


def main() -> int:
    fake = FakeOpenAI()
    server = ServerThread(fake.app).start()
    RECORDING.unlink(missing_ok=True)
    env = {**os.environ, "GREENBOT_LLM__BASE_URL": f"{server.url}/v1", "GREENBOT_LLM__RECORD_FILE": str(RECORDING), "GREENBOT_LLM__MAX_RETRIES": "0"}
    cases = [arg for lang in LANGUAGES for arg in ("--case", f"quick-wins-{lang}")]
    greenbot = Path(sys.executable).with_name("greenbot")
    try:
        return subprocess.run(
            [str(greenbot), "eval", "run", *cases, "--out", str(REPO / "eval" / "runs" / "recording")], env=env, cwd=REPO, check=False
        ).returncode
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
