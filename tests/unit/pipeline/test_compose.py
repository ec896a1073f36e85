"""The offline answer: the sentence that answers first, supported by a few more, in the owner's language."""

from __future__ import annotations

import pytest

from bot.config import ComposerSettings
from bot.domain import Chunk, ScoredChunk, Sentence, SentenceKind
from bot.pipeline.compose import Asked, asked, compose

SETTINGS = ComposerSettings()


def hit(doc: str, lang: str, sentences: list[tuple[str, SentenceKind, float]]) -> ScoredChunk:
    chunk = Chunk(
        id=f"{doc}#0",
        doc_id=f"{doc}-{lang}",
        group_id=doc,
        lang=lang,
        title=doc,
        section="",
        text=" ".join(t for t, _, _ in sentences),
        path=f"{lang}/{doc}.md",
        sentences=tuple(Sentence(t, k) for t, k, _ in sentences),
    )
    return ScoredChunk(chunk=chunk, score=1.0, sentence_scores=tuple(s for _, _, s in sentences))


def test_what_the_question_asks_for() -> None:
    assert asked("how much can LED lamps save?") is Asked.FIGURE
    assert asked("tiết kiệm được bao nhiêu") is Asked.FIGURE
    assert asked("tiết kiệm được bao nhiêu %") is Asked.SHARE
    assert asked("CBAM ចាប់ផ្តើមនៅពេលណា?") is Asked.DATE
    assert asked("kailan mag-aapply ang EUDR") is Asked.DATE
    assert asked("มีสินเชื่อสีเขียวไหม") is Asked.NAME
    assert asked("which loan is there for solar") is Asked.NAME
    assert asked("what grants can a small bakery get for energy efficient ovens") is Asked.NAME
    assert asked("how do I find air leaks") is Asked.STEPS
    assert asked("solar panels") is Asked.ANY
    # a figure of the owner's own: what a yes/no question turns on, but only the situation of a "how do I"
    assert asked("khach EU nhap duoi 50 tan thep thi co bi CBAM khong") is Asked.FIGURE
    assert asked("ร้านกาแฟ ค่าไฟเดือนละ 8000 จะลดยังไงดี") is Asked.STEPS


def test_the_first_line_is_the_sentence_that_answers_and_lead_ins_and_meta_are_never_quoted() -> None:
    hits = [
        (
            1,
            hit(
                "led",
                "en",
                [
                    ("This page explains how much small shops can save.", SentenceKind.META, 0.95),
                    ("The savings are:", SentenceKind.LEAD_IN, 0.94),
                    ("An LED lamp uses up to 90% less energy than an old bulb.", SentenceKind.SENTENCE, 0.86),
                    ("LED lamps come in many shapes.", SentenceKind.SENTENCE, 0.87),
                ],
            ),
        ),
        (2, hit("fridge", "en", [("Set fridges no colder than needed.", SentenceKind.LIST_ITEM, 0.80)])),
    ]
    composed = compose("how much can LED lamps save?", "en", hits, ComposerSettings(kind=0.2))  # a figure is asked for
    assert composed is not None
    assert composed.answer.text == "An LED lamp uses up to 90% less energy than an old bulb." and composed.answer.source_number == 1
    quoted = [composed.answer.text, *(p.text for p in composed.points)]
    assert "The savings are:" not in quoted and not any(q.startswith("This page") for q in quoted)


def test_only_the_owners_language_is_quoted_when_the_guide_exists_in_it() -> None:
    hits = [
        (1, hit("led", "en", [("LED lamps use up to 90% less energy.", SentenceKind.SENTENCE, 0.95)])),
        (1, hit("led", "vi", [("Đèn LED dùng ít hơn tới 90% năng lượng.", SentenceKind.SENTENCE, 0.85)])),
    ]
    composed = compose("đèn LED tiết kiệm bao nhiêu", "vi", hits, SETTINGS)
    assert composed is not None and composed.answer.text.startswith("Đèn LED") and composed.points == ()


def test_points_come_in_score_order_from_any_source_without_repeats() -> None:
    steps = [
        "Switch off the lights at closing time.",
        "Switch off the lights at closing time, every day.",
        "Clean the fridge coils every month.",
        "Read the meter on the first of the month.",
        "Name one person to look after energy.",
    ]
    same = [(step, SentenceKind.LIST_ITEM, 0.9 - i / 100) for i, step in enumerate(steps)]
    hits = [(1, hit("quick", "en", same)), (2, hit("other", "en", [("Fix leaking taps the same week.", SentenceKind.SENTENCE, 0.5)]))]
    composed = compose("how do I save energy", "en", hits, SETTINGS)
    assert composed is not None
    quoted = [p.text for p in (composed.answer, *composed.points)]
    assert sorted(quoted) == sorted([steps[0], *steps[2:]])  # the near-repeat is left out; the weak other source is not needed


