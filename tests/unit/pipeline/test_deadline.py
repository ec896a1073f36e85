"""ModelTime: one deadline for every model call of an answer, counted from the question, on an injected clock."""

from __future__ import annotations

import pytest

from bot.errors import LLMServerError, LLMTimeout, LLMUnreachable
from bot.pipeline.deadline import ModelTime
from tests.fakes import FakeClock


def test_every_call_ends_by_the_answers_deadline_and_none_starts_after_it() -> None:
    clock = FakeClock(100.0)
    allowance = ModelTime(20.0, 5.0, clock)
    with allowance.running(helper=True) as deadline:
        assert deadline == 105.0  # a helper call gets 5 s at the most
        clock.now += 2.0
    clock.now += 10.0  # retrieval, queued behind other questions: the owner waits all the same
    with allowance.running() as deadline:
        assert deadline == 120.0  # 20 s after the question came
        clock.now += 9.0  # ran past it: the call was cut at its deadline in reality
    with pytest.raises(LLMTimeout, match="20 s"), allowance.running():
        pytest.fail("no call may start")


def test_a_helper_call_never_runs_past_the_answers_deadline() -> None:
    clock = FakeClock(0.0)
    allowance = ModelTime(20.0, 5.0, clock)
    clock.now += 18.0
    with allowance.running(helper=True) as deadline:
        assert deadline == 20.0


def test_once_a_call_finds_the_server_down_no_other_call_is_made() -> None:
    clock = FakeClock()
    allowance = ModelTime(20.0, 5.0, clock)
    with pytest.raises(LLMServerError), allowance.running(helper=True):
        raise LLMServerError("test-model answered HTTP 503")  # overloaded, not down: the answer may still come
    with pytest.raises(LLMUnreachable), allowance.running(helper=True):
        raise LLMUnreachable("test-model refused the connection")
    with pytest.raises(LLMUnreachable, match=r"refused the connection \(not asked again"), allowance.running():
        pytest.fail("no call may start")
