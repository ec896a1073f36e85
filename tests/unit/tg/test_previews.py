"""The pace of an answer's previews, on an injected clock."""

from __future__ import annotations

from bot.tg.previews import Pace
from tests.fakes import FakeClock


def test_a_preview_waits_for_enough_new_words_and_for_its_interval_after_the_last() -> None:
    clock = FakeClock()
    pace = Pace(every_s=1.0, min_words=3, clock=clock)
    assert pace.wait_s("Count the") is None  # too few words yet
    assert pace.wait_s("Count the bulbs") == 0.0  # the first one goes at once
    pace.shown("Count the bulbs")
    clock.now += 0.25
    assert pace.wait_s("Count the bulbs that burn") is None  # two words more: not worth a preview
    assert pace.wait_s("Count the bulbs that burn longest") == 0.75  # enough words, but not yet a second since the last
    clock.now += 0.75
    assert pace.wait_s("Count the bulbs that burn longest") == 0.0


def test_a_retry_after_holds_the_next_preview_back_at_least_as_long_as_asked() -> None:
    clock = FakeClock()
    pace = Pace(every_s=1.0, min_words=1, clock=clock)
    pace.shown("Count")
    pace.hold(5.0)
    clock.now += 2.0
    assert pace.wait_s("Count the bulbs") == 3.0
    pace.hold(1.0)  # a shorter wait asked later does not shorten the one before
    assert pace.wait_s("Count the bulbs") == 3.0
