"""ModelTime: one allowance for every model call of an answer, on an injected clock."""

from __future__ import annotations

import pytest

from bot.errors import LLMTimeout
from bot.pipeline.deadline import ModelTime
from tests.fakes import FakeClock


def test_each_call_gets_what_is_left_and_none_starts_once_it_is_spent() -> None:
    clock = FakeClock(100.0)
    allowance = ModelTime(20.0, clock)
    with allowance.running() as deadline:
        assert deadline == 120.0
        clock.now += 12.0
    clock.now += 30.0  # retrieval, between the calls: not charged
    with allowance.running() as deadline:
        assert deadline == 150.0
        clock.now += 9.0  # ran past it: the call was cut at its deadline in reality
    with pytest.raises(LLMTimeout, match="20 s"), allowance.running():
        pytest.fail("no call may start")
