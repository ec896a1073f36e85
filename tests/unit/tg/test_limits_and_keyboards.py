"""Per-user question limits and the callback data of every keyboard."""

from __future__ import annotations

import asyncio

import pytest

from bot.knowledge import load_directory
from bot.prompts import Prompts
from bot.tg import keyboards
from bot.tg.limits import QuestionLimits
from tests.support import REPO


async def test_limits_count_per_user_and_say_which_limit_was_hit() -> None:
    limits = QuestionLimits(per_minute=2, per_day=3, starts_per_s=1000)
    assert [await limits.admit(1) for _ in range(3)] == ["ok", "ok", "minute"]
    assert await limits.admit(2) == "ok"
    daily = QuestionLimits(per_minute=10, per_day=2, starts_per_s=1000)
    assert [await daily.admit(1) for _ in range(3)] == ["ok", "ok", "day"]


async def test_questions_start_in_a_burst_of_ten_then_at_the_pace_set() -> None:
    limits = QuestionLimits(per_minute=10, per_day=10, starts_per_s=0.001)  # the next start after the burst: in 1,000 s
    for _ in range(10):
        await limits.start()
    eleventh = asyncio.create_task(limits.start())
    for _ in range(5):
        await asyncio.sleep(0)
    assert not eleventh.done()  # waiting for its turn
    eleventh.cancel()


def test_callback_data_round_trips_and_stays_under_64_bytes() -> None:
    prompts = Prompts(REPO / "prompts")
    markups = [keyboards.rating(2**62, prompts, "my"), keyboards.reasons(prompts, "km", 2**62, ("wrong", "too_long")), keyboards.forget(prompts, "lo")]
    for lang in prompts.languages:
        markups += [
            keyboards.languages(prompts, lang, onboarding=True),
            keyboards.countries(prompts, lang, onboarding=True),
            keyboards.sectors(prompts, lang, onboarding=True),
            keyboards.profile(prompts, lang),
            keyboards.consent(prompts, lang),
            keyboards.topics(prompts, lang),
            *(keyboards.questions(prompts, lang, i) for i in range(len(prompts.topics(lang)))),
        ]
    data = [button.callback_data for markup in markups for row in markup.inline_keyboard for button in row]
    assert all(isinstance(d, str) and len(d.encode()) <= keyboards.MAX_CALLBACK_BYTES for d in data)
    assert keyboards.parse("fb:up:12") == ["up", "12"] and keyboards.parse(None) == []
    with pytest.raises(ValueError, match="over 64 bytes"):
        keyboards.data("ask", "x" * 70)


def test_programme_buttons_carry_valid_data_for_every_real_programme() -> None:
    prompts = Prompts(REPO / "prompts")
    programmes = list(load_directory(REPO / "knowledge").programmes)
    markups = [keyboards.programmes(programmes, "my")]
    for programme in programmes:
        markups.append(keyboards.card(prompts, "th", programme, checkable=True))
        markups += [keyboards.answers(prompts, "km", programme, i) for i in range(len(programme.who_can_apply))]
    buttons = [button for markup in markups for row in markup.inline_keyboard for button in row]
    data = [b.callback_data for b in buttons if b.url is None]
    assert len(data) > 3 * len(programmes)
    assert all(isinstance(d, str) and len(d.encode()) <= keyboards.MAX_CALLBACK_BYTES and keyboards.is_valid(d) for d in data)
    assert {b.url for b in buttons if b.url is not None} == {str(p.url) for p in programmes}
    assert not keyboards.is_valid("elig:Some Id:0:yes") and not keyboards.is_valid("elig:sg-efs-green:12:yes")
