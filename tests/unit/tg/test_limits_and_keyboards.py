"""Per-user question limits and the callback data of every keyboard."""

from __future__ import annotations

import pytest

from bot.prompts import Prompts
from bot.tg import keyboards
from bot.tg.limits import QuestionLimits
from tests.support import REPO


async def test_limits_count_per_user_and_say_which_limit_was_hit() -> None:
    limits = QuestionLimits(per_minute=2, per_day=3)
    assert [await limits.admit(1) for _ in range(3)] == ["ok", "ok", "minute"]
    assert await limits.admit(2) == "ok"
    daily = QuestionLimits(per_minute=10, per_day=2)
    assert [await daily.admit(1) for _ in range(3)] == ["ok", "ok", "day"]


def test_callback_data_round_trips_and_stays_under_64_bytes() -> None:
    prompts = Prompts(REPO / "prompts")
    markups = [keyboards.rating(2**62), keyboards.reasons(prompts, "km", 2**62, ("wrong", "too_long")), keyboards.forget(prompts, "lo")]
    for lang in prompts.languages:
        markups += [
            keyboards.languages(prompts, lang, onboarding=True),
            keyboards.countries(prompts, lang, onboarding=True),
            keyboards.sectors(prompts, lang, onboarding=True),
            keyboards.profile(prompts, lang),
            keyboards.topics(prompts, lang),
            *(keyboards.questions(prompts, lang, i) for i in range(len(prompts.topics(lang)))),
        ]
    data = [button.callback_data for markup in markups for row in markup.inline_keyboard for button in row]
    assert all(isinstance(d, str) and len(d.encode()) <= keyboards.MAX_CALLBACK_BYTES for d in data)
    assert keyboards.parse("fb:up:12") == ["up", "12"] and keyboards.parse(None) == []
    with pytest.raises(ValueError, match="over 64 bytes"):
        keyboards.data("ask", "x" * 70)