def test_a_guides_question_to_the_reader_is_never_quoted() -> None:
    hits = [
        (
            1,
            hit(
                "cover",
                "en",
                [
                    ("How much does it pay at each trigger level?", SentenceKind.QUESTION, 0.95),
                    ("A parametric policy pays a set amount when a trigger is reached.", SentenceKind.SENTENCE, 0.80),
                ],
            ),
        )
    ]
    composed = compose("how much does parametric insurance pay?", "en", hits, SETTINGS)
    assert composed is not None and composed.answer.text.startswith("A parametric policy") and composed.points == ()


def test_a_sentence_that_leans_on_the_one_before_opens_only_when_it_holds_what_was_asked() -> None:
    sentences = [
        ("So an LED gives much more light for the same electricity, at 20 W.", SentenceKind.SENTENCE, 0.95),
        ("Replace the lamps that burn longest with LEDs first.", SentenceKind.SENTENCE, 0.80),
    ]
    steps = compose("how do I cut my lighting bill?", "en", [(1, hit("led", "en", sentences))], SETTINGS)
    assert steps is not None and steps.answer.text.startswith("Replace") and steps.points[0].text.startswith("So an LED")
    figure = compose("how many watts does an LED use?", "en", [(1, hit("led", "en", sentences))], SETTINGS)
    assert figure is not None and figure.answer.text.startswith("So an LED")


def test_nothing_quotable_gives_no_answer() -> None:
    assert compose("what?", "en", [(1, hit("x", "en", [("Read on:", SentenceKind.LEAD_IN, 0.9)]))], SETTINGS) is None


def test_sentences_about_other_countries_only_are_left_out() -> None:
    hits = [
        (
            1,
            hit(
                "loans",
                "en",
                [
                    ("Thailand: SME D Bank offers a green loan.", SentenceKind.LIST_ITEM, 0.95),
                    ("Malaysia: the GTFS guarantees part of a green loan.", SentenceKind.LIST_ITEM, 0.90),
                    ("Ask your bank which green loans it offers.", SentenceKind.LIST_ITEM, 0.85),
                ],
            ),
        )
    ]
    named = compose("any green loan in Malaysia?", "en", hits, SETTINGS, country="TH")
    assert named is not None and named.answer.text.startswith("Malaysia:") and "Thailand" not in str(named)
    profile = compose("any green loan?", "en", hits, SETTINGS, country="MY")
    assert profile is not None and "Thailand" not in str(profile)
    assert "Thailand" in str(compose("any green loan?", "en", hits, SETTINGS))


def test_one_guide_alone_may_fill_the_answer_and_its_section_is_quoted_too() -> None:
    single = hit("eudr", "en", [("The EUDR has moved twice.", SentenceKind.SENTENCE, 0.80), ("It covers coffee.", SentenceKind.SENTENCE, 0.79)])
    single = ScoredChunk(
        chunk=single.chunk,
        score=1.0,
        sentence_scores=single.sentence_scores,
        context=((Sentence("It applies to small operators from 30 June 2027."), 0.90), (Sentence("Ask your buyer."), 0.78)),
    )
    composed = compose("when does the EUDR apply to small firms?", "en", [(1, single)], SETTINGS)
    assert composed is not None and composed.answer.text == "It applies to small operators from 30 June 2027."
    assert len(composed.points) == 3


BANK = [
    ("SME Bank was set up by the state in February 2020.", SentenceKind.SENTENCE, 0.90),
    ("SME Bank lends up to $300,000 for working capital at 7% a year.", SentenceKind.SENTENCE, 0.87),
]
LED = [
    ("Studi di 25 pabrik: lampu LED berbiaya US$6.300 dan menghemat US$3.000 per tahun.", SentenceKind.SENTENCE, 0.90),
    ("Lampu LED bisa memakai energi hingga 90% lebih sedikit.", SentenceKind.SENTENCE, 0.87),
]


@pytest.mark.parametrize(
    ("sentences", "lang", "question", "first"),
    [
        (BANK, "en", "how much can I borrow from SME Bank?", "SME Bank lends up to $300,000"),  # a year is no amount
        (BANK, "en", "when was SME Bank set up?", "SME Bank was set up"),
        (LED, "id", "berapa persen hemat listrik kalau ganti lampu LED?", "Lampu LED bisa memakai energi hingga 90%"),  # a share, not a sum
        (LED, "id", "berapa biaya lampu LED?", "Studi di 25 pabrik"),  # what it costs: any figure will do
    ],
)
def test_the_kind_of_figure_asked_for_opens_the_answer(sentences: list[tuple[str, SentenceKind, float]], lang: str, question: str, first: str) -> None:
    composed = compose(question, lang, [(1, hit("doc", lang, sentences))], SETTINGS)
    assert composed is not None and composed.answer.text.startswith(first)
