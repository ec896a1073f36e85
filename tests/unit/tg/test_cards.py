"""The words of /programmes: status notes on a given day, and English standing in for a missing language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.knowledge import load_directory
from bot.pipeline.programmes import status_note
from bot.prompts import Prompts
from bot.tg import cards
from tests.support import REPO

PROMPTS = Prompts(REPO / "prompts")


def test_status_notes_follow_the_day(tiny_knowledge: Path) -> None:
    directory = load_directory(tiny_knowledge)
    grant, audit, solar, green = (directory.get(i) for i in ("vn-test-closed-grant", "th-test-audit", "vn-test-solar-loan", "vn-test-green-loan"))
    assert grant and audit and solar and green
    today = dt.date(2026, 12, 10)
    assert status_note(grant, PROMPTS, "en", today) == "Closed since 2026-06-30: it takes no applications now."
    assert status_note(audit, PROMPTS, "vi", today) == "Mở từ 2027-01-01: chưa nhận hồ sơ."
    assert status_note(solar, PROMPTS, "en", today) == "Open until 2027-06-30."
    assert status_note(green, PROMPTS, "en", today) is None  # open, with no closing date


def test_a_question_without_the_owners_language_is_asked_in_english_and_says_so(tiny_knowledge: Path) -> None:
    path = tiny_knowledge / "programmes" / "vn-test-green-loan.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('    km: "អ្នកមានកម្មករតិចជាង 50 នាក់។"\n', ""), encoding="utf-8")
    green = load_directory(tiny_knowledge).get("vn-test-green-loan")
    assert green is not None
    first, second = (cards.question(green, i, PROMPTS, "km") for i in (0, 1))
    assert first.endswith("អាជីវកម្មរបស់អ្នកបានចុះបញ្ជីនៅវៀតណាម។")
    assert second.endswith("You have fewer than 50 workers.\n\nផ្នែកខ្លះជាភាសាអង់គ្លេស ព្រោះមិនទាន់មានការបកប្រែ។")
