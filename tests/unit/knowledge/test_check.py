"""The loader and `knowledge check` on a good folder and on every kind of broken file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge import check_folder, load_folder
from bot.knowledge.check import check_paths
from bot.knowledge.status import Cell, translation_status
from bot.knowledge.translations import fingerprint, stamp
from bot.language import other_language, unquotable_lines
from tests.support import add_deadline

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
        "led-lighting",
        "led-lighting-vi",
        "fridge-temperature",
        "fridge-temperature-th",
        "solar-vietnam",
        "flood-plan",
    }
    vi = next(d for d in folder.documents if d.meta.id == "led-lighting-vi")
    assert vi.group_id == "led-lighting" and vi.body_line == 20


def test_core_documents_list_their_missing_translations(tiny_knowledge: Path) -> None:
    report = check_folder(load_folder(tiny_knowledge), today=TODAY)
    assert report.missing_translations == {"led-lighting": ["th", "id", "ms", "tl", "km", "lo", "my"]}


# (file, text to replace, replacement, expected "file:line: message" prefix)
BROKEN = [
    pytest.param(LED, "---\nid: led-lighting\n", "id: led-lighting\n", f"{LED}:1: missing front matter", id="no-front-matter"),
    pytest.param(LED, "review_by: 2099-01-01\n---\n", "review_by: 2099-01-01\n", f"{LED}:1: front matter is not closed", id="unclosed"),
    pytest.param(LED, "topics: [energy-efficiency]", "topics: [energy-efficiency", f"{LED}:6: the front matter is not valid YAML", id="bad-yaml"),
    pytest.param(LED, "lang: en", "lang: xx", f"{LED}:4: lang: unknown language 'xx'", id="unknown-language"),
    pytest.param(LED, "topics: [energy-efficiency]", "topics: [energy-efficency]", f"{LED}:5: unknown topic 'energy-efficency'", id="unknown-topic"),
    pytest.param(LED, "countries: [asean]", "countries: [asean, XX]", f"{LED}:6: countries item 2: unknown country 'XX'", id="unknown-country"),
    pytest.param(LED, "    url: https://www.energy.gov/eere/ssl/solid-state-lighting\n", "", f"{LED}:8: source 1 has no url", id="source-without-url"),
    pytest.param(
        LED,
        "    url: https://www.energy.gov/eere/ssl/solid-state-lighting",
        "    url: see the website",
        f"{LED}:10: source 1's url must be a web address starting with https://",
        id="source-bad-url",
    ),
    pytest.param(LED, "title: Switch the shop to LED lighting\n", "", f"{LED}:1: title is missing", id="missing-title"),
    pytest.param(
        LED, "countries: [asean]", "countries: [asean]\nauthor: me", f"{LED}:7: author is not a field guides may have (check the spelling)", id="unknown-key"
    ),
    pytest.param(
        "vi/led-lighting.md",
        "translation_of: led-lighting",
        "translation_of: led-lamps",
        "vi/led-lighting.md:7: translation_of names 'led-lamps', but no document has that id",
        id="translation-of-missing",
    ),
    pytest.param(
        LED,
        "title: Switch the shop to LED lighting",
        "title: LED lighting: the cheapest saving",
        f'{LED}:3: title contains a colon: put the whole value in double quotes, e.g. title: "LED lighting: the cheapest saving"',
        id="title-with-colon",
    ),
    pytest.param(LED, "updated: 2026-11-23", "updated: 23/11/2026", f"{LED}:12: updated must be a date like 2026-12-05", id="date-not-iso"),
    pytest.param(
        LED,
        "id: led-lighting\n",
        "id: led-lamps\n",
        f"{LED}:2: id is 'led-lamps' but the file name says 'led-lighting': make them match",
        id="id-not-file-name",
    ),
    pytest.param("vi/led-lighting.md", "lang: vi", "lang: th", "vi/led-lighting.md:4: lang is 'th' but the file is in the 'vi' folder", id="wrong-folder"),
    pytest.param(
        LED,
        "3. See also [fridges](fridge-temperature.md).",
        "3. See also [fridges](fridges.md).",
        f"{LED}:25: broken link: fridges.md does not exist",
        id="broken-link",
    ),
    pytest.param(
        "en/flood-plan.md",
        "review_by: 2099-01-01",
        "review_by: 2026-01-31",
        "en/flood-plan.md:13: warning: review_by 2026-01-31 has passed",
        id="review-overdue",
    ),
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


def test_a_copied_guide_is_refused_and_the_original_is_not_blamed(tiny_knowledge: Path) -> None:
    """The copy sorts before the original: before, the original was blamed and the copy used."""
    original = (tiny_knowledge / "en" / "flood-plan.md").read_text(encoding="utf-8")
    (tiny_knowledge / "en" / "a-flood-copy.md").write_text(original.replace("Floods can", "A copy: floods can"), encoding="utf-8")
    assert _check(tiny_knowledge) == ["en/a-flood-copy.md:2: id is 'flood-plan' but the file name says 'a-flood-copy': make them match"]
    flood = next(d for d in load_folder(tiny_knowledge).documents if d.meta.id == "flood-plan")
    assert flood.rel_path == "en/flood-plan.md"


def test_two_translations_of_one_guide_in_one_language_are_both_reported_and_neither_used(tiny_knowledge: Path) -> None:
    first = (tiny_knowledge / "vi" / "led-lighting.md").read_text(encoding="utf-8")
    (tiny_knowledge / "vi" / "led-lamps.md").write_text(first.replace("id: led-lighting-vi", "id: led-lamps-vi"), encoding="utf-8")
    problems = _check(tiny_knowledge)
    assert "vi/led-lamps.md:2: a second vi translation of 'led-lighting' (also vi/led-lighting.md): keep one file; neither is used until then" in problems
    assert "vi/led-lighting.md:2: a second vi translation of 'led-lighting' (also vi/led-lamps.md): keep one file; neither is used until then" in problems
    assert not [d for d in load_folder(tiny_knowledge).documents if d.meta.lang == "vi"]


def test_a_link_to_a_file_outside_the_folder_is_refused_and_reported(tiny_knowledge: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text((tiny_knowledge / "en" / "flood-plan.md").read_text(encoding="utf-8").replace("id: flood-plan", "id: elsewhere"), encoding="utf-8")
    link = tiny_knowledge / "en" / "elsewhere.md"
    link.symlink_to(outside)
    expected = f"en/elsewhere.md:1: links to {outside}, outside the knowledge folder: copy the file into the folder instead"
    assert _check(tiny_knowledge) == [expected]
    assert "elsewhere" not in {d.meta.id for d in load_folder(tiny_knowledge).documents}
    report = check_paths(check_folder(load_folder(tiny_knowledge), today=TODAY), [link], tiny_knowledge)  # checking that one file shows it too
    assert [str(p).replace(f"{tiny_knowledge}/", "") for p in report.problems] == [expected]


def test_missing_topics_file_is_a_clear_error(tiny_knowledge: Path) -> None:
    (tiny_knowledge / "topics.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"topics\.yaml: missing"):
        load_folder(tiny_knowledge)


def test_real_knowledge_folder_passes(settings_factory) -> None:  # type: ignore[no-untyped-def]
    settings = settings_factory()
    report = check_folder(load_folder(settings.paths.knowledge_dir), today=dt.date.today())
    assert report.errors == []


def test_a_broken_glossary_is_reported_with_its_line(tiny_knowledge: Path) -> None:
    glossary = tiny_knowledge / "glossary.yaml"
    every = "\n".join(f"    {lang}: [solar panel]" for lang in ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my"))
    glossary.write_text(f"terms:\n  solar-panel:\n{every}\n  green-loan:\n    en: [green loan, green loan]\n", encoding="utf-8")
    problems = _check(tiny_knowledge)
    assert "glossary.yaml:13: terms.green-loan.en: repeated form 'green loan'" in problems
    assert "glossary.yaml:12: terms.green-loan.vi is missing" in problems


def test_a_translation_whose_original_changed_is_reported_with_the_changed_sections(tiny_knowledge: Path) -> None:
    _edit(tiny_knowledge, LED, "An LED lamp uses up to 90% less energy", "An LED lamp uses up to 80% less energy")
    [problem] = _check(tiny_knowledge)
    assert problem.startswith("vi/led-lighting.md:16: warning: en/led-lighting.md changed since this translation (changed: 'Why LED lamps save money')")
    assert problem.endswith("update it, then run `greenbot knowledge stamp vi/led-lighting.md`")
    strict = check_folder(load_folder(tiny_knowledge), today=TODAY, strict=True)
    assert [p.severity for p in strict.problems] == ["error"]
    status = translation_status(load_folder(tiny_knowledge).documents)
    led = next(row for row in status.rows if row.id == "led-lighting")
    assert (led.cells["vi"], led.cells["th"], led.notes["vi"]) == (Cell.STALE, Cell.MISSING, "changed: 'Why LED lamps save money'")
    assert status.totals["th"] == {"missing": 3, "unreviewed": 1}


def test_stamping_records_the_original_and_a_native_review_makes_a_cell_done(tiny_knowledge: Path) -> None:
    vi = tiny_knowledge / "vi" / "led-lighting.md"
    vi.write_text(re.sub(r"translated_from:\n(?:  .*\n)+", "", vi.read_text(encoding="utf-8")).replace("review: machine", "review: native"), encoding="utf-8")
    assert _check(tiny_knowledge)[0].startswith("vi/led-lighting.md:7: warning: no record of the English version it was made from")
    folder = load_folder(tiny_knowledge)
    original = next(d for d in folder.documents if d.meta.id == "led-lighting")
    stamp(vi, fingerprint(original))
    assert _check(tiny_knowledge) == []
    led = next(row for row in translation_status(load_folder(tiny_knowledge).documents).rows if row.id == "led-lighting")
    assert led.cells["vi"] == Cell.DONE


def test_a_guide_written_in_another_language_than_its_lang_is_reported(tiny_knowledge: Path) -> None:
    english = (tiny_knowledge / "en" / "led-lighting.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
    vi = tiny_knowledge / "vi" / "led-lighting.md"
    vi.write_text(vi.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n" + english, encoding="utf-8")
    report = check_folder(load_folder(tiny_knowledge), today=TODAY, wrong_language=other_language)
    assert any(str(p).endswith("lang is 'vi' but the text reads as 'en' (2 of 2 paragraphs)") and "vi/led-lighting.md:4:" in str(p) for p in report.problems), (
        report.problems
    )


def test_a_sentence_too_long_to_quote_is_reported_at_its_line(tiny_knowledge: Path) -> None:
    """An offline answer never quotes it whole: the content team hears where, as a warning."""
    assert check_folder(load_folder(tiny_knowledge), today=TODAY, too_long=unquotable_lines).problems == []
    path = tiny_knowledge / LED
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if i > 5 and line and not line.startswith(("#", "-", "|")) and ":" not in line)
    lines[at] += " And it goes on" + ", and on" * 60 + "."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check_folder(load_folder(tiny_knowledge), today=TODAY, strict=True, too_long=unquotable_lines)
    problems = [str(p) for p in report.problems if "too long" in p.message]  # the Vietnamese translation is now stale too
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{at + 1}: warning: a sentence of "), problems
    assert problems[0].endswith("too long for an offline answer to quote: split it")


def test_a_translation_section_without_the_glossary_term_is_a_warning_even_when_strict(tiny_knowledge: Path) -> None:
    terms = {
        lang: f"[{form}]"
        for lang, form in {
            "en": "LED lamp",
            "vi": "đèn LED",
            "th": "หลอด LED",
            "id": "lampu LED",
            "ms": "lampu LED",
            "tl": "LED na ilaw",
            "km": "អំពូល LED",
            "lo": "ຫຼອດ LED",
            "my": "LED မီးသီး",
        }.items()
    }
    (tiny_knowledge / "glossary.yaml").write_text("terms:\n  led-lamp:\n" + "".join(f"    {k}: {v}\n" for k, v in terms.items()), encoding="utf-8")
    vi = tiny_knowledge / "vi" / "led-lighting.md"
    vi.write_text(vi.read_text(encoding="utf-8").replace("đèn LED", "bóng LED"), encoding="utf-8")
    problems = check_folder(load_folder(tiny_knowledge), today=TODAY, strict=True).problems
    glossary = [p for p in problems if "glossary:" in p.message]
    assert glossary and all(p.severity == "warning" and p.path.name == "led-lighting.md" for p in glossary)
    assert "'LED lamp' in the English of this section, but none of the glossary's vi forms" in glossary[0].message


def test_deadlines_are_checked_with_their_lines(tiny_knowledge: Path) -> None:
    add_deadline(tiny_knowledge, "led-lighting", "2027-01-15", langs=("en", "vi", "th"))
    assert _check(tiny_knowledge) == [f"{LED}:12: warning: deadlines item 1 (what) has no id, ms, tl, km, lo, my text: owners who read it see English"]
    assert [d.meta.deadlines[0].date for d in load_folder(tiny_knowledge).documents if d.meta.deadlines] == [dt.date(2027, 1, 15)]
    _edit(tiny_knowledge, LED, "  - date: 2027-01-15", "  - date: 2027-02-30")
    orphan = "vi/led-lighting.md:7: translation_of names 'led-lighting', but no document has that id"  # a bad file is left out whole
    assert _check(tiny_knowledge) == [f"{LED}:13: 2027-02-30 is not a real date: write it as YYYY-MM-DD, e.g. 2026-02-28", orphan]
    _edit(tiny_knowledge, LED, "  - date: 2027-02-30", "  - date: soon")
    _edit(tiny_knowledge, LED, "      vi:", "      xx:")
    assert _check(tiny_knowledge) == [
        f"{LED}:13: deadlines item 1 (date) must be a date like 2026-12-05",
        f"{LED}:17: deadlines item 1 (what): unknown language 'xx' (expected one of en, vi, th, id, ms, tl, km, lo, my)",
        orphan,
    ]


def test_deadlines_belong_in_the_english_original(tiny_knowledge: Path) -> None:
    add_deadline(tiny_knowledge, "led-lighting", "2027-01-15")
    translation = tiny_knowledge / "vi" / "led-lighting.md"
    translation.write_text(
        translation.read_text(encoding="utf-8").replace("\nupdated: ", "\ndeadlines:\n  - date: 2027-01-15\n    what: {en: Rule}\nupdated: ", 1),
        encoding="utf-8",
    )
    assert _check(tiny_knowledge) == ["vi/led-lighting.md:13: deadlines belong in the English original (led-lighting), with a text per language under `what`"]
