"""The evaluation harness end to end: the core suite against the committed baseline, the
`greenbot eval` commands and their exit codes, and the model judge against the local server."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot.cli import app
from bot.config import Settings
from bot.evaluation.gates import check, load_gates
from bot.evaluation.harness import Selection, evaluate, select_cases
from bot.evaluation.records import EXIT_PASSED, EXIT_REGRESSION, ResultRow
from bot.evaluation.runs import read_rows, write_run
from bot.retrieval import HybridRetriever, IndexReport
from tests.servers.openai_compatible import FakeOpenAI
from tests.support import REPO, make_settings

pytestmark = pytest.mark.integration

TINY_SUITE = """\
- id: led-en
  group: led
  lang: en
  question: How much electricity do LED lamps save in a shop?
  expected_sources: [led-lighting]
- id: led-vi
  group: led
  lang: vi
  question: Đèn LED tiết kiệm bao nhiêu điện cho cửa hàng?
  expected_sources: [led-lighting]
- id: fridge-en
  group: fridge
  lang: en
  question: What temperature should my display fridge be set to?
  expected_sources: [fridge-temperature]
- id: flood-en
  group: flood
  lang: en
  question: How do I prepare my shop for floods?
  expected_sources: [flood-plan]
  severity: critical
- id: cake-en
  group: cake
  lang: en
  question: Give me a recipe for chocolate cake
  expect: refusal
"""
LOOSE_GATES = "metrics:\n  hit@5: {floor: 0.5, max_drop: 0.01}\n  language_match: {floor: 0.5, max_drop: 0.01}\ncritical_must_pass: true\n"


async def test_the_core_suite_passes_the_committed_gate(knowledge_index: tuple[Settings, IndexReport], retriever: HybridRetriever, tmp_path: Path) -> None:
    """What CI checks: every core case offline, against eval/baseline.json and eval/gates.yaml."""
    settings, _ = knowledge_index
    cases, topics, warnings = select_cases(settings, Selection())
    summary, rows = await evaluate(settings, retriever, cases, topics)
    verdict = check(rows, summary.settings_hash, read_rows(REPO / "eval" / "baseline.json"), load_gates(REPO / "eval" / "gates.yaml"))
    assert verdict.exit_code == EXIT_PASSED, "\n".join([*verdict.errors, verdict.rebaseline or "", *verdict.breaches])
    assert warnings == [] and summary.counts.errors == 0 and summary.counts.critical_failed == 0
    assert {"en", "vi", "th", "id", "ms", "tl", "km", "lo", "my"} <= summary.by_language.keys()
    written = write_run(tmp_path / "run", summary, rows)
    assert sorted(p.name for p in written) == ["junit.xml", "report.html", "results.jsonl", "summary.json", "summary.md"]


@pytest.fixture
def greenbot(tmp_path: Path, tiny_knowledge: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`greenbot` on the tiny knowledge folder, with a tiny suite and loose gates in a private eval folder."""
    eval_dir = tmp_path / "eval"
    (eval_dir / "suites").mkdir(parents=True)
    (eval_dir / "suites" / "tiny.yaml").write_text(TINY_SUITE, encoding="utf-8")
    (eval_dir / "gates.yaml").write_text(LOOSE_GATES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = {
        "GREENBOT_PATHS__KNOWLEDGE_DIR": str(tiny_knowledge),
        "GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data"),
        "GREENBOT_PATHS__EVAL_DIR": str(eval_dir),
        "GREENBOT_PATHS__PROMPTS_DIR": str(REPO / "prompts"),
    }
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env=env)


