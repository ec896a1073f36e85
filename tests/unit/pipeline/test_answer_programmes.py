"""Programmes in answers: which questions ask for money or a label, the open programmes an answer
names with their cards as sources (offline and to a model), and a closed one said to be closed.
The made-up programmes of tests/data/knowledge; the day is always given, never the clock's."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.config import LLMSettings, PipelineSettings
from bot.domain import AnswerMode, Question, ScoredChunk
from bot.knowledge import Directory, ProgrammeKind, load_directory
from bot.pipeline import Pipeline, Retrieved
from bot.pipeline.programmes import kinds_asked, offer
from bot.prompts import Prompts
from tests.fakes import FakeChat, FakeClock, FakeRetriever, FakeStore, passage
from tests.support import REPO, TINY_KNOWLEDGE

PROMPTS = Prompts(REPO / "prompts")
TODAY = dt.date(2026, 12, 10)  # the test grant closed on 2026-06-30
DIRECTORY = load_directory(TINY_KNOWLEDGE)
FINANCE = passage("green-finance-vietnam", ["Banks in Viet Nam offer green loans for efficient equipment."])
LOAN, GRANT, GUARANTEE, TAX, LABEL = (ProgrammeKind.LOAN, ProgrammeKind.GRANT, ProgrammeKind.GUARANTEE, ProgrammeKind.TAX, ProgrammeKind.LABEL)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("is there a green loan for my fridges?", {LOAN, GUARANTEE}),
        ("có khoản vay ưu đãi nào để mua tủ lạnh không", {LOAN, GUARANTEE}),
        ("มีสินเชื่อสำหรับโซลาร์เซลล์ไหม", {LOAN, GUARANTEE}),
        ("ada hibah untuk panel surya?", {GRANT}),
        ("geran untuk kedai saya", {GRANT}),
        ("any tax incentive for energy efficient equipment?", {TAX}),
        ("how can I finance solar panels for my shop?", {LOAN, GRANT, GUARANTEE, TAX}),
        ("ខ្ញុំចង់បានឥណទានសម្រាប់ម៉ាស៊ីនត្រជាក់", {LOAN, GUARANTEE}),
        ("ເງິນກູ້ສຳລັບແຜງໂຊລາ", {LOAN, GUARANTEE}),
        ("ဆိုလာအတွက် ချေးငွေ ရနိုင်မလား", {LOAN, GUARANTEE}),
        ("how do I get an eco-label for my soap?", {LABEL}),
        ("làm sao để được chứng nhận nhãn xanh", {LABEL}),
        ("paano makakuha ng sertipikasyon", {LABEL}),
        ("how can I cut my electricity bill?", set()),
        ("tiền điện của quán tôi quá cao", set()),  # "tiền" is money, but a bill is no project to fund
        ("what does carbon credit mean?", set()),
        ("kailan na talaga kailangan bumili ng CBAM certificates?", set()),
        ("CBAM mulai wajib beli sertifikat kapan?", set()),
        ("bila CBAM mula kena beli sijil?", set()),
        ("CBAM เริ่มต้องซื้อใบรับรองจริงเมื่อไหร่", set()),
    ],
)
def test_money_and_label_questions_in_every_language(text: str, kinds: set[ProgrammeKind]) -> None:
    assert kinds_asked(text) == kinds


def test_an_offer_is_the_open_programmes_of_the_kind_asked_numbered_after_the_guides() -> None:
    offered = offer(
        DIRECTORY, "a loan for solar?", PROMPTS, lang="vi", country="VN", sector=None, today=TODAY, first_number=3, limit=3, topics=["renewable-energy"]
    )
    assert [p.id for p in offered.programmes] == ["vn-test-solar-loan", "vn-test-green-loan"]  # the topic of the guides first
    assert [(s.number, s.id, s.title, s.url) for s in offered.sources] == [
        (3, "vn-test-solar-loan", "Khoản vay điện mặt trời thử nghiệm", "https://example.org/solar-loan"),
        (4, "vn-test-green-loan", "Khoản vay xanh thử nghiệm", "https://example.org/green-loan"),
    ]
    assert "Mở đến 2027-06-30." in offered.cards[0] and "https://example.org/solar-loan" in offered.cards[0]
    grant = offer(DIRECTORY, "a grant?", PROMPTS, lang="en", country="VN", sector=None, today=TODAY, first_number=1, limit=3)
    assert grant.programmes == ()  # the only grant closed on 2026-06-30
    earlier = offer(DIRECTORY, "a grant?", PROMPTS, lang="en", country="VN", sector=None, today=dt.date(2026, 6, 30), first_number=1, limit=3)
    assert [p.id for p in earlier.programmes] == ["vn-test-closed-grant"]
    assert offer(DIRECTORY, "a loan?", PROMPTS, lang="en", country=None, sector=None, today=TODAY, first_number=1, limit=3).programmes == ()
    assert offer(DIRECTORY, "how to save energy?", PROMPTS, lang="en", country="VN", sector=None, today=TODAY, first_number=1, limit=3).programmes == ()
    assert len(offer(DIRECTORY, "a loan?", PROMPTS, lang="en", country="VN", sector="food", today=TODAY, first_number=1, limit=1).programmes) == 1


def pipeline(chat: FakeChat | None = None, directory: Directory = DIRECTORY, hit: ScoredChunk = FINANCE, llm: LLMSettings = LLMSettings()) -> Pipeline:
    return Pipeline(
        retriever=FakeRetriever([hit]), prompts=PROMPTS, store=FakeStore(), settings=PipelineSettings(), llm_settings=llm,
        chat=chat, clock=chat.clock if chat else FakeClock(), directory=directory, today=lambda: TODAY,
    )  # fmt: skip


async def test_an_offline_answer_names_the_open_programmes_with_their_cards_as_sources() -> None:
    events = [e async for e in pipeline().events(Question(text="Is there a green loan for my shop?", history=(), country="VN", sector="retail"))]
    retrieved, answer = events[0], events[-1].answer  # type: ignore[attr-defined]
    assert isinstance(retrieved, Retrieved) and [s.id for s in retrieved.sources] == ["green-finance-vietnam", "vn-test-green-loan", "vn-test-solar-loan"]
    assert answer.mode is AnswerMode.OFFLINE
    assert answer.text.split("\n\n")[1] == (
        "Programmes open now for Viet Nam that may fit:\n"
        "• Test Green Loan: A made-up loan for tests: it pays for efficient fridges. [2]\n"
        "• Test Solar Loan: A made-up loan for tests: it pays for rooftop solar. Open until 2027-06-30. [3]"
    )
    assert [s.id for s in answer.sources] == ["green-finance-vietnam", "vn-test-green-loan", "vn-test-solar-loan"]
    assert len(answer.trace.cards) == 2 and "Up to 500 million dong over 7 years." in answer.trace.cards[1]


@pytest.mark.parametrize("chat", [None, FakeChat(replies=["vay von"])])
async def test_a_money_question_no_guide_answers_still_gets_the_open_programmes(chat: FakeChat | None) -> None:
    unrelated = passage("heat-stress-at-work", ["Give workers water and shade."], score=0.5)  # below the confidence threshold
    events = [e async for e in pipeline(chat, hit=unrelated).events(Question(text="vay vốn mua tủ lạnh?", history=(), country="VN", reply_lang="vi"))]
    retrieved, answer = events[0], events[-1].answer  # type: ignore[attr-defined]
    assert isinstance(retrieved, Retrieved) and [s.id for s in retrieved.sources] == ["vn-test-green-loan", "vn-test-solar-loan"]
    assert answer.mode is AnswerMode.OFFLINE and answer.text.startswith("Các chương trình đang mở cho Việt Nam có thể phù hợp:\n• Khoản vay xanh thử nghiệm")
    assert "water" not in answer.text and [s.number for s in answer.sources] == [1, 2]
    assert chat is None or all(prompt[-1][1].startswith("Translate") for prompt in chat.prompts)  # asked to write none: it writes from guides


async def test_a_question_no_guide_and_no_programme_answers_is_declined() -> None:
    unrelated = passage("heat-stress-at-work", ["Give workers water and shade."], score=0.5)
    answer = await pipeline(hit=unrelated).answer(Question(text="vay vốn mua tủ lạnh?", history=(), country="TH"))
    assert answer.mode is AnswerMode.REFUSAL and answer.sources == ()


async def test_a_country_the_question_names_and_a_day_the_question_gives() -> None:
    named = await pipeline().answer(Question(text="vay vốn xanh ở Việt Nam?", history=(), reply_lang="vi"))
    assert "Các chương trình đang mở cho Việt Nam có thể phù hợp:\n• Khoản vay xanh thử nghiệm" in named.text
    june = await pipeline().answer(Question(text="any grant for efficient fridges in Viet Nam?", history=(), today=dt.date(2026, 6, 1)))
    assert "• Test Closed Grant: A made-up grant for tests: its window has ended. Open until 2026-06-30. [2]" in june.text
    december = await pipeline().answer(Question(text="any grant for efficient fridges in Viet Nam?", history=(), country="VN"))
    assert "Test Closed Grant" not in december.text and [s.id for s in december.sources] == ["green-finance-vietnam"]


async def test_a_closed_programme_the_question_names_is_said_to_be_closed() -> None:
    answer = await pipeline().answer(Question(text="Can I still apply for the Test Closed Grant in Viet Nam?", history=(), country="VN"))
    assert answer.text.endswith("Test Closed Grant: Closed since 2026-06-30: it takes no applications now.")
    assert "vn-test-closed-grant" not in [s.id for s in answer.sources]


async def test_a_closed_programme_the_quoted_section_is_about_is_said_to_be_closed() -> None:
    quoted = passage("grants-vietnam", ["The grant pays half the price of a new efficient fridge."])
    about = replace(
        quoted, chunk=replace(quoted.chunk, section_text="The Test Closed Grant opened in 2026. The grant pays half the price of a new efficient fridge.")
    )
    answer = await pipeline(hit=about).answer(Question(text="how much does the grant pay for a fridge?", history=(), country="VN"))
    assert answer.text.startswith("The grant pays half the price of a new efficient fridge. [1]")
    assert answer.text.endswith("Test Closed Grant: Closed since 2026-06-30: it takes no applications now.")


async def test_the_model_reads_the_cards_as_sources_and_may_cite_their_figures() -> None:
    chat = FakeChat(replies=["Banks offer green loans [1]. The Test Solar Loan lends up to 500 million dong over 7 years [3]."])
    answer = await pipeline(chat).answer(Question(text="Is there a green loan for solar?", history=(), country="VN"))
    prompt = chat.prompts[0][-1][1]
    assert "[3] Test Solar Loan (applies to: VN)\nTest Solar Loan\nTest Bank of Viet Nam · Viet Nam" in prompt
    assert "Up to 500 million dong over 7 years." in prompt and "Open until 2027-06-30." in prompt
    assert "Sources [2], [3] are programme cards: programmes open now" in prompt
    assert answer.mode is AnswerMode.LLM and answer.ungrounded_numbers == ()
    assert [s.id for s in answer.sources] == ["green-finance-vietnam", "vn-test-solar-loan"]


async def test_a_model_that_names_a_closed_programme_is_corrected() -> None:
    chat = FakeChat(replies=["Apply for the Test Closed Grant [1]."])
    answer = await pipeline(chat).answer(Question(text="Which grant helps with fridges?", history=(), country="VN"))
    assert answer.text == "Apply for the Test Closed Grant [1].\n\nTest Closed Grant: Closed since 2026-06-30: it takes no applications now."


async def test_without_programme_files_answers_are_as_before() -> None:
    answer = await pipeline(directory=Directory(files=())).answer(Question(text="Is there a green loan for my shop?", history=(), country="VN"))
    assert "Programmes open now" not in answer.text and answer.trace.cards == ()


async def test_a_card_that_does_not_fit_the_budget_is_not_named_to_the_model() -> None:
    chat = FakeChat(replies=["Banks offer green loans [1]."])
    await pipeline(chat, llm=LLMSettings(prompt_token_budget=700)).answer(Question(text="Is there a green loan for solar?", history=(), country="VN"))
    prompt = chat.prompts[0][-1][1]
    assert "[2] Test Green Loan" in prompt and "[3] Test Solar Loan" not in prompt  # the budget held one card
    assert "Sources [2] are programme cards" in prompt
