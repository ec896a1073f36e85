"""The loader and `knowledge check` on a good folder and on every kind of broken file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge import check_folder, load_folder
from bot.knowledge.check import check_paths

TODAY = dt.date(2026, 11, 23)
LED = "en/led-lighting.md"


def _check(root: Path, strict: bool = False) -> list[str]:
    report = check_folder(load_folder(root), today=TODAY, strict=strict)
    return [str(p).replace(f"{root}/", "") for p in report.problems]


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_good_folder_has_no_problems(tiny_knowledge: Path) -> None:
    folder = load_folder(tiny_knowledge)
    assert _check(tiny_knowledge) == []
    assert {d.meta.id for d in folder.documents} == {
        "led-lighting", "led-lighting-vi", "fridge-temperature", "fridge-temperature-th", "solar-vietnam", "flood-plan",
    }
    vi = next(d for d in folder.documents if d.meta.id == "led-lighting-vi")
    assert vi.group_id == "led-lighting" and vi.body_line == 16


def test_core_documents_list_their_missing_translations(tiny_knowledge: Path) -> None:
    report = check_folder(load_folder(tiny_knowledge), today=TODAY)
    assert report.missing_translations == {"led-lighting": ["th", "id", "ms", "tl", "km", "lo", "my"]}


# (file, text to replace, replacement, expected "file:line: message" prefix)
BROKEN = [
    pytest.param(LED, "---\nid: led-lighting\n", "id: led-lighting\n", f"{LED}:1: missing front matter", id="no-front-matter"),
    pytest.param(LED, "review_by: 2099-01-01\n---\n", "review_by: 2099-01-01\n", f"{LED}:1: front matter is not closed", id="unclosed"),
    pytest.param(LED, "topics: [energy-efficiency]", "topics: [energy-efficiency", f"{LED}:6: malformed front matter", id="bad-yaml"),
    pytest.param(LED, "lang: en", "lang: xx", f"{LED}:4: lang: unknown language 'xx'", id="unknown-language"),
    pytest.param(LED, "topics: [energy-efficiency]", "topics: [energy-efficency]", f"{LED}:5: unknown topic 'energy-efficency'", id="unknown-topic"),
    pytest.param(LED, "countries: [asean]", "countries: [asean, XX]", f"{LED}:6: countries.1: unknown country 'XX'", id="unknown-country"),
    pytest.param(LED, "    url: https://www.energy.gov/eere/ssl/solid-state-lighting\n", "", f"{LED}:9: sources.0.url: Field required", id="source-without-url"),
    pytest.param(LED, "    url: https://www.energy.gov/eere/ssl/solid-state-lighting", "    url: see the website", f"{LED}:11: sources.0.url: Input should be a valid URL", id="source-bad-url"),
    pytest.param(LED, "title: Switch the shop to LED lighting\n", "", f"{LED}:1: title: Field required", id="missing-title"),
    pytest.param(LED, "core: true", "core: true\nauthor: me", f"{LED}:8: author: Extra inputs are not permitted", id="unknown-key"),
    pytest.param("vi/led-lighting.md", "translation_of: led-lighting", "translation_of: led-lamps", "vi/led-lighting.md:7: translation_of names 'led-lamps', but no document has that id", id="translation-of-missing"),
    pytest.param("vi/led-lighting.md", "lang: vi", "lang: th", "vi/led-lighting.md:4: lang is 'th' but the file is in the 'vi' folder", id="wrong-folder"),
    pytest.param(LED, "3. See also [fridges](fridge-temperature.md).", "3. See also [fridges](fridges.md).", f"{LED}:26: broken link: fridges.md does not exist", id="broken-link"),
    pytest.param("en/flood-plan.md", "review_by: 2099-01-01", "review_by: 2026-01-31", "en/flood-plan.md:13: warning: review_by 2026-01-31 has passed", id="review-overdue"),
]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), BROKEN)
def test_each_broken_file_is_reported_with_its_line(tiny_knowledge: Path, rel: str, old: str, new: str, expected: str) -> None:
    _edit(tiny_knowledge, rel, old, new)
    problems = _check(tiny_knowledge)
    assert any(p.startswith(expected) for p in problems), problems


def test_empty_body(tiny_knowledge: Path) -> None:
    path = tiny_knowledge / "en" / "flood-plan.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("---", 3) + 4] + "\n  \n", encoding="utf-8")
    assert _check(tiny_knowledge) == ["en/flood-plan.md:15: empty body: the document has no text after its front matter"]


def test_file_that_is_not_utf8(tiny_knowledge: Path) -> None:
    path = tiny_knowledge / "en" / "flood-plan.md"
    path.write_bytes(path.read_bytes().replace(b"Floods can", b"Floods \xe9 can"))
    assert _check(tiny_knowledge) == ["en/flood-plan.md:15: not UTF-8: byte 0xe9 at offset 278"]


def test_overdue_review_is_an_error_when_strict(tiny_knowledge: Path) -> None:
    _edit(tiny_knowledge, "en/flood-plan.md", "review_by: 2099-01-01", "review_by: 2026-01-31")
    report = check_folder(load_folder(tiny_knowledge), today=TODAY, strict=True)
    assert [p.severity for p in report.problems] == ["error"]


def test_a_bad_file_does_not_stop_the_others(tiny_knowledge: Path) -> None:
    _edit(tiny_knowledge, "en/flood-plan.md", "lang: en", "lang: xx")
    folder = load_folder(tiny_knowledge)
    assert len(folder.documents) == 5 and len(folder.problems) == 1


def test_an_impossible_date_is_reported_with_its_line_and_the_others_load(tiny_knowledge: Path) -> None:
    """YAML reads 2026-02-30 as a date and Python refuses it: that was a traceback and no report."""
    _edit(tiny_knowledge, "en/flood-plan.md", "review_by: 2099-01-01", "review_by: 2026-02-30")
    assert _check(tiny_knowledge) == ["en/flood-plan.md:13: 2026-02-30 is not a real date: write it as YYYY-MM-DD, e.g. 2026-02-28"]
    assert len(load_folder(tiny_knowledge).documents) == 5


def test_a_duplicate_id_is_blamed_on_both_files_and_neither_is_used(tiny_knowledge: Path) -> None:
    """The new file sorts before the original: before, the original was blamed and the newcomer used."""
    original = (tiny_knowledge / "en" / "flood-plan.md").read_text(encoding="utf-8")
    (tiny_knowledge / "en" / "a-flood-copy.md").write_text(original.replace("Floods can", "A copy: floods can"), encoding="utf-8")
    assert _check(tiny_knowledge) == [
        "en/a-flood-copy.md:2: duplicate id 'flood-plan' (also in en/flood-plan.md): give each file its own id; neither is used until then",
        "en/flood-plan.md:2: duplicate id 'flood-plan' (also in en/a-flood-copy.md): give each file its own id; neither is used until then",
    ]
    assert "flood-plan" not in {d.meta.id for d in load_folder(tiny_knowledge).documents}


def test_a_link_to_a_file_outside_the_folder_is_refused_and_reported(tiny_knowledge: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text((tiny_knowledge / "en" / "flood-plan.md").read_text(encoding="utf-8").replace("id: flood-plan", "id: elsewhere"), encoding="utf-8")
    link = tiny_knowledge / "en" / "elsewhere.md"
    link.symlink_to(outside)
    expected = f"en/elsewhere.md:1: links to {outside}, outside the knowledge folder: copy the file into the folder instead"
    assert _check(tiny_knowledge) == [expected]
    assert "elsewhere" not in {d.meta.id for d in load_folder(tiny_knowledge).documents}
    report = check_paths(check_folder(load_folder(tiny_knowledge), today=TODAY), [link])  # checking that one file shows it too
    assert [str(p).replace(f"{tiny_knowledge}/", "") for p in report.problems] == [expected]


def test_missing_topics_file_is_a_clear_error(tiny_knowledge: Path) -> None:
    (tiny_knowledge / "topics.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"topics\.yaml: missing"):
        load_folder(tiny_knowledge)


def test_real_knowledge_folder_passes(settings_factory) -> None:  # type: ignore[no-untyped-def]
    settings = settings_factory()
    report = check_folder(load_folder(settings.paths.knowledge_dir), today=dt.date.today())
    assert report.errors == []
