"""Telegram benchmark: 200 users ask at the same moment; the real bot answers through the fake Bot API.

    .venv/bin/python bench/bot_load.py [--users 200] [--scenario delay|stream|hung]
        [--model-delay 1.0] [--tokens-per-s 40] [--tokens 300] [--lag-stacks]

The real bot (python-telegram-bot Application, run by bot.tg.serve) polls the fake Bot API
server from tests/servers; the local OpenAI-compatible test server plays the model. Both
servers run in their own processes, as Telegram and the model server would, so their CPU does
not count against the bot's. Each simulated user sends one question, in a private chat (from
eval/suites/core.yaml; 190 different ones, so a few repeat at 200). Telegram's own outgoing
limit (30 messages a second) is switched off so that the figures measure the bot, not the flood
control; the fake server does refuse, with RetryAfter, a chat's draft that comes within a
second of its last one.

Scenarios:
- delay (the default): the model answers every question after --model-delay seconds, whole.
  Prints the wall time until every user has their reply against the floor (model delay +
  users × single-question CPU time / cores; that CPU time is measured first, on a second bot
  that answers the same questions one at a time against a model that answers at once: the CPU
  time of this process, every thread, divided by the questions), and p50/p95 of the time from
  sending to reply.
- stream: the model streams each answer, --tokens words at --tokens-per-s, and private chats see
  it as drafts. Prints the time to the first draft and to the final answer (p50/p95), drafts per
  answer, and the RetryAfter the fake server sent.
- hung: the model server takes every call and never answers. Every owner must get the offline
  answer within the model deadline (GREENBOT_LLM__DEADLINE_S, 20 s) plus 2 s; prints the slowest.

Every scenario prints how the replies were written (by the model, offline, refused), so a
failing run shows, and the event loop's worst lag (a 10 ms ticker in the bot's loop). With
--lag-stacks, a watchdog thread also records where the loop's thread is whenever the loop has not
ticked for 40 ms, and prints the commonest places, and when each stall came and how much of it
the loop's thread spent computing: the way to find what holds the loop up (the
watchdog's own thread takes the GIL too: read the lag figure from a run without it).

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
import threading
import time
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
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
from bot.tg.app import build_application  # noqa: E402
from bot.tg.serve import serve  # noqa: E402
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


async def calls(control: httpx.AsyncClient, method: str, chats: int) -> list[dict[str, Any]]:
    """The calls of `method`, once `chats` chats have had one (the server waits, so this costs no CPU here)."""
    response = await control.get("/control/wait", params={"method": method, "chats": chats}, timeout=None)
    return list(response.json())


async def single_question_cpu_ms(settings: Settings, retriever: HybridRetriever, bot_api: FakeBotAPI, bot_url: str, texts: list[str]) -> float:
    """CPU time of this process per question, the questions answered one at a time by the bot."""
    async with running_bot(settings, retriever), httpx.AsyncClient(base_url=bot_url) as control:
        await control.post("/control/push", json={"updates": [bot_api.text_update("warm-up", user_id=999, language_code=None)]})
        await calls(control, "sendMessage", 1)
        started = time.process_time()
        for i, text in enumerate(texts, start=1):
            await control.post("/control/push", json={"updates": [bot_api.text_update(text, user_id=1000 + i, language_code=None)]})
            await calls(control, "sendMessage", 1 + i)
        return (time.process_time() - started) * 1000 / len(texts)


class LagWatch:
    """Where the event loop's thread is whenever the loop has not ticked for `stale_s`: a thread
    of its own looks every 5 ms. A place where the loop waits to get the GIL back (after a system
    call) counts as well as one where it computes."""

    def __init__(self, stale_s: float = 0.04) -> None:
        self.places: collections.Counter[str] = collections.Counter()
        self._stale_s = stale_s
        self._beat = time.perf_counter()
        self._loop_thread = threading.get_ident()  # built on the loop's thread
        self._done = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    def tick(self) -> None:
        self._beat = time.perf_counter()

    def stop(self) -> None:
        self._done.set()

    def _watch(self) -> None:
        while not self._done.wait(0.005):
            frame = sys._current_frames().get(self._loop_thread) if time.perf_counter() - self._beat > self._stale_s else None
            if frame is not None:
                stack = reversed(traceback.extract_stack(frame)[-6:])
                self.places[" <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in stack)] += 1


@dataclass
class Load:
    """What the fake Bot API saw of one load run, timed from the moment the updates were queued."""

    replies: dict[int, float]  # chat → seconds until its first message
    drafts: dict[int, list[float]]  # chat → seconds of each draft accepted
    floods: int  # calls refused with RetryAfter
    worst_lag_s: float
    modes: collections.Counter[str]
    stalls: collections.Counter[str]  # with --lag-stacks: where the loop was when it stalled
    stall_times: list[tuple[float, float, float]]  # each stall of 40 ms or more: seconds in, its length, the loop thread's CPU in it


async def load(settings: Settings, retriever: HybridRetriever, bot_api: FakeBotAPI, bot_url: str, texts: list[str], *, lag_stacks: bool = False) -> Load:
    """Every question at the same moment, in a private chat each; until every chat has its reply."""
    modes = ModeCount()
    logging.getLogger("bot.tg.logs").addHandler(modes)
    logging.getLogger("bot.tg.logs").setLevel(logging.INFO)
    worst_lag = 0.0
    stall_times: list[tuple[float, float, float]] = []
    async with running_bot(settings, retriever) as (_, stop), httpx.AsyncClient(base_url=bot_url) as control:

        async def ticker() -> None:
            nonlocal worst_lag
            while not stop.is_set():
                before, cpu_before = time.perf_counter(), time.thread_time()
                await asyncio.sleep(0.01)
                lag = time.perf_counter() - before - 0.01
                worst_lag = max(worst_lag, lag)
                if lag >= 0.04:  # did the loop compute all that time, or wait (for the GIL, for a core)?
                    stall_times.append((time.monotonic() - started, lag, time.thread_time() - cpu_before))
                if watch is not None:
                    watch.tick()

        watch = LagWatch() if lag_stacks else None
        updates = [bot_api.text_update(text, user_id=1000 + i, language_code=None) for i, text in enumerate(texts)]
        started = time.monotonic()  # CLOCK_MONOTONIC: the same clock in the server process
        ticking = asyncio.create_task(ticker())
        await control.post("/control/push", json={"updates": updates})
        waited = await control.get("/control/wait", params={"method": "sendMessage", "chats": len(texts)}, timeout=None)
        stop.set()  # every owner has a reply; reading the server's record of the calls is the benchmark's work, not the bot's
        await ticking
        if watch is not None:
            watch.stop()
        sent = list(waited.json())
        drafted = await calls(control, "sendMessageDraft", 0)
        floods = (await control.get("/control/floods")).json()
    logging.getLogger("bot.tg.logs").removeHandler(modes)
    replies: dict[int, float] = {}
    for call in sent:
        replies.setdefault(int(call["params"]["chat_id"]), call["at"] - started)
    drafts: dict[int, list[float]] = collections.defaultdict(list)
    refused = {(f["params"]["chat_id"], f["at"]) for f in floods}
    for call in drafted:
        if (call["params"]["chat_id"], call["at"]) not in refused:
            drafts[int(call["params"]["chat_id"])].append(call["at"] - started)
    return Load(replies, dict(drafts), len(floods), worst_lag, modes.modes, watch.places if watch else collections.Counter(), stall_times)


def p50_p95(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):5.2f} s   p95 {percentile(values, 95):5.2f} s"


async def run(args: argparse.Namespace) -> None:
    bot_api, model, instant = FakeBotAPI(), FakeOpenAI(), FakeOpenAI()
    if args.scenario == "delay":
        model.answer_delay_s = args.model_delay
    elif args.scenario == "stream":
        model.tokens_per_s, model.answer_tokens = args.tokens_per_s, args.tokens
    else:
        model.hung = True
    servers = [ServerProcess(app).start() for app in (bot_api.app, FakeBotAPI().app, model.app, instant.app)]  # forked before models load
    bot_server, alone_bot_server, model_server, instant_server = servers
    base = Settings()
    embeddings, model_name = build_embeddings(base.retrieval, base.llm)
    build_index(base, embeddings, model_name)
    retriever = open_retriever(base, embeddings, model_name)
    texts = questions(args.users)
    with tempfile.TemporaryDirectory() as tmp:
        cpu_ms = 0.0
        if args.scenario == "delay":
            alone = bot_settings(base, Path(tmp) / "alone", alone_bot_server.url, instant_server.url)
            cpu_ms = await single_question_cpu_ms(alone, retriever, bot_api, alone_bot_server.url, texts)
        settings = bot_settings(base, Path(tmp) / "bot", bot_server.url, model_server.url)
        result = await load(settings, retriever, bot_api, bot_server.url, texts, lag_stacks=args.lag_stacks)
    for server in servers:
        server.stop()

    latencies = list(result.replies.values())
    users = args.users
    if args.scenario == "delay":
        wall = max(latencies)
        cores = min(os.cpu_count() or 1, base.retrieval.embedding_threads)
        floor = args.model_delay + users * cpu_ms / 1000 / cores
        print(f"{users} users, one question each at the same moment; model answers after {args.model_delay:.1f} s")
        print(
            f"  wall time until every reply   {wall:6.2f} s   (floor {floor:.2f} s = {args.model_delay:.1f} s + {users} × {cpu_ms:.0f} ms CPU / {cores} cores; ratio {wall / floor:.2f})"
        )
        print(f"  per reply                     {p50_p95(latencies)}   mean {statistics.mean(latencies):5.2f} s")
    elif args.scenario == "stream":
        first_drafts = [times[0] for times in result.drafts.values()]
        per_answer = [len(result.drafts.get(chat, [])) for chat in result.replies]
        print(f"{users} users, one question each at the same moment; the model streams {args.tokens} words at {args.tokens_per_s:g} a second")
        print(f"  first draft                   {p50_p95(first_drafts)}   ({len(first_drafts)} of {users} chats had drafts)")
        print(f"  final answer                  {p50_p95(latencies)}   last {max(latencies):5.2f} s")
        print(f"  drafts per answer             mean {statistics.mean(per_answer):4.1f}   min {min(per_answer)}   max {max(per_answer)}")
        print(f"  RetryAfter from the server    {result.floods}")
    else:
        deadline = settings.llm.deadline_s
        late = sum(1 for t in latencies if t > deadline + 2)
        print(f"{users} users, one question each at the same moment; the model server never answers (deadline {deadline:g} s)")
        print(f"  reply                         {p50_p95(latencies)}   slowest {max(latencies):5.2f} s   later than {deadline + 2:g} s: {late}")
    print(f"  answers                       {', '.join(f'{n} {mode}' for mode, n in result.modes.most_common())}")
    print(f"  event loop worst lag          {result.worst_lag_s * 1000:6.1f} ms")
    if args.lag_stacks:
        print("where the event loop was when it had not ticked for 40 ms (samples every 5 ms; innermost first):")
        for place, samples in result.stalls.most_common(10):
            print(f"  {samples:4}  {place}")
        print("each stall of 40 ms or more: when, how long, and how much of it the loop's thread computed (the rest it waited: for the GIL, or a core)")
        for at, lag, cpu in result.stall_times:
            print(f"  {at:6.2f} s  {lag * 1000:5.0f} ms  computing {cpu * 1000:4.0f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--scenario", choices=("delay", "stream", "hung"), default="delay")
    parser.add_argument("--model-delay", type=float, default=1.0, help="delay: seconds before the model answers")
    parser.add_argument("--tokens-per-s", type=float, default=40.0, help="stream: words the model streams a second")
    parser.add_argument("--tokens", type=int, default=300, help="stream: words in each answer")
    parser.add_argument("--lag-stacks", action="store_true", help="print where the event loop was when it stalled for 40 ms or more")
    asyncio.run(run(parser.parse_args()))
