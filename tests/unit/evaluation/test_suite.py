"""Suites load into typed cases, and every mistake is reported as file:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.errors import EvaluationError
from bot.evaluation.suite import load_suites, suite_files
from tests.support import REPO

GOOD = """\
- id: led-en
  group: led
  lang: en
  question: how much can LED lamps save?
  expected_sources: [led-lighting]
  must_include:
    - ["90%", "ninety"]
  tags: [informal]
  quarantine: {reason: "extractive answer misses the figure", until: 2026-12-31}
- id: led-vi
  group: led
  lang: vi
  question: den led tiet kiem bao nhieu
  history:
    - {question: "xin chào", answer: "Chào bạn!"}
  profile: {country: vn, sector: retail}
  must_not_cite: [vn-test-closed-grant]
  today: 2027-01-05
  expect: answer
"""


def write(tmp_path: Path, text: str, name: str = "suite.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_suite_loads_with_lines_and_defaults(tmp_path: Path) -> None:
    first, second = load_suites([write(tmp_path, GOOD)], known_sources={"led-lighting"})
    assert (first.line, second.line) == (1, 10)
    assert first.must_include == (("90%", "ninety"),) and first.severity == "normal" and first.suite == "suite"
    assert first.quarantined(dt.date(2026, 12, 31)) and not first.quarantined(dt.date(2027, 1, 1))
    assert second.profile is not None and second.profile.country == "VN"
    assert second.history[0].answer == "Chào bạn!"
    assert (first.today, second.today, second.must_not_cite) == (None, dt.date(2027, 1, 5), ("vn-test-closed-grant",))


def test_the_content_hash_ignores_position_but_not_content(tmp_path: Path) -> None:
    (case,) = load_suites([write(tmp_path, GOOD.split("- id: led-vi")[0])])
    (moved,) = load_suites([write(tmp_path, "# a comment\n\n" + GOOD.split("- id: led-vi")[0], "moved.yaml")])
    (edited,) = load_suites([write(tmp_path, GOOD.split("- id: led-vi")[0].replace("90%", "91%"), "edited.yaml")])
    assert case.content_hash != edited.content_hash
    assert case.model_copy(update={"suite": "moved"}).content_hash == moved.content_hash


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  lang: vi\n", "  lang: vn\n", ":12: lang: Value error, unknown language 'vn'"),
        ("  profile: {country: vn, sector: retail}\n", "  profile: {country: fr}\n", ":16: profile.country: Value error, unknown country 'fr'"),
        ('    - ["90%", "ninety"]\n', "    - []\n", ":7: must_include: Value error, every group needs at least one non-empty alternative"),
        ("  tags: [informal]\n", "  tagz: [informal]\n", ":8: tagz: Extra inputs are not permitted"),
        ("  question: den led tiet kiem bao nhieu\n", "", ":10: question: Field required"),
        ("  expect: answer\n", "  expect: maybe\n", ":19: expect: Input should be 'answer', 'refusal' or 'greeting'"),
        ("until: 2026-12-31", "until: someday", ":9: quarantine.until: Input should be a valid date"),
        ("  expected_sources: [led-lighting]\n", "  expected_sources: [led-lights]\n", ":5: expected_sources: no knowledge document led-lights"),
        ("- id: led-vi", "- id: led-en", ":10: duplicate case id 'led-en' (first at "),
    ],
)
def test_problems_are_reported_with_file_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(EvaluationError) as raised:
        load_suites([path], known_sources={"led-lighting"})
    assert f"{path}{message}" in str(raised.value)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("lang: en", "lang: xx").replace("lang: vi", "lang: yy"))
    with pytest.raises(EvaluationError, match=r"^2 problem\(s\)") as raised:
        load_suites([path])
    assert f"{path}:3: lang" in str(raised.value) and f"{path}:12: lang" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- id: a\n  lang: [en\n", ":3: invalid YAML"),
        ("id: a\nlang: en\n", ":1: a suite is a YAML list of cases"),
        ("- just a string\n", ":1: a case is a mapping of fields"),
        ("", ":1: empty suite"),
    ],
)
def test_unreadable_suites(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(EvaluationError) as raised:
        load_suites([path])
    assert f"{path}{message}" in str(raised.value)


def test_a_refusal_cannot_expect_sources(tmp_path: Path) -> None:
    path = write(tmp_path, "- id: r\n  group: r\n  lang: en\n  question: bake a cake\n  expect: refusal\n  expected_sources: [led-lighting]\n")
    with pytest.raises(EvaluationError, match=":1: case: Value error, a refusal case cannot expect sources"):
        load_suites([path])


def test_the_core_suite_is_valid_and_covers_every_language() -> None:
    cases = load_suites(suite_files(REPO / "eval"))
    per_language = {lang: sum(c.lang == lang for c in cases) for lang in ("vi", "th", "id", "ms", "tl", "km", "lo", "my")}
    assert len(cases) >= 150
    assert all(per_language[lang] >= 15 for lang in ("vi", "th", "id", "ms", "tl")), per_language
    assert all(per_language[lang] >= 5 for lang in ("km", "lo", "my")), per_language
