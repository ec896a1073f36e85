"""Composition root: Settings in, the running services out (and closed again).

The only module that knows every concrete class; the pipeline, the terminal chat, the
Telegram bot and the evaluation harness get what they need from here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import Settings
from bot.knowledge import Directory, Referrals, load_directory, load_referrals
from bot.language import detect
from bot.llm import ChatClient, Transcriber
from bot.pipeline import Pipeline
from bot.prompts import Prompts
from bot.retrieval import HybridRetriever, IndexReport, build_index, open_retriever
from bot.storage import AlertStore, Connection, ConversationStore, FeedbackStore, HandledUpdates, ProfileStore, StatsStore, open_db

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a front end needs, opened once."""

    settings: Settings
    retriever: HybridRetriever
    prompts: Prompts
    db: Connection  # closed with the services; the stores are the way in
    pipeline: Pipeline
    conversations: ConversationStore
    profiles: ProfileStore
    feedback: FeedbackStore
    handled: HandledUpdates  # Telegram update ids already answered
    today: Callable[[], dt.date]  # the clock that says which programmes are open; tests fix it
    stats: StatsStore  # usage figures for the admins' /stats
    alerts: AlertStore  # what owners opted into, and the ledger of what was sent to them
    transcriber: Transcriber | None = None  # voice notes, when an audio model is configured
    models: tuple[ChatClient, ...] = ()  # the pipeline's model clients, closed with the services
    owns_retriever: bool = False  # opened here (not lent by a test or benchmark): closed with the services, with its pools
    _reindexing: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    async def open(
        cls,
        settings: Settings,
        retriever: HybridRetriever | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        *,
        owns_retriever: bool | None = None,  # default: only a retriever opened here
    ) -> Services:
        """Load prompts, the programmes and the index snapshot (off the event loop: it is CPU
        work) and open the database."""
        prompts = Prompts(settings.paths.prompts_dir)
        owns_retriever = retriever is None if owns_retriever is None else owns_retriever
        directory, referrals = await asyncio.to_thread(_load_directories, settings)
        if retriever is None:
            retriever = await asyncio.to_thread(open_retriever, settings)
        await asyncio.to_thread(_warm_up, retriever)
        db = await open_db(settings.database_path)
        conversations = ConversationStore(db, settings.storage.retention_days)
        await conversations.purge()
        handled = HandledUpdates(db)
        await handled.purge()
        llm = settings.llm
        chat = ChatClient(llm) if llm.configured else None
        utility = ChatClient(llm, llm.utility_model) if llm.configured and llm.utility_model else None
        pipeline = Pipeline(
            retriever=retriever,
            prompts=prompts,
            store=conversations,
            settings=settings.pipeline,
            llm_settings=llm,
            chat=chat,
            utility=utility,
            directory=directory,
            referrals=referrals,
            today=today,
        )
        services = cls(
            settings=settings,
            retriever=retriever,
            prompts=prompts,
            db=db,
            pipeline=pipeline,
            conversations=conversations,
            profiles=ProfileStore(db),
            feedback=FeedbackStore(db),
            handled=handled,
            today=today,
            stats=StatsStore(db),
            alerts=AlertStore(db),
            transcriber=Transcriber(llm) if llm.configured and llm.transcription_model else None,
            models=tuple(client for client in (chat, utility) if client is not None),
            owns_retriever=owns_retriever,
        )
        return services

    @property
    def directory(self) -> Directory:
        """The programmes owners can apply to: the ones the pipeline names in answers."""
        return self.pipeline.directory

    @directory.setter
    def directory(self, directory: Directory) -> None:
        self.pipeline.directory = directory

    @property
    def reindexing(self) -> bool:
        """True while `reindex` runs."""
        return self._reindexing.locked()

    async def reindex(self) -> IndexReport:
        """Re-index the knowledge folder off the event loop, then swap in the new snapshot (and
        the programme and referral files as they are now).

        Questions keep being answered from the old snapshot until the swap; one re-index at a time.
        """
        async with self._reindexing:
            report = await asyncio.to_thread(build_index, self.settings, self.retriever.embeddings, self.retriever.model_name)
            await asyncio.to_thread(self.retriever.reload)
            self.directory, self.pipeline.referrals = await asyncio.to_thread(_load_directories, self.settings)
        return report

    async def close(self) -> None:
        """Close what was opened here: model clients, the retriever's thread pools, the database."""
        if self.owns_retriever:
            await asyncio.to_thread(self.retriever.close)
        if self.transcriber is not None:
            await self.transcriber.aclose()
        for model in self.models:
            await model.aclose()
        await self.db.close()


def _load_directories(settings: Settings) -> tuple[Directory, Referrals]:
    """The programme and referral files; a bad one is logged and left out (`greenbot knowledge
    check` says why)."""
    directory, referrals = load_directory(settings.paths.knowledge_dir), load_referrals(settings.paths.knowledge_dir)
    for problem in (*directory.problems, *referrals.problems):
        logger.warning("left out: %s", problem)
    return directory, referrals


def _warm_up(retriever: HybridRetriever) -> None:
    """Load what loads lazily (the language model, the search path) before the first user
    arrives, so that no question stalls the event loop while it loads."""
    detect("warm-up: how can my shop save energy?")
    retriever.search("save energy")
