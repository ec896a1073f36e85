"""Composition root: Settings in, the running services out (and closed again).

The only module that knows every concrete class; the pipeline, the terminal chat, the
Telegram bot and the evaluation harness get what they need from here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiosqlite

from bot.config import Settings
from bot.llm import ChatClient
from bot.pipeline import Pipeline
from bot.prompts import Prompts
from bot.retrieval import HybridRetriever, open_retriever
from bot.storage import ConversationStore, ProfileStore, open_db


@dataclass
class Services:
    """Everything a front end needs, opened once."""

    settings: Settings
    retriever: HybridRetriever
    prompts: Prompts
    db: aiosqlite.Connection
    pipeline: Pipeline
    profiles: ProfileStore

    @classmethod
    async def open(cls, settings: Settings, retriever: HybridRetriever | None = None) -> Services:
        """Load prompts, the index snapshot (off the event loop: it is CPU work) and the database."""
        prompts = Prompts(settings.paths.prompts_dir)
        if retriever is None:
            retriever = await asyncio.to_thread(open_retriever, settings)
        db = await open_db(settings.database_path)
        chat = utility = None
        if settings.llm.configured:
            chat = ChatClient(settings.llm)
            if settings.llm.utility_model:
                utility = ChatClient(settings.llm, settings.llm.utility_model)
        pipeline = Pipeline(
            retriever=retriever,
            prompts=prompts,
            store=ConversationStore(db),
            settings=settings.pipeline,
            llm_settings=settings.llm,
            chat=chat,
            utility=utility,
        )
        return cls(settings=settings, retriever=retriever, prompts=prompts, db=db, pipeline=pipeline, profiles=ProfileStore(db))

    async def close(self) -> None:
        await self.db.close()
