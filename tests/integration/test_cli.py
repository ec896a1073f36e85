"""The content team's commands: knowledge check, index and search."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.support import DATA, REPO

pytestmark = pytest.mark.integration


@pytest.fixture
def run(tmp_path: Path, tiny_knowledge: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Invoke `greenbot` in a folder with no .env, on the tiny knowledge folder."""
    monkeypatch.chdir(tmp_path)
    env = {"GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge), "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env=env)


def test_knowledge_check_passes_and_lists_translation_gaps(run) -> None:  # type: ignore[no-untyped-def]
    result = run("knowledge", "check", "--today", "2026-12-10")
    assert result.exit_code == 0, result.output
    assert "translations missing for core guide led-lighting: th, id, ms, tl, km, lo, my" in result.stdout
    assert "6 guides, 5 programmes and 2 referral files checked: 0 errors, 4 warnings" in result.stderr  # the fixtures' closed grant and missing Khmer


def test_knowledge_check_reports_programme_problems_with_file_and_line(run, tiny_knowledge: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(DATA / "broken_programmes" / "unknown-kind.yaml", tiny_knowledge / "programmes")
    result = run("knowledge", "check", str(tiny_knowledge / "programmes"), "--today", "2026-12-10")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "knowledge/programmes/unknown-kind.yaml:5: kinds item 2 must be one of 'loan', 'grant', 'guarantee', 'tax', 'label', 'audit' or 'training'" in lines
    assert "knowledge/programmes/vn-test-closed-grant.yaml:10: warning: closes 2026-06-30 has passed" in "\n".join(lines)
    assert "0 guides, 6 programmes and 0 referral files checked: 1 errors, 4 warnings" in result.stderr
    later = run("knowledge", "check", str(tiny_knowledge / "programmes" / "vn-test-green-loan.yaml"), "--today", "2027-03-01", "--strict")
    assert later.exit_code == 1
    assert later.stdout.splitlines() == [
        "knowledge/programmes/vn-test-green-loan.yaml:11: last_verified 2026-11-20 is 101 days ago (more than 90): check the programme's sources, then set it to the day you checked"
    ]


def test_knowledge_check_reports_referral_problems_with_file_and_line(run, tiny_knowledge: Path) -> None:  # type: ignore[no-untyped-def]
    places = tiny_knowledge / "referrals" / "vn.yaml"
    places.write_text(places.read_text(encoding="utf-8").replace('email: "centre@example.org"', 'email: "centre at example.org"'), encoding="utf-8")
    result = run("knowledge", "check", str(tiny_knowledge / "referrals"), "--today", "2026-12-10")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["knowledge/referrals/vn.yaml:41: places item 2 (email) must be an email address like name@example.org"]
    assert "0 guides, 0 programmes and 2 referral files checked: 1 errors, 0 warnings" in result.stderr


def test_knowledge_check_reports_file_and_line(run, tiny_knowledge: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tiny_knowledge / "en" / "flood-plan.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("countries: [TH]", "countries: [Thailand]"), encoding="utf-8")
    result = run("knowledge", "check", str(bad))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "knowledge/en/flood-plan.md:6: countries item 1: unknown country 'Thailand' (expected asean or one of BN, KH, ID, LA, MY, MM, PH, SG, TH, TL, VN)"
    ]  # as the user names it, and only that file's problems: no translation gaps of other guides


def test_index_json_then_search(run) -> None:  # type: ignore[no-untyped-def]
    first = json.loads(run("index", "--json").stdout)
    assert first["documents"] == 6 and first["embedded"] == first["records"] and first["errors"] == []
    second = run("index")
    assert "Nothing to embed: all" in second.stdout
    found = json.loads(run("search", "cửa hàng đèn LED", "--lang", "vi", "-k", "2", "--json").stdout)
    assert found[0]["id"] == "led-lighting-vi" and found[0]["sources"][0]["url"].startswith("https://")
    text = run("search", "rooftop solar licence", "--country", "VN").stdout
    assert text.startswith("1. [") and "solar-vietnam (en)" in text and "source: Government of Viet Nam" in text


def test_errors_are_one_line(tmp_path: Path, tiny_knowledge: Path) -> None:
    env = {**os.environ, "GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge), "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-m", "bot", "search", "LED"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stderr) == (1, "Error: no index yet: run `greenbot index`\n")


def test_index_with_a_broken_file_ends_with_an_error_status_and_says_so(run, tiny_knowledge: Path) -> None:  # type: ignore[no-untyped-def]
    guide = tiny_knowledge / "en" / "flood-plan.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("review_by: 2099-01-01", "review_by: 2026-02-30"), encoding="utf-8")
    result = run("index")
    assert result.exit_code == 1
    assert "skipped: " in result.stderr and "2026-02-30 is not a real date" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("1 file problem: those files were skipped")


def test_commands_find_the_project_from_inside_knowledge_and_make_no_stray_folders(
    tmp_path: Path, tiny_knowledge: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project = tmp_path / "project"
    shutil.copytree(tiny_knowledge, project / "knowledge")
    shutil.copytree(REPO / "prompts", project / "prompts")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GREENBOT_")}
    inside = subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "check"], cwd=project / "knowledge" / "en", env=env, capture_output=True, text=True, check=False
    )
    assert inside.returncode == 0, inside.stderr
    assert "6 guides, 5 programmes and 2 referral files checked" in inside.stderr and not (project / "knowledge" / "en" / "data").exists()
    elsewhere = tmp_path_factory.mktemp("elsewhere")  # no knowledge/ here or above
    outside = subprocess.run([sys.executable, "-m", "bot", "knowledge", "check"], cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    assert outside.returncode == 1 and not (elsewhere / "data").exists()
    assert outside.stderr.strip().startswith(f"Error: no knowledge/ folder in {elsewhere} or above it: run greenbot from the project folder")