def test_the_gate_passes_unchanged_and_fails_when_a_knowledge_file_is_removed(greenbot: Callable[..., Result], tiny_knowledge: Path, tmp_path: Path) -> None:
    assert greenbot("index").exit_code == 0
    blessed = greenbot("eval", "bless")
    assert blessed.exit_code == 0, blessed.output
    assert "wrote" in blessed.stdout and (tmp_path / "eval" / "baseline.json").is_file()

    runs = tmp_path / "eval" / "runs"
    same = greenbot("eval", "gate", "--out", str(runs / "1-same"))
    assert same.exit_code == EXIT_PASSED, same.output
    assert "gate: passed" in same.stdout
    assert same.stdout.splitlines()[0].split()[:3] == ["language", "cases", "passed"]  # the table per language comes first

    (tiny_knowledge / "en" / "flood-plan.md").unlink()
    assert greenbot("index").exit_code == 0
    removed = greenbot("eval", "gate", "--out", str(runs / "2-removed"))
    assert removed.exit_code == EXIT_REGRESSION, removed.output
    assert "expects flood-plan, which is not in the knowledge folder" in removed.stderr
    assert "critical case failed: flood-en" in removed.stderr and "hit@5 (en)" in removed.stderr

    compared = greenbot("eval", "compare", "1-same", "latest")  # run names: folders in eval/runs/; of two runs in one second, the later written
    assert compared.exit_code == 0 and "regressed (1): flood-en" in compared.stdout
    assert greenbot("eval", "compare", str(runs / "1-same"), str(runs / "2-removed")).stdout == compared.stdout
    junit = (runs / "2-removed" / "junit.xml").read_text(encoding="utf-8")
    assert 'name="flood-en"' in junit and "<failure" in junit
    reblessed = greenbot("eval", "bless", "--from", "latest")
    assert reblessed.exit_code == 0 and "regressed (0)" in greenbot("eval", "compare").stdout  # the baseline against the latest run


def test_an_edited_case_asks_for_a_rebaseline(greenbot: Callable[..., Result], tmp_path: Path) -> None:
    assert greenbot("eval", "bless").exit_code == 0
    suite = tmp_path / "eval" / "suites" / "tiny.yaml"
    suite.write_text(suite.read_text(encoding="utf-8").replace("for floods?", "for a flood?"), encoding="utf-8")
    result = greenbot("eval", "gate", "--out", str(tmp_path / "run"))
    assert result.exit_code == 3, result.output
    assert "1 case(s) new or changed since the baseline (flood-en)" in result.stderr


def test_run_filters_and_suite_errors(greenbot: Callable[..., Result], tmp_path: Path) -> None:
    result = greenbot("eval", "run", "--lang", "vi", "--out", str(tmp_path / "vi"))
    assert result.exit_code == 0, result.output
    _, rows = read_rows(tmp_path / "vi")
    assert [row.id for row in rows] == ["led-vi"] and isinstance(rows[0], ResultRow) and rows[0].mode == "offline"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  group: x\n  lang: xx\n  question: hi\n", encoding="utf-8")
    checked = greenbot("eval", "check", str(bad))
    assert checked.exit_code == 1 and f"{bad}:3: lang: Value error, unknown language 'xx'" in checked.stderr
    gated = greenbot("eval", "gate", str(bad))
    assert gated.exit_code == 2 and "unknown language 'xx'" in gated.stderr


def test_from_feedback_writes_valid_draft_cases(greenbot: Callable[..., Result], tmp_path: Path) -> None:
    export = tmp_path / "down.jsonl"
    rows = [
        {
            "id": 7,
            "created_at": "2026-11-20T10:00:00Z",
            "question": "giá điện mặt trời?",
            "answer": "Xin lỗi…",
            "lang": "vi",
            "mode": "offline",
            "source_ids": ["solar-vietnam"],
            "rating": "down",
            "reason": "wrong",
        },
        {
            "id": 8,
            "created_at": "2026-11-20T11:00:00Z",
            "question": "Giá điện mặt trời?",
            "answer": "…",
            "lang": "vi",
            "mode": "offline",
            "source_ids": [],
            "rating": "down",
            "reason": None,
        },
        {
            "id": 9,
            "created_at": "2026-11-20T12:00:00Z",
            "question": "thanks",
            "answer": "…",
            "lang": "en",
            "mode": "offline",
            "source_ids": [],
            "rating": "up",
            "reason": None,
        },
    ]
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    result = greenbot("eval", "from-feedback", str(export), "-o", str(draft))
    assert result.exit_code == 0 and "wrote 1 draft case(s)" in result.stdout
    text = draft.read_text(encoding="utf-8")
    assert "id: feedback-7-vi" in text and "# 👎 2026-11-20T10:00:00Z (wrong); the bot cited ['solar-vietnam']" in text
    assert greenbot("eval", "check", str(draft)).exit_code == 0


