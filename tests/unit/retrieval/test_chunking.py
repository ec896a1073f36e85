"""Chunks never span two sections, stay within the token budget and carry their metadata."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_folder
from bot.retrieval import Chunker, LocalE5Embeddings
from bot.retrieval.chunking import chunk_from_record


def test_chunks_follow_sections_and_carry_metadata(tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    doc = next(d for d in load_folder(tiny_knowledge).documents if d.meta.id == "led-lighting")
    chunks = Chunker(350, 40, count_tokens=embeddings.count_tokens).split(doc)
    assert [c.metadata["section"] for c in chunks] == ["", "Why LED lamps save money", "How to switch"]
    first = chunks[1]
    assert first.page_content.startswith("Switch the shop to LED lighting — Why LED lamps save money\n\n")
    assert first.metadata | {"doc_id": "led-lighting", "group_id": "led-lighting", "lang": "en", "t_energy-efficiency": True, "c_asean": True} == first.metadata
    chunk = chunk_from_record("x", first.page_content, first.metadata)
    assert chunk.text.startswith("An LED lamp uses up to 90% less energy")
    assert chunk.sources[0].url == "https://www.energy.gov/eere/ssl/solid-state-lighting"


def test_long_sections_are_cut_within_the_token_budget(tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    path = tiny_knowledge / "en" / "flood-plan.md"
    sentence = "Keep stock on high shelves and copies of records away from the premises. "
    thai = "เก็บสินค้าไว้บนชั้นสูงและเก็บสำเนาเอกสารไว้นอกสถานที่ "
    path.write_text(path.read_text(encoding="utf-8") + f"\n## Long English\n\n{sentence * 120}\n\n## Long Thai\n\n{thai * 120}\n", encoding="utf-8")
    doc = next(d for d in load_folder(tiny_knowledge).documents if d.meta.id == "flood-plan")
    chunks = Chunker(120, 20, count_tokens=embeddings.count_tokens).split(doc)
    sizes = [embeddings.count_tokens(c.page_content) for c in chunks]
    assert max(sizes) <= 120
    sections = [c.metadata["section"] for c in chunks]
    assert sections.count("Long English") > 5 and sections.count("Long Thai") > 5
    for chunk in chunks:  # no chunk mixes two sections
        assert not ("high shelves" in chunk.page_content and "ชั้นสูง" in chunk.page_content)
        assert ("ชั้นสูง" in chunk.page_content) == (chunk.metadata["section"] == "Long Thai")
    assert [c.metadata["ordinal"] for c in chunks] == list(range(len(chunks)))
