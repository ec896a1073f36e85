"""Telegram benchmark: 200 users ask at the same moment while the model takes 1 s to answer.

    .venv/bin/python bench/bot_load.py [--users 200] [--model-delay 1.0]

The real bot (python-telegram-bot Application, run by bot.tg.serve) polls the fake Bot API
server from tests/servers; the local OpenAI-compatible test server answers every question
after --model-delay seconds. Both servers run in their own processes, as Telegram and the
model server would, so their CPU does not count against the bot's. Each simulated user sends one different question (from
eval/suites/core.yaml). Telegram's own outgoing limit (30 messages a second) is switched off
so that the figures measure the bot, not the flood control.

Prints:
- wall time until every user has their reply, and p50/p95 of the time from sending to reply;
- the event loop's worst lag (a 10 ms ticker in the bot's loop);
- the floor: model delay + users × single-question time / cores, where the single-question
  time is measured first by answering the same questions one at a time, through the same
  pipeline, against a second model server that answers at once (language detection, query
  translation, embedding the question and its English query, retrieval, prompt building and
  checks: the work the chats share).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.domain import Question  # noqa: E402
from bot.retrieval import build_embeddings, build_index, open_retriever  # noqa: E402
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


async def single_question_ms(services: Services, texts: list[str]) -> float:
    """Mean time of one answer from an instant model, asked one at a time: the work every chat needs."""
    await services.pipeline.answer(Question(text="warm-up", history=()))
    started = time.perf_counter()
    for i, text in enumerate(texts):
        await services.pipeline.answer(Question(text=text, user_id=f"cpu-{i}", history=()))
    return (time.perf_counter() - started) * 1000 / len(texts)


async def run(users: int, model_delay_s: float) -> None:
    bot_api, model, instant = FakeBotAPI(), FakeOpenAI(), FakeOpenAI()
    model.answer_delay_s = model_delay_s
    servers = [ServerProcess(app).start() for app in (bot_api.app, model.app, instant.app)]  # forked before models load
    bot_server, model_server, instant_server = servers
    base = Settings()
    embeddings, model_name = build_embeddings(base.retrieval, base.llm)
    build_index(base, embeddings, model_name)
    retriever = open_retriever(base, embeddings, model_name)
    texts = questions(users)
    with tempfile.TemporaryDirectory() as tmp:
        alone = Settings(paths=base.paths.model_copy(update={"data_dir": Path(tmp) / "alone"}), llm={"base_url": f"{instant_server.url}/v1"})
        one_by_one = await Services.open(alone, retriever)
        cpu_ms = await single_question_ms(one_by_one, texts[:50])
        await one_by_one.close()

        settings = Settings(
            paths=base.paths.model_copy(update={"data_dir": Path(tmp) / "bot"}),
            llm={"base_url": f"{model_server.url}/v1", "max_retries": 0, "timeout_s": 60},
            telegram={"token": "123:BENCH", "base_url": f"{bot_server.url}/bot", "flood_limit_per_s": 0, "questions_per_minute": 1000},
        )
        services = await Services.open(settings, retriever)
        application = build_application(settings, services)
        stop = asyncio.Event()
        serving = asyncio.create_task(serve(application, settings.telegram, stop))
        while not application.running:
            await asyncio.sleep(0.01)
        worst_lag = 0.0

        async def ticker() -> None:
            nonlocal worst_lag
            while not stop.is_set():
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                worst_lag = max(worst_lag, time.perf_counter() - before - 0.01)

        ticking = asyncio.create_task(ticker())
        updates = [bot_api.text_update(text, user_id=1000 + i, language_code=None) for i, text in enumerate(texts)]
        replies: dict[int, float] = {}
        async with httpx.AsyncClient(base_url=bot_server.url) as control:
            started = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the server process
            await control.post("/control/push", json={"updates": updates})
            while len(replies) < users:
                await asyncio.sleep(0.1)
                for call in (await control.get("/control/calls", params={"method": "sendMessage"})).json():
                    replies.setdefault(int(call["params"]["chat_id"]), call["at"] - started)
        finished = started + max(replies.values())
        stop.set()
        await asyncio.gather(serving, ticking)
        await services.close()
    for server in servers:
        server.stop()

    cores = min(os.cpu_count() or 1, base.retrieval.embedding_threads)
    floor = model_delay_s + users * cpu_ms / 1000 / cores
    latencies = list(replies.values())
    wall = finished - started
    print(f"{users} users, one question each at the same moment; model answers after {model_delay_s:.1f} s")
    print(f"  wall time until every reply   {wall:6.2f} s   (floor {floor:.2f} s = {model_delay_s:.1f} s + {users} × {cpu_ms:.0f} ms / {cores} cores; ratio {wall / floor:.2f})")
    print(f"  per reply                     p50 {percentile(latencies, 50):5.2f} s   p95 {percentile(latencies, 95):5.2f} s   mean {statistics.mean(latencies):5.2f} s")
    print(f"  event loop worst lag          {worst_lag * 1000:6.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--model-delay", type=float, default=1.0)
    args = parser.parse_args()
    asyncio.run(run(args.users, args.model_delay))