async def test_the_judge_scores_answers_and_a_rerun_is_served_from_the_cache(retriever: HybridRetriever, fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", llm={"base_url": fake_openai.base_url, "max_retries": 0})  # type: ignore[attr-defined]
    cases, topics, _ = select_cases(settings, Selection(case_ids=("led-savings-en", "led-savings-th")))
    fake_openai.judge_replies.append("Sure! Here is my verdict: supported")  # not JSON: repaired once
    summary, rows = await evaluate(settings, retriever, cases, topics, judge=True)
    judged = len(fake_openai.judge_requests)
    assert summary.mode == "llm" and summary.judge and summary.counts.errors == 0
    assert judged == 2 * 4 + 1  # faithfulness, relevance and correctness twice (swapped) per case, plus one repair
    assert any("could not be read as JSON" in r["messages"][-1]["content"] for r in fake_openai.judge_requests)
    assert all(row.metrics["faithfulness"] == 1.0 and row.metrics["answer_relevance"] == 1.0 for row in rows)
    assert all(row.metrics["correctness"] == 1.0 for row in rows)
    th_prompt = next(r for r in fake_openai.judge_requests if "ประหยัด" in r["messages"][0]["content"])
    assert "written in Thai" in th_prompt["messages"][0]["content"] and "Do not translate" in th_prompt["messages"][0]["content"]

    await evaluate(settings, retriever, cases, topics, judge=True)
    assert len(fake_openai.judge_requests) == judged  # every verdict came from the disk cache
    shutil.rmtree(settings.paths.data_dir / "judge-cache")


async def test_model_answers_are_recorded_once_and_replayed_without_a_server(retriever: HybridRetriever, fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    recording = tmp_path / "model.jsonl"
    recorder = make_settings(tmp_path / "data", llm={"base_url": fake_openai.base_url, "max_retries": 0, "record_file": recording})  # type: ignore[attr-defined]
    player = make_settings(tmp_path / "data", llm={"replay_file": recording, "max_retries": 0})
    cases, topics, _ = select_cases(recorder, Selection(case_ids=("led-savings-en", "led-savings-th")))
    recorded, rows = await evaluate(recorder, retriever, cases, topics)
    served = len(fake_openai.requests)
    assert recorded.mode == "llm" and all(row.mode == "llm" for row in rows) and served >= 3  # two answers and one query translation

    replayed, again = await evaluate(player, retriever, cases, topics)
    assert len(fake_openai.requests) == served  # no call reached the server
    assert replayed.mode == "replay" and replayed.counts.errors == 0
    assert [row.answer for row in again] == [row.answer for row in rows]

    other, _, _ = select_cases(player, Selection(case_ids=("fridge-temp-en",)))
    _, missed = await evaluate(player, retriever, other, topics)
    assert missed[0].error == "the model server did not answer (the pipeline fell back to offline)"


RECORDED = tuple(f"quick-wins-{lang}" for lang in ("en", "vi", "th", "id", "ms", "tl", "km", "lo", "my"))


async def test_the_committed_recording_covers_the_model_path_offline(knowledge_index: tuple[Settings, IndexReport], retriever: HybridRetriever) -> None:
    """CI has no model server: the answers recorded in eval/recordings/ replay through the model path.

    A miss means a prompt, a setting or the documents retrieved for these cases changed since
    the recording: record again as eval/README.md shows."""
    settings, _ = knowledge_index
    player = settings.model_copy(update={"llm": settings.llm.model_copy(update={"replay_file": REPO / "eval" / "recordings" / "quick-wins.jsonl"})})
    cases, topics, _ = select_cases(player, Selection(case_ids=RECORDED))
    summary, rows = await evaluate(player, retriever, cases, topics)
    assert summary.mode == "replay" and summary.counts.errors == 0, [(r.id, r.error) for r in rows if r.error]
    assert {row.lang for row in rows} == {"en", "vi", "th", "id", "ms", "tl", "km", "lo", "my"}
    assert all(row.mode == "llm" and row.metrics["citation_validity"] == 1.0 for row in rows)
    assert summary.tokens.prompt > 0 and summary.cost_usd > 0
