"""The referral directory: loading with file:line problems, the places for an owner's country,
and the warnings of `knowledge check`. The day is always given, never read from the clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import Referrals, check_referrals, load_referrals
from tests.support import REPO

TODAY = dt.date(2026, 12, 10)


@pytest.fixture
def folder(tiny_knowledge: Path) -> Path:
    return tiny_knowledge / "referrals"


def _edit(path: Path, old: str, new: str) -> None:
    """Replace `old`, which the fixture must hold, once."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> list[str]:
    return [str(p).split("/referrals/")[1] for p in load_referrals(root).problems]


def test_the_real_referral_directory_loads_whole() -> None:
    referrals = load_referrals(REPO / "knowledge")
    assert [str(p) for p in referrals.problems] == []
    assert len(referrals.files) == len(referrals.paths) == 12
    places = [place for entry in referrals.files for place in entry.referrals.places]
    assert len({place.id for place in places}) == len(places) >= 47
    assert [p.id for p in referrals.places_for("SG")][-3:] == [p.id for p in referrals.places_for(None)]  # the ASEAN-wide ones last


def test_places_for_a_country_then_the_asean_wide_ones(tiny_knowledge: Path) -> None:
    referrals = load_referrals(tiny_knowledge)
    assert [p.id for p in referrals.places_for("vn")] == ["vn-test-sme-desk", "vn-test-energy-centre", "asean-test-portal"]
    assert [p.id for p in referrals.places_for("TH")] == ["asean-test-portal"]
    assert [p.id for p in referrals.places_for(None)] == ["asean-test-portal"]
    assert Referrals().places_for("VN") == ()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('email: "centre@example.org"', 'email: "centre at example.org"', "vn.yaml:41: places item 2 (email) must be an email address like name@example.org"),
        ('    phone: null\n    address: "1', '    address: "1', "vn.yaml:27: places item 2 (phone) is missing"),
        ('website: "https://example.org/sme-desk"', "website: example.org/sme-desk", "vn.yaml:17: places item 1 (website) must be a web address"),
        ("topics: [energy-efficiency]\n    website: null", "topics: [energy]\n    website: null", "vn.yaml:39: unknown topic 'energy'"),
        ("country: VN", "country: TH", "vn.yaml:2: country is 'TH' but the file name says 'vn': name it th.yaml"),
        ("    name: Test SME Support Desk", "    name: Test SME Support Desk\n    hours: 9-5", "vn.yaml:6: places item 1 (hours) is not a field"),
        ("vn-test-energy-centre", "asean-test-portal", "vn.yaml:27: place id 'asean-test-portal' is also in asean.yaml: ids must be unique"),
    ],
)
def test_a_bad_file_is_reported_with_its_line_and_left_out(tiny_knowledge: Path, folder: Path, old: str, new: str, expected: str) -> None:
    _edit(folder / "vn.yaml", old, new)
    problems = _problems(tiny_knowledge)
    assert len(problems) == 1 and problems[0].startswith(expected), problems
    assert [p.id for p in load_referrals(tiny_knowledge).places_for("VN")] == ["asean-test-portal"]  # the whole file is left out


def test_a_file_named_yml_is_named_as_such(tiny_knowledge: Path, folder: Path) -> None:
    (folder / "vn.yaml").rename(folder / "vn.yml")
    assert _problems(tiny_knowledge) == ["vn.yml:1: name the file vn.yaml: only .yaml files are read"]


def test_check_warns_of_old_verification_and_missing_languages(tiny_knowledge: Path, folder: Path) -> None:
    path = folder / "asean.yaml"
    path.write_text("\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("      km:")) + "\n", encoding="utf-8")
    referrals = load_referrals(tiny_knowledge)
    assert [str(p).split("/referrals/")[1] for p in check_referrals(referrals, today=TODAY, verify_every_days=90)] == [
        "asean.yaml:6: warning: asean-test-portal's helps_with has no km text: owners who read it see English"
    ]
    later = check_referrals(referrals, today=dt.date(2027, 3, 1), verify_every_days=90, strict=True)
    assert [f"{p.path.name}:{p.line}: {p.message}" for p in later][:2] == [
        "asean.yaml:6: asean-test-portal's helps_with has no km text: owners who read it see English",
        "asean.yaml:25: last_verified 2026-11-20 is 101 days ago (more than 90): "
        "check asean-test-portal's contacts and sources, then set it to the day you checked",
    ]
    assert {p.severity for p in later} == {"error"} and len(later) == 4


def test_check_warns_of_a_place_with_no_contact_at_all(tiny_knowledge: Path, folder: Path) -> None:
    _edit(
        folder / "vn.yaml",
        'email: "centre@example.org"\n    phone: null\n    address: "1 Test Street, Ha Noi"',
        "email: null\n    phone: null\n    address: null",
    )
    problems = [
        f"{p.path.name}:{p.line}: {p.severity}: {p.message}" for p in check_referrals(load_referrals(tiny_knowledge), today=TODAY, verify_every_days=90)
    ]
    assert problems == [
        "vn.yaml:40: warning: vn-test-energy-centre has no website, email, phone or address: owners see only its name; find one in a public source"
    ]


def test_places_an_owner_can_reach_come_first(tiny_knowledge: Path, folder: Path) -> None:
    # the first place loses its website and phone, its only contacts: it goes after the second
    _edit(
        folder / "vn.yaml",
        'website: "https://example.org/sme-desk"\n    email: null\n    phone: "+84 00 0000 0000"',
        "website: null\n    email: null\n    phone: null",
    )
    places = load_referrals(tiny_knowledge).places_for("VN")
    assert [(p.id, p.reachable) for p in places] == [("vn-test-energy-centre", True), ("vn-test-sme-desk", False), ("asean-test-portal", True)]
