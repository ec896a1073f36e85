"""Who gets what: the alert planner on the tiny knowledge folder and the real interface strings,
on a fixed day; broadcast files and their file:line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.alerts import AlertPlanner, Plan, guides, load_broadcast, plan_broadcast
from bot.config import AlertSettings
from bot.domain import AlertKind, Subscriber
from bot.knowledge import Problem, load_directory, load_folder
from bot.prompts import Prompts
from tests.support import REPO, add_deadline

TODAY = dt.date(2027, 6, 10)  # the Vietnamese solar loan closes on 2027-06-30; the tiny guides changed on 2026-11-23
ALL = dict.fromkeys(AlertKind, dt.date(2026, 11, 1))


@pytest.fixture(scope="module")
def prompts() -> Prompts:
    return Prompts(REPO / "prompts")


def _planner(knowledge: Path, prompts: Prompts, today: dt.date = TODAY, **settings: int) -> AlertPlanner:
    return AlertPlanner(guides(load_folder(knowledge).documents), load_directory(knowledge), prompts, AlertSettings(**settings), today)


def _owner(user_id: str, lang: str = "en", country: str | None = "VN", sector: str | None = "food", kinds: dict[AlertKind, dt.date] = ALL) -> Subscriber:
    return Subscriber(user_id, lang, country, sector, dict(kinds))


def _keys(plan: Plan) -> dict[str, list[str]]:
    return {m.user_id: [a.key for a in m.alerts] for m in plan.messages}


def test_deadlines_within_30_days_for_the_owners_country_and_business(tiny_knowledge: Path, prompts: Prompts) -> None:
    add_deadline(tiny_knowledge, "led-lighting", "2027-07-01", sectors="[food]")
    add_deadline(tiny_knowledge, "flood-plan", "2027-06-20")  # Thailand's
    planner = _planner(tiny_knowledge, prompts)
    owners = [_owner("vn-food"), _owner("vn-retail", sector="retail"), _owner("th", country="TH"), _owner("nowhere", country=None, sector=None)]
    plan = planner.plan(owners, held=set())
    assert _keys(plan) == {
        "vn-food": ["closes:vn-test-solar-loan:2027-06-30", "rule:led-lighting:2027-07-01", "tip:2027-06"],  # by date
        "vn-retail": ["closes:vn-test-solar-loan:2027-06-30", "tip:2027-06"],  # the LED rule is for food businesses
        "th": ["rule:flood-plan:2027-06-20", "rule:led-lighting:2027-07-01", "tip:2027-06"],
        "nowhere": ["rule:led-lighting:2027-07-01", "tip:2027-06"],  # no country: ASEAN-wide only; no business: any
    }
    later = _planner(tiny_knowledge, prompts, today=dt.date(2027, 7, 2)).plan(owners, held=set())
    assert all(key == "tip:2027-07" for keys in _keys(later).values() for key in keys)  # passed and closed: gone


def test_guides_changed_since_the_owner_opted_in_and_only_the_kinds_they_chose(tiny_knowledge: Path, prompts: Prompts) -> None:
    planner = _planner(tiny_knowledge, prompts, today=dt.date(2026, 12, 10))
    before, after = dt.date(2026, 11, 1), dt.date(2026, 12, 1)
    owners = [
        _owner("early", kinds={AlertKind.GUIDES: before}),
        _owner("late", kinds={AlertKind.GUIDES: after}),
        _owner("news", kinds={AlertKind.NEWS: before}),
    ]
    assert _keys(planner.plan(owners, held=set())) == {
        "early": ["guide:fridge-temperature:2026-11-23", "guide:led-lighting:2026-11-23", "guide:solar-vietnam:2026-11-23"]
    }


def test_held_alerts_are_left_out_and_counted(tiny_knowledge: Path, prompts: Prompts) -> None:
    planner = _planner(tiny_knowledge, prompts)
    owners = [_owner("a"), _owner("b")]
    assert "tip:2027-06" in planner.keys and "closes:vn-test-solar-loan:2027-06-30" in planner.keys
    plan = planner.plan(owners, held={("a", "tip:2027-06"), ("a", "closes:vn-test-solar-loan:2027-06-30"), ("b", "tip:2027-06")})
    assert _keys(plan) == {"b": ["closes:vn-test-solar-loan:2027-06-30"]} and plan.held == 3 and plan.owners == 2


def test_one_message_in_the_owners_language_with_a_heading_per_kind(tiny_knowledge: Path, prompts: Prompts) -> None:
    add_deadline(tiny_knowledge, "led-lighting", "2027-07-01", langs=("en", "vi"))
    plan = _planner(tiny_knowledge, prompts).plan([_owner("vi", lang="vi"), _owner("km", lang="km")], held=set())
    vi, km = plan.messages
    assert vi.text.startswith("Hạn chót\n• Khoản vay điện mặt trời thử nghiệm đóng vào 2027-06-30. Xem /programmes.\n• 2027-07-01: Rule vi takes effect\n")
    assert "\n\nMẹo của tháng\n" in vi.text and vi.text.endswith("Bạn nhận tin này vì bạn đã bật nó. Gửi /alerts để thay đổi.")
    assert "• 2027-07-01: Rule en takes effect" in km.text  # no Khmer text: English stands in
    assert plan.counts()[("deadlines", "vi")] == 2 and plan.counts()[("messages", "km")] == 1 and set(plan.samples()) == {"vi", "km"}


def test_the_monthly_tip_changes_with_the_month(tiny_knowledge: Path, prompts: Prompts) -> None:
    owner = [_owner("a", kinds={AlertKind.TIP: dt.date(2026, 1, 1)})]
    tips = {_planner(tiny_knowledge, prompts, today=dt.date(2027, month, 1)).plan(owner, held=set()).messages[0].sections[0][1] for month in (1, 2, 3)}
    assert len(tips) == 3


def test_a_long_list_is_cut_to_max_items_and_counted(tiny_knowledge: Path, prompts: Prompts) -> None:
    plan = _planner(tiny_knowledge, prompts, today=dt.date(2026, 12, 10), max_items=1).plan([_owner("a", kinds={AlertKind.GUIDES: dt.date(2026, 1, 1)})], set())
    assert plan.messages[0].sections[0] == ("New and updated guides", "• Set fridges to the right temperature\n…and 2 more.")


def _broadcast(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "news.yaml"
    path.write_text(body, encoding="utf-8")
    return path


NINE = "".join(f"  {lang}: News in {lang}\n" for lang in ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my"))


def test_a_broadcast_goes_to_owners_who_chose_announcements_and_fit_the_filters(tmp_path: Path, prompts: Prompts) -> None:
    loaded = load_broadcast(_broadcast(tmp_path, f"id: eudr-moved\ntext:\n{NINE}"))
    assert not isinstance(loaded, list)
    owners = [_owner("vn", lang="vi"), _owner("th", lang="th", country="TH"), _owner("quiet", kinds={AlertKind.TIP: TODAY}), _owner("vn2", lang="vi")]
    plan = plan_broadcast(loaded, owners, held={("vn2", "news:eudr-moved")}, prompts=prompts, countries=["vn"])
    assert [(m.user_id, m.text) for m in plan.messages] == [("vn", "News in vi\n\nBạn nhận tin này vì bạn đã bật nó. Gửi /alerts để thay đổi.")]
    assert (plan.owners, plan.held) == (2, 1)
    assert [m.user_id for m in plan_broadcast(loaded, owners, set(), prompts, langs=["th"]).messages] == ["th"]


def test_a_broadcast_file_missing_a_language_says_which_and_where(tmp_path: Path) -> None:
    path = _broadcast(tmp_path, "id: eudr-moved\ntext:\n  en: News\n  vi: Tin\n")
    [problem] = load_broadcast(path)  # type: ignore[misc]
    assert str(problem) == f"{path}:2: text has no th, id, ms, tl, km, lo, my version: add it, or send only to the others with --lang"
    assert not isinstance(load_broadcast(path, ["en", "vi"]), list)
    bad = load_broadcast(_broadcast(tmp_path, "id: Bad Id\nsubject: x\ntext:\n  en: ''\n"))
    assert isinstance(bad, list) and [(p.line, p.message) for p in bad] == [
        (1, "id must be lowercase words joined by dashes, like refrigeration-savings"),
        (4, "text.en is empty"),
        (2, "subject is not a field broadcasts may have (check the spelling)"),
    ]
    assert load_broadcast(tmp_path / "none.yaml") == [Problem(tmp_path / "none.yaml", 1, "no such file")]


def test_a_broadcast_text_must_fit_one_message_as_sent(tmp_path: Path) -> None:
    [problem] = load_broadcast(_broadcast(tmp_path, f"id: long\ntext:\n  en: '{'R&D ' * 700}'\n"), ["en"])  # type: ignore[misc]
    assert (problem.line, problem.message) == (3, "text.en: is 5600 characters as sent; keep it under 3000 (one Telegram message)")
