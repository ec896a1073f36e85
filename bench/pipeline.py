"""Pipeline benchmark: time per question without the model, and tokens and cost per language.

    .venv/bin/python bench/pipeline.py

Uses the index in the configured data folder (it is brought up to date first) and the
labelled questions in tests/data/retrieval_questions.yaml, each at least once (200 at least).

- offline: the whole offline answer (detection, guards, retrieval, composing the answer).
- model mode without the model: the pipeline with an in-process model that answers at once,
  so the figure is our own work (detection, retrieval, prompt building, budget, checks).
- tokens: prompt tokens as sent (cl100k count); completion tokens estimated from the offline
  answer to the same question, a stand-in for a short answer in that language. Cost uses
  the configured prices (GREENBOT_LLM__PRICE_PER_1K_PROMPT_USD, ..._COMPLETION_USD).

Prints figures; asserts nothing.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.domain import Completion, Question  # noqa: E402
from bot.pipeline import Pipeline  # noqa: E402
from bot.pipeline.budget import TokenBudget  # noqa: E402
from bot.prompts import Prompts  # noqa: E402
from bot.retrieval import build_embeddings, build_index, open_retriever  # noqa: E402
from bot.runtime import freeze_heap  # noqa: E402
from bot.storage import ConversationStore, open_db  # noqa: E402

QUESTIONS = yaml.safe_load((ROOT / "tests" / "data" / "retrieval_questions.yaml").read_text(encoding="utf-8"))
ROUNDS = max(200, len(QUESTIONS))  # every labelled question at least once, so every language is counted


class InstantModel:
    """Answers at once, counting the prompt it was sent, so only our own work is timed."""

    def __init__(self) -> None:
        self._budget = TokenBudget()

    async def stream(self, messages: list[tuple[str, str]], deadline: float | None = None) -> AsyncIterator[Completion]:
        """The whole reply at once, as one piece of a stream."""
        yield await self.complete(messages, deadline)

    async def complete(self, messages: list[tuple[str, str]], deadline: float | None = None) -> Completion:
        prompt = sum(self._budget.count(text) for _, text in messages)
        found = re.search(r"<question>\s*(.*?)\s*</question>", messages[-1][1], re.DOTALL)
        question = found.group(1) if found else ""
        if messages[0][0] != "system":  # query translation or condensing: echo the question
            return Completion(text=question, prompt_tokens=prompt, completion_tokens=0, model="instant")
        # the question itself, cited: in the owner's language, so it passes the language check
        return Completion(text=f"{question} [1]", prompt_tokens=prompt, completion_tokens=0, model="instant")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def run(settings: Settings) -> None:
    embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    build_index(settings, embeddings, model_name)
    retriever = open_retriever(settings, embeddings, model_name)
    prompts = Prompts(ROOT / "prompts")
    budget = TokenBudget()
    with tempfile.TemporaryDirectory() as tmp:
        db = await open_db(Path(tmp) / "bench.sqlite")
        store = ConversationStore(db)
        common = {"retriever": retriever, "prompts": prompts, "store": store, "settings": settings.pipeline, "llm_settings": settings.llm}
        offline = Pipeline(**common)
        instant = Pipeline(**common, chat=InstantModel())
        await offline.answer(Question(text="warm-up", history=()))
        freeze_heap()  # as `greenbot run` does once the index and models are loaded
        times: dict[str, list[float]] = {"offline": [], "model mode without the model": []}
        tokens: dict[str, list[tuple[int, int]]] = {}
        for i in range(ROUNDS):
            q = QUESTIONS[i % len(QUESTIONS)]
            question = Question(text=q["q"], history=(), user_id=f"bench-{i}")
            off = await offline.answer(question)
            times["offline"].append(off.trace.timings_ms["total"])
            llm = await instant.answer(question)
            times["model mode without the model"].append(llm.trace.timings_ms["total"])
            if i < len(QUESTIONS) and llm.mode == "llm":
                tokens.setdefault(q["lang"], []).append((llm.trace.prompt_tokens, budget.count(off.text)))
        await db.close()

    print(f"pipeline time over {ROUNDS} questions ({retriever.size} passages):")
    for name, values in times.items():
        print(f"  {name:30} p50 {percentile(values, 50):6.1f} ms   p95 {percentile(values, 95):6.1f} ms")
    price_in, price_out = settings.llm.price_per_1k_prompt_usd, settings.llm.price_per_1k_completion_usd
    print(f"tokens per answer (model {settings.llm.answer_model}, ${price_in}/1k prompt, ${price_out}/1k completion):")
    print(f"  {'lang':4} {'n':>3} {'prompt':>7} {'completion':>10} {'cost of 1,000 answers':>22}")
    all_rows = []
    for lang, rows in sorted(tokens.items(), key=lambda kv: -len(kv[1])):
        all_rows += rows
        _print_tokens(lang, rows, price_in, price_out)
    _print_tokens("all", all_rows, price_in, price_out)


def _print_tokens(lang: str, rows: list[tuple[int, int]], price_in: float, price_out: float) -> None:
    prompt = statistics.mean(p for p, _ in rows)
    completion = statistics.mean(c for _, c in rows)
    cost = (prompt * price_in + completion * price_out) / 1000 * 1000
    print(f"  {lang:4} {len(rows):3} {prompt:7.0f} {completion:10.0f} {'$' + format(cost, '.2f'):>22}")


if __name__ == "__main__":
    asyncio.run(run(Settings()))
