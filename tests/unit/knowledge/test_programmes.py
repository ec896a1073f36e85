"""The programme directory: the model, loading with file:line problems, what is open for whom,
and the warnings of `knowledge check`. The day is always given, never read from the clock."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.knowledge import Directory, ProgrammeKind, ProgrammeStatus, check_programmes, load_directory
from bot.knowledge.schema import ENGLISH
from tests.support import DATA, REPO

TODAY = dt.date(2026, 12, 10)
BROKEN = DATA / "broken_programmes"


def _ids(programmes: object) -> list[str]:
    return [p.id for p in programmes]  # type: ignore[attr-defined]


@pytest.fixture
def directory(tiny_knowledge: Path) -> Directory:
    return load_directory(tiny_knowledge)


def test_the_real_directory_loads_whole() -> None:
    directory = load_directory(REPO / "knowledge")
    assert [str(p) for p in directory.problems] == []
    assert len(directory.files) == len(directory.paths) >= 38
    assert len(set(_ids(directory.programmes))) == len(directory.files)


def test_status_follows_the_given_day(directory: Directory) -> None:
    grant, audit, loan = (directory.get(i) for i in ("vn-test-closed-grant", "th-test-audit", "vn-test-green-loan"))
    assert grant is not None and audit is not None and loan is not None
    assert grant.status(dt.date(2026, 6, 30)) is ProgrammeStatus.OPEN  # the closing day is still open
    assert grant.status(dt.date(2026, 7, 1)) is ProgrammeStatus.CLOSED
    assert audit.status(TODAY) is ProgrammeStatus.UPCOMING and audit.status(dt.date(2027, 1, 1)) is ProgrammeStatus.OPEN
    assert loan.status(dt.date(2099, 1, 1)) is ProgrammeStatus.OPEN  # no closing date: open until the file says otherwise


def test_matching_lists_what_is_open_for_the_owners_country_and_sector(directory: Directory) -> None:
    assert _ids(directory.matching(country="VN", sector="food", today=TODAY)) == ["vn-test-green-loan", "vn-test-solar-loan", "asean-test-label"]
    assert _ids(directory.matching(country="VN", sector="garments", today=TODAY)) == ["vn-test-solar-loan", "asean-test-label"]
    assert _ids(directory.matching(country="TH", sector=None, today=TODAY)) == ["asean-test-label"]  # the audit opens in 2027
    assert _ids(directory.matching(country="TH", sector=None, today=dt.date(2027, 1, 1))) == ["th-test-audit", "asean-test-label"]
    assert _ids(directory.matching(country=None, sector=None, today=TODAY)) == ["asean-test-label"]
    assert _ids(directory.matching(country="VN", sector=None, today=dt.date(2026, 6, 1))) == [
        "vn-test-closed-grant",
        "vn-test-green-loan",
        "vn-test-solar-loan",
        "asean-test-label",
    ]


def test_matching_by_topic_and_kind_for_the_pipeline(directory: Directory) -> None:
    assert _ids(directory.matching(country="VN", sector=None, today=TODAY, topics=["renewable-energy"])) == ["vn-test-solar-loan"]
    assert _ids(directory.matching(country="VN", sector=None, today=TODAY, kinds=[ProgrammeKind.LABEL, ProgrammeKind.GRANT])) == ["asean-test-label"]


def test_alternatives_give_the_same_kind_where_the_programme_applies(directory: Directory) -> None:
    green = directory.get("vn-test-green-loan")
    label = directory.get("asean-test-label")
    assert green is not None and label is not None
    assert _ids(directory.alternatives(green, country="TH", sector="food", today=TODAY)) == ["vn-test-solar-loan"]
    assert _ids(directory.alternatives(label, country="VN", sector=None, today=TODAY)) == []


def test_texts_fall_back_to_english_and_say_so(directory: Directory) -> None:
    label = directory.get("asean-test-label")
    assert label is not None
    assert label.name.shown("km").lang == "km"
    shown = label.what_you_get.shown("km")
    assert (shown.lang, shown.text) == (ENGLISH, "A label to show buyers, valid for two years.")
    assert label.what_you_get.missing() == ["km"]


@pytest.mark.parametrize("fixture", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_broken_file_is_reported_with_its_line_and_the_others_still_load(tiny_knowledge: Path, fixture: Path) -> None:
    """Each fixture has one mistake; its first line says where and what `knowledge check` reports."""
    expected = fixture.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    target = tiny_knowledge / "programmes" / fixture.name
    shutil.copy(fixture, target)
    directory = load_directory(tiny_knowledge)
    assert [f"{p.line}: {p.message}" for p in directory.problems] == [expected]
    assert all(p.path == target for p in directory.problems)
    assert len(directory.files) == 5 and len(directory.paths) == 6


def test_a_file_that_is_not_utf8_or_not_yaml_named(tiny_knowledge: Path) -> None:
    folder = tiny_knowledge / "programmes"
    good = (folder / "vn-test-green-loan.yaml").read_bytes()
    (folder / "vn-test-green-loan.yaml").write_bytes(good.replace(b"Test Bank", b"Test \xe9 Bank"))
    (folder / "vn-other.yml").write_bytes(good)
    problems = [str(p).replace(f"{folder}/", "") for p in load_directory(tiny_knowledge).problems]
    assert problems == [
        "vn-other.yml:1: name the file vn-other.yaml: only .yaml files are read",
        "vn-test-green-loan.yaml:4: not UTF-8: byte 0xe9 at offset 99",
    ]


def test_check_warns_of_old_verification_passed_closing_and_missing_languages(directory: Directory) -> None:
    problems = [str(p).split("/programmes/")[1] for p in check_programmes(directory, today=TODAY, verify_every_days=90)]
    assert problems == [
        "asean-test-label.yaml:52: warning: what_you_get has no km text: owners who read it see English",
        "asean-test-label.yaml:61: warning: how_to_apply has no km text: owners who read it see English",
        "vn-test-closed-grant.yaml:10: warning: closes 2026-06-30 has passed, so the bot no longer offers it: "
        "if the source says it was extended, move the date; if it has ended, delete the file",
        "vn-test-closed-grant.yaml:11: warning: last_verified 2026-05-01 is 223 days ago (more than 90): "
        "check the programme's sources, then set it to the day you checked",
    ]
    later = check_programmes(directory, today=dt.date(2027, 2, 20), verify_every_days=90, strict=True)
    assert {p.severity for p in later} == {"error"}
    assert sum("last_verified" in p.message for p in later) == 5  # every fixture was last checked in 2026


def test_check_keeps_the_loading_problems(tiny_knowledge: Path) -> None:
    shutil.copy(BROKEN / "unknown-kind.yaml", tiny_knowledge / "programmes")
    problems = check_programmes(load_directory(tiny_knowledge), today=TODAY, verify_every_days=90)
    assert [p.line for p in problems if p.severity == "error"] == [5]
