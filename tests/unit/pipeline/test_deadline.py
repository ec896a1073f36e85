"""ModelTime: one allowance for every model call of an answer, on an injected clock."""

from __future__ import annotations

import pytest

from bot.errors import LLMServerError, LLMTimeout, LLMUnreachable
from bot.pipeline.deadline import ModelTime
from tests.fakes import FakeClock


def test_each_call_gets_what_is_left_and_none_starts_once_it_is_spent() -> None:
    clock = FakeClock(100.0)
    allowance = ModelTime(20.0, 5.0, clock)
    with allowance.running(helper=True) as deadline:
        assert deadline == 105.0  # a helper call gets 5 s at the most
        clock.now += 2.0
    clock.now += 30.0  # retrieval, between the calls: not charged
    with allowance.running() as deadline:
        assert deadline == 150.0  # the 18 s left
        clock.now += 19.0  # ran past it: the call was cut at its deadline in reality
    with pytest.raises(LLMTimeout, match="20 s"), allowance.running():
        pytest.fail("no call may start")


def test_once_a_call_finds_the_server_down_no_other_call_is_made() -> None:
    clock = FakeClock()
    allowance = ModelTime(20.0, 5.0, clock)
    with pytest.raises(LLMServerError), allowance.running(helper=True):
        raise LLMServerError("test-model answered HTTP 503")  # overloaded, not down: the answer may still come
    with pytest.raises(LLMUnreachable), allowance.running(helper=True):
        raise LLMUnreachable("test-model refused the connection")
    with pytest.raises(LLMUnreachable, match=r"refused the connection \(not asked again"), allowance.running():
        pytest.fail("no call may start")
