"""Records are one per sentence plus one per title; passages never span two sections and stay within budget."""

from __future__ import annotations

from pathlib import Path

from bot.domain import SentenceKind
from bot.knowledge import load_folder
from bot.retrieval import Chunker, LocalE5Embeddings
from bot.retrieval.chunking import TITLE, passage_chunk


def _records(folder: Path, doc_id: str, embeddings: LocalE5Embeddings, tokens: int = 120, sentences: int = 3):
    doc = next(d for d in load_folder(folder).documents if d.meta.id == doc_id)
    return Chunker(tokens, sentences, count_tokens=embeddings.count_tokens).split(doc)


def test_one_record_per_sentence_and_one_for_the_title(tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    records = _records(tiny_knowledge, "led-lighting", embeddings)
    assert records[0].text == "Switch the shop to LED lighting" and records[0].metadata["kind"] == TITLE
    body = records[1:]
    assert [r.metadata["section"] for r in body] == ["", "Why LED lamps save money", "How to switch", "How to switch", "How to switch"]
    assert [r.metadata["kind"] for r in body][-3:] == [SentenceKind.LIST_ITEM.value] * 2 + [SentenceKind.META.value]  # "See also fridges."
    assert body[1].text == "An LED lamp uses up to 90% less energy than an incandescent bulb and lasts up to 5 times longer."
    assert [r.metadata["position"] for r in body] == list(range(len(body)))
    assert (
        body[0].metadata | {"doc_id": "led-lighting", "group_id": "led-lighting", "lang": "en", "topics": "energy-efficiency", "countries": "asean"}
        == body[0].metadata
    )


def test_a_passage_is_rebuilt_from_its_records(tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    records = _records(tiny_knowledge, "led-lighting", embeddings)
    steps = [(r.text, r.metadata) for r in records if r.metadata["section"] == "How to switch"]
    assert len({m["passage"] for _, m in steps}) == 1  # three short steps make one passage
    chunk = passage_chunk(steps, section_text="")
    assert chunk.text.splitlines()[0] == "Count the bulbs that burn longest each day."
    assert len(chunk.text.splitlines()) == 2 and len(chunk.sentences) == 3  # the pointer "See also fridges." joins its line
    assert chunk.sources[0].url == "https://www.energy.gov/eere/ssl/solid-state-lighting"
    assert chunk.topics == ("energy-efficiency",) and chunk.countries == ("asean",)


def test_long_sections_are_cut_within_the_budget(tiny_knowledge: Path, embeddings: LocalE5Embeddings) -> None:
    path = tiny_knowledge / "en" / "flood-plan.md"
    english = "Keep stock on high shelves and copies of records away from the premises. "
    thai = "เก็บสินค้าไว้บนชั้นสูงและเก็บสำเนาเอกสารไว้นอกสถานที่\n"  # Thai guides end each sentence with a line break
    path.write_text(path.read_text(encoding="utf-8") + f"\n## Long English\n\n{english * 40}\n\n## Long Thai\n\n{thai * 40}\n", encoding="utf-8")
    records = _records(tiny_knowledge, "flood-plan", embeddings, tokens=60, sentences=3)
    passages: dict[int, list] = {}
    for record in records[1:]:
        passages.setdefault(int(record.metadata["passage"]), []).append(record)
    for members in passages.values():
        assert len(members) <= 3
        assert len({m.metadata["section"] for m in members}) == 1  # no passage mixes two sections
    english_passages = [p for p in passages.values() if p[0].metadata["section"] == "Long English"]
    thai_records = [r for r in records if r.metadata["section"] == "Long Thai"]
    assert len(english_passages) > 5
    assert all("ชั้นสูง" in r.text for r in thai_records) and len(thai_records) > 5
