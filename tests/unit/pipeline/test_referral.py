"""A request for a person: answered with the places for the owner's country (or the one the
message names), before any search, and not saved as a question."""

from __future__ import annotations

from bot.config import LLMSettings, PipelineSettings
from bot.domain import AnswerMode, Question
from bot.knowledge import load_referrals
from bot.pipeline import Pipeline
from bot.prompts import Prompts
from tests.fakes import FakeClock, FakeRetriever, FakeStore
from tests.support import REPO, TINY_KNOWLEDGE

PROMPTS = Prompts(REPO / "prompts")


def pipeline(retriever: FakeRetriever, store: FakeStore) -> Pipeline:
    return Pipeline(
        retriever=retriever, prompts=PROMPTS, store=store, settings=PipelineSettings(), llm_settings=LLMSettings(), clock=FakeClock(),
        referrals=load_referrals(TINY_KNOWLEDGE),
    )  # fmt: skip


async def test_a_request_for_a_person_lists_the_places_before_any_search_and_is_not_saved() -> None:
    retriever, store = FakeRetriever(), FakeStore()
    answer = await pipeline(retriever, store).answer(Question(text="อยากคุยกับเจ้าหน้าที่เรื่องโซลาร์ในเวียดนาม", history=()))
    assert answer.mode is AnswerMode.REFERRAL and answer.language == "th" and answer.turn_id is None
    assert answer.text.startswith("คุณสามารถสอบถามเจ้าหน้าที่ได้โดยตรงที่หน่วยงานเหล่านี้ในเวียดนาม")  # the country the message names
    assert "โต๊ะช่วยเหลือสมมติสำหรับการทดสอบ" in answer.text and "ทั่วอาเซียน:" in answer.text
    assert retriever.searches == [] and store.saved == []


async def test_the_places_follow_the_profile_and_only_the_asean_wide_ones_without_a_country() -> None:
    p = pipeline(FakeRetriever(), FakeStore())
    vietnam = await p.answer(Question(text="I want to talk to an advisor", history=(), country="VN"))
    assert vietnam.text.split("\n\n")[1:] == [
        "Test SME Support Desk\nA made-up desk for tests: it answers questions about green loans.\nWebsite: https://example.org/sme-desk · Phone: +84 00 0000 0000",
        "Test Energy Efficiency Centre\nA made-up centre for tests: it visits shops to find energy savings.\nEmail: centre@example.org · Address: 1 Test Street, Ha Noi",
        "All of ASEAN:",
        "Test ASEAN Portal\nA made-up portal for tests: it lists contacts in every ASEAN country.\nWebsite: https://example.org/asean-portal",
    ]
    nowhere = p.referral("en", None)
    assert nowhere.text.startswith("You can ask a person at these places across ASEAN.") and "All of ASEAN" not in nowhere.text
    assert "Test SME Support Desk" not in nowhere.text
