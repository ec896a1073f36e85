"""Telegram benchmark: 200 users ask at the same moment while the model takes 1 s to answer.

    .venv/bin/python bench/bot_load.py [--users 200] [--model-delay 1.0]

The real bot (python-telegram-bot Application, run by bot.tg.serve) polls the fake Bot API
server from tests/servers; the local OpenAI-compatible test server answers every question
after --model-delay seconds. Both servers run in their own processes, as Telegram and the
model server would, so their CPU does not count against the bot's. Each simulated user sends
one question (from eval/suites/core.yaml; 190 different ones, so a few repeat at 200).
Telegram's own outgoing limit (30 messages a second) is switched off so that the figures
measure the bot, not the flood control.

Prints:
- wall time until every user has their reply, and p50/p95 of the time from sending to reply;
- how the replies were written (by the model, offline, refused), so a failing run shows;
- the event loop's worst lag (a 10 ms ticker in the bot's loop);
- the floor: model delay + users × single-question CPU time / cores. The single-question CPU
  time is measured first, on a second bot that answers the same questions one at a time
  against a model server that answers at once: the CPU time of this process (every thread)
  divided by the questions. That is the same work the load run does for each question
  (Telegram, language detection, query translation, embedding the question and its English
  query, retrieval, prompt building, checks, storage), minus the waiting.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.retrieval import HybridRetriever, build_embeddings, build_index, open_retriever  # noqa: E402
from bot.runtime import freeze_heap  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.tg import build_application, serve  # noqa: E402
from tests.servers.bot_api import FakeBotAPI  # noqa: E402
from tests.servers.openai_compatible import FakeOpenAI  # noqa: E402
from tests.servers.uvicorn_thread import ServerProcess  # noqa: E402


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def questions(count: int) -> list[str]:
    cases = yaml.safe_load((ROOT / "eval" / "suites" / "core.yaml").read_text(encoding="utf-8"))
    texts = list(dict.fromkeys(c["question"] for c in cases if c.get("expect") == "answer" and not c.get("history")))
    return [texts[i % len(texts)] for i in range(count)]


class ModeCount(logging.Handler):
    """Counts the answer modes in the bot's one-line-per-update log (mode=llm, offline, refusal)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.modes: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        fields = dict(part.split("=", 1) for part in record.getMessage().split() if "=" in part)
        self.modes[fields.get("mode", "-")] += 1


@asynccontextmanager
async def running_bot(settings: Settings, retriever: HybridRetriever) -> AsyncIterator[tuple[Services, asyncio.Event]]:
    """The real bot polling the fake Bot API until the event it yields is set."""
    services = await Services.open(settings, retriever)
    freeze_heap()  # as `greenbot run` does
    application = build_application(settings, services)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(application, settings.telegram, stop))
    while not application.running:
        await asyncio.sleep(0.01)
    try:
        yield services, stop
    finally:
        stop.set()
        await serving
        await services.close()


def bot_settings(base: Settings, data_dir: Path, bot_url: str, model_url: str) -> Settings:
    return Settings(
        paths=base.paths.model_copy(update={"data_dir": data_dir}),
        llm={"base_url": f"{model_url}/v1", "max_retries": 0, "timeout_s": 60},
        telegram={"token": "123:BENCH", "base_url": f"{bot_url}/bot", "flood_limit_per_s": 0, "questions_per_minute": 1000},
    )


async def replies(control: httpx.AsyncClient, chats: int) -> list[dict[str, Any]]:
    """The sendMessage calls, once `chats` chats have had one (the server waits, so this costs no CPU here)."""
    response = await control.get("/control/wait", params={"method": "sendMessage", "chats": chats}, timeout=None)
    return list(response.json())


async def single_question_cpu_ms(settings: Settings, retriever: HybridRetriever, bot_api: FakeBotAPI, bot_url: str, texts: list[str]) -> float:
    """CPU time of this process per question, the questions answered one at a time by the bot."""
    async with running_bot(settings, retriever), httpx.AsyncClient(base_url=bot_url) as control:
        await control.post("/control/push", json={"updates": [bot_api.text_update("warm-up", user_id=999, language_code=None)]})
        await replies(control, 1)
        started = time.process_time()
        for i, text in enumerate(texts, start=1):
            await control.post("/control/push", json={"updates": [bot_api.text_update(text, user_id=1000 + i, language_code=None)]})
            await replies(control, 1 + i)
        return (time.process_time() - started) * 1000 / len(texts)


async def run(users: int, model_delay_s: float) -> None:
    bot_api, model, instant = FakeBotAPI(), FakeOpenAI(), FakeOpenAI()
    model.answer_delay_s = model_delay_s
    servers = [ServerProcess(app).start() for app in (bot_api.app, FakeBotAPI().app, model.app, instant.app)]  # forked before models load
    bot_server, alone_bot_server, model_server, instant_server = servers
    base = Settings()
    embeddings, model_name = build_embeddings(base.retrieval, base.llm)
    build_index(base, embeddings, model_name)
    retriever = open_retriever(base, embeddings, model_name)
    texts = questions(users)
    with tempfile.TemporaryDirectory() as tmp:
        alone = bot_settings(base, Path(tmp) / "alone", alone_bot_server.url, instant_server.url)
        cpu_ms = await single_question_cpu_ms(alone, retriever, bot_api, alone_bot_server.url, texts)

        modes = ModeCount()
        logging.getLogger("bot.tg.logs").addHandler(modes)
        logging.getLogger("bot.tg.logs").setLevel(logging.INFO)
        worst_lag = 0.0
        settings = bot_settings(base, Path(tmp) / "bot", bot_server.url, model_server.url)
        async with running_bot(settings, retriever) as (_, stop), httpx.AsyncClient(base_url=bot_server.url) as control:

            async def ticker() -> None:
                nonlocal worst_lag
                while not stop.is_set():
                    before = time.perf_counter()
                    await asyncio.sleep(0.01)
                    worst_lag = max(worst_lag, time.perf_counter() - before - 0.01)

            ticking = asyncio.create_task(ticker())
            updates = [bot_api.text_update(text, user_id=1000 + i, language_code=None) for i, text in enumerate(texts)]
            started = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the server process
            await control.post("/control/push", json={"updates": updates})
            sent = await replies(control, users)
            stop.set()
            await ticking
    for server in servers:
        server.stop()

    first_reply: dict[int, float] = {}
    for call in sent:
        first_reply.setdefault(int(call["params"]["chat_id"]), call["at"] - started)
    latencies = list(first_reply.values())
    wall = max(latencies)
    cores = min(os.cpu_count() or 1, base.retrieval.embedding_threads)
    floor = model_delay_s + users * cpu_ms / 1000 / cores
    print(f"{users} users, one question each at the same moment; model answers after {model_delay_s:.1f} s")
    print(
        f"  wall time until every reply   {wall:6.2f} s   (floor {floor:.2f} s = {model_delay_s:.1f} s + {users} × {cpu_ms:.0f} ms CPU / {cores} cores; ratio {wall / floor:.2f})"
    )
    print(
        f"  per reply                     p50 {percentile(latencies, 50):5.2f} s   p95 {percentile(latencies, 95):5.2f} s   mean {statistics.mean(latencies):5.2f} s"
    )
    print(f"  answers                       {', '.join(f'{n} {mode}' for mode, n in modes.modes.most_common())}")
    print(f"  event loop worst lag          {worst_lag * 1000:6.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--model-delay", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(run(args.users, args.model_delay))
