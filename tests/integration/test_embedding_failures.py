"""With embedding_provider=openai, a failing embeddings server gets the owner an apology; no openai
exception escapes Pipeline.answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain import AnswerMode, Notice, Question, RefusalReason
from bot.pipeline import Pipeline
from bot.prompts import Prompts
from bot.retrieval import build_embeddings, build_index, open_retriever
from bot.storage import ConversationStore, open_db
from tests.servers.openai_compatible import FakeOpenAI
from tests.support import make_settings

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("status", [500, 429])
async def test_a_failing_embeddings_server_is_an_apology(status: int, tmp_path: Path, tiny_knowledge: Path, fake_openai: FakeOpenAI) -> None:
    settings = make_settings(
        tmp_path / "data",
        tiny_knowledge,
        retrieval={"embedding_provider": "openai"},
        llm={"base_url": fake_openai.base_url, "embedding_model": "test-embed", "max_retries": 0},  # type: ignore[attr-defined]
    )
    embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    build_index(settings, embeddings, model_name)
    retriever = open_retriever(settings, embeddings, model_name)
    prompts = Prompts(settings.paths.prompts_dir)
    db = await open_db(settings.database_path)
    try:
        pipeline = Pipeline(retriever=retriever, prompts=prompts, store=ConversationStore(db), settings=settings.pipeline, llm_settings=settings.llm)
        fake_openai.embedding_status = status
        answer = await pipeline.answer(Question(text="How much do LED lamps save?", history=()))
    finally:
        retriever.close()
        await db.close()
    assert (answer.mode, answer.refusal_reason, answer.sources) == (AnswerMode.REFUSAL, RefusalReason.SEARCH_FAILED, ())
    assert Notice.MODEL_FAILED in answer.notices and prompts.message("en", "error") in answer.text
