"""The real python-telegram-bot Application, run by `bot.tg.serve`, against a fake Bot API server on loopback."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.config import Settings
from bot.domain import ASEAN_COUNTRIES, SECTORS
from bot.retrieval import LOCAL_MODEL_NAME, LocalE5Embeddings, build_index, open_retriever
from bot.tg.webhook import SECRET_HEADER
from tests.integration.bots import ADMIN, RunningBot, StartBot
from tests.servers.bot_api import BOT
from tests.servers.openai_compatible import FakeOpenAI, Reply
from tests.servers.uvicorn_thread import free_port

pytestmark = pytest.mark.integration


# --- onboarding, language and profile ---------------------------------------------------------


async def test_start_greets_in_the_phone_language_and_onboards_language_country_and_sector(bot: RunningBot) -> None:
    api = bot.api
    api.push_text("/start", language_code="vi")
    greeting, chooser = await api.wait_for(2)
    assert greeting["text"].startswith("Xin chào") and greeting["parse_mode"] == "HTML"
    assert "tiết kiệm năng lượng" in greeting["text"]  # what the bot can do
    codes = [b["callback_data"] for b in bot.buttons(chooser)]
    assert codes[:3] == ["lang:en:next", "lang:vi:next", "lang:th:next"] and codes[-1] == "lang:skip:next"

    api.push_callback("lang:vi:next", language_code="vi")
    [country_question] = (await api.wait_for(3))[2:]
    assert (await api.wait_for(1, "editMessageText"))[0]["text"] == "Đã chọn tiếng Việt."
    assert "Việt Nam" in [b["text"] for b in bot.buttons(country_question)]
    assert [b["callback_data"] for b in bot.buttons(country_question)][-1] == "country:skip:next"

    api.push_callback("country:VN:next", language_code="vi")
    [sector_question] = (await api.wait_for(4))[3:]
    assert {b["callback_data"] for b in bot.buttons(sector_question)} == {f"sector:{s}:next" for s in (*SECTORS, "skip")}
    api.push_callback("sector:food:next", language_code="vi")
    done = (await api.wait_for(5))[4]
    assert "/topics" in done["text"]
    profile = (await bot.rows("profiles"))[0]
    assert profile[1:4] == ("vi", "VN", "food")


async def test_every_onboarding_step_can_be_skipped(bot: RunningBot) -> None:
    for data in ("lang:skip:next", "country:skip:next", "sector:skip:next"):
        bot.api.push_callback(data, language_code="th")
    await bot.api.wait_for(3)  # country question, sector question, done
    edits = await bot.api.wait_for(3, "editMessageText")
    assert await bot.rows("profiles") == []
    assert any("ภาษาไทย" in edit["text"] for edit in edits)


async def test_profile_shows_and_changes_the_country(bot: RunningBot) -> None:
    api = bot.api
    api.push_text("/profile")
    [shown] = await api.wait_for(1)
    assert "Country: not set" in shown["text"]
    assert [b["callback_data"] for b in bot.buttons(shown)] == ["profile:lang", "profile:country", "profile:sector"]
    api.push_callback("profile:country")
    [keyboard] = await api.wait_for(1, "editMessageText")
    assert {b["callback_data"] for b in bot.buttons(keyboard)} == {f"country:{c}" for c in (*ASEAN_COUNTRIES, "skip")}
    api.push_callback("country:TH")
    edits = await api.wait_for(2, "editMessageText")
    assert "Country: Thailand" in edits[1]["text"]
    api.push_text("/profile")
    assert "Country: Thailand" in (await api.wait_for(2))[1]["text"]


async def test_chosen_language_sticks(bot: RunningBot) -> None:
    bot.api.push_callback("lang:th", language_code="en")
    [confirmation] = await bot.api.wait_for(1, "editMessageText")
    assert confirmation["text"] == "ตั้งค่าเป็นภาษาไทยแล้ว"
    bot.api.push_text("LED?", language_code="en")
    [reply] = await bot.api.wait_for(1)
    assert "ออฟไลน์" in reply["text"]  # the Thai offline note


async def test_all_callback_data_fits_in_64_bytes(bot: RunningBot) -> None:
    for command in ("/start", "/profile", "/topics", "/forget"):
        bot.api.push_text(command, language_code="my")
    bot.api.push_callback("profile:sector", language_code="my")
    bot.api.push_callback("topic:12", language_code="my")
    await bot.api.wait_for(5)
    await bot.api.wait_for(2, "editMessageText")
    calls = bot.api.sent() + bot.api.sent("editMessageText")
    data = [b["callback_data"] for call in calls if "reply_markup" in call for b in bot.buttons(call)]
    assert len(data) >= 40 and all(len(d.encode()) <= 64 for d in data)


# --- questions --------------------------------------------------------------------------------


async def test_vietnamese_question_gets_a_vietnamese_answer_with_sources_and_rating_buttons(bot: RunningBot) -> None:
    bot.api.push_text("Làm sao để giảm tiền điện tủ lạnh trong cửa hàng?", language_code="vi")
    [reply] = await bot.api.wait_for(1)
    assert bot.api.sent("sendChatAction")[0]["action"] == "typing"
    assert "ngoại tuyến" in reply["text"]  # an offline answer says so
    assert "<b>Nguồn" in reply["text"] and '<a href="https://' in reply["text"]
    turn_id = (await bot.rows("turns"))[0][0]
    assert [b["callback_data"] for b in bot.buttons(reply)] == [f"fb:up:{turn_id}", f"fb:down:{turn_id}", "advisor:ask"]
    assert bot.buttons(reply)[2]["text"] == "🧑‍💼 Nói chuyện với chuyên gia"


async def test_topics_open_suggested_questions_in_the_users_language_and_ask_them(bot: RunningBot) -> None:
    api = bot.api
    api.push_text("/topics", language_code="id")
    [topics] = await api.wait_for(1)
    assert len(bot.buttons(topics)) == 13 and bot.buttons(topics)[0]["callback_data"] == "topic:0"
    api.push_callback("topic:0", language_code="id")
    [suggestions] = await api.wait_for(1, "editMessageText")
    questions = bot.buttons(suggestions)
    assert 3 <= len(questions) <= 5 and questions[1]["callback_data"] == "ask:0:1"
    api.push_callback("ask:0:1", language_code="id")
    edits = await api.wait_for(2, "editMessageText")
    assert edits[1]["text"] == f"❓ {questions[1]['text']}"
    answer = (await api.wait_for(2))[1]
    assert "Sumber" in answer["text"] and "fb:up:" in json.dumps(answer["reply_markup"])


async def test_a_very_long_model_answer_is_split_and_escaped(start_bot: StartBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_bot(llm={"base_url": fake_openai.base_url, "max_retries": 0})  # type: ignore[attr-defined]
    paragraph = " ".join(f"Step {i}: check the <seals> & clean the coils [1]." for i in range(40))
    fake_openai.enqueue("\n\n".join([paragraph] * 5))
    bot.api.push_text("How do I save power on my fridges?")
    await bot.api.wait_for(3)
    while "reply_markup" not in bot.api.sent()[-1]:  # the rating buttons come under the last part
        await asyncio.sleep(0.05)
    parts = bot.api.sent()
    assert all(len(p["text"]) <= 4096 for p in parts)
    assert "&lt;seals&gt; &amp; clean" in parts[0]["text"] and "<seals>" not in parts[0]["text"]
    assert "reply_markup" in parts[-1] and all("reply_markup" not in p for p in parts[:-1])


async def test_a_failing_model_server_still_gives_an_answer(start_bot: StartBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_bot(llm={"base_url": fake_openai.base_url, "max_retries": 0})  # type: ignore[attr-defined]
    fake_openai.enqueue(Reply(status=500), Reply(status=500))
    bot.api.push_text("How much do LED lamps save?")
    [reply] = await bot.api.wait_for(1)
    assert "AI service is not answering" in reply["text"] and "<b>Sources</b>" in reply["text"]
    assert fake_openai.answer_requests


async def test_rejected_html_is_sent_again_as_plain_text(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag")
    bot.api.push_text("How can I find compressed air leaks?")
    first, second = await bot.api.wait_for(2)
    assert first["parse_mode"] == "HTML" and "parse_mode" not in second
    assert "<b>" not in second["text"] and "http://iwrc.uni.edu/" in second["text"]


async def test_flood_control_retries_after_the_given_time(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    bot.api.push_text("How much do LED lamps save?")
    first, second = await bot.api.wait_for(2)
    assert first["text"] == second["text"]


async def test_a_failing_update_gets_an_apology_and_the_bot_keeps_serving(bot: RunningBot) -> None:
    bot.api.fail_next("sendMessage", 400, "Bad Request: message is too long")  # refused, so not tried again
    bot.api.push_text("How much do LED lamps save?", language_code="tl")
    apology = (await bot.api.wait_for(2))[1]
    assert apology["text"].startswith("Paumanhin")
    bot.api.push_text("How much do LED lamps save?")
    assert "<b>Sources</b>" in (await bot.api.wait_for(3))[2]["text"]


async def test_over_long_and_rate_limited_questions_are_refused_politely(start_bot: StartBot) -> None:
    bot = await start_bot(telegram={"questions_per_minute": 2})
    bot.api.push_text("LED " * 500)
    [too_long] = await bot.api.wait_for(1)
    assert "too long" in too_long["text"] and "1500" in too_long["text"]
    bot.api.push_text("How much do LED lamps save?")
    await bot.api.wait_for(2)
    bot.api.push_text("How much do LED lamps save?", language_code="vi")
    limited = (await bot.api.wait_for(3))[2]
    assert limited["text"] == bot.services.prompts.message("vi", "rate_limited_minute") and "reply_markup" not in limited
    bot.api.push_text("How much do LED lamps save?", user_id=2)  # other users are not affected
    assert "<b>Sources</b>" in (await bot.api.wait_for(4))[3]["text"]


async def test_in_groups_the_bot_answers_only_when_mentioned_or_replied_to(bot: RunningBot) -> None:
    group = -100
    bot.api.push_text("how much do LED lamps save?", chat_id=group)
    bot.api.push_photo()  # a private chat: answered
    await bot.api.wait_for(1)
    await asyncio.sleep(0.5)
    assert len(bot.api.sent()) == 1 and bot.api.sent()[0]["text"].startswith("I can only read text")
    bot.api.push_text(f"@{BOT['username']} how much do LED lamps save?", chat_id=group)
    bot.api.push_text("and for fridges?", chat_id=group, user_id=2, reply_to_bot=True)
    replies = await bot.api.wait_for(3)
    assert all("<b>Sources</b>" in r["text"] for r in replies[1:]) and {int(r["chat_id"]) for r in replies[1:]} == {group}
    assert (await bot.rows("turns"))[0][2] == "how much do LED lamps save?"  # the mention is not part of the question


@pytest.mark.parametrize("push", ["push_photo", "push_sticker", "push_location", "push_voice"])
async def test_unsupported_messages_get_a_text_only_reply(bot: RunningBot, push: str) -> None:
    getattr(bot.api, push)(language_code="ms")
    [reply] = await bot.api.wait_for(1)
    assert reply["text"] == "Buat masa ini saya hanya boleh membaca mesej teks. Sila taip soalan anda."


async def test_voice_notes_are_transcribed_with_the_language_hint_and_answered(start_bot: StartBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_bot(llm={"base_url": fake_openai.base_url, "transcription_model": "whisper-1"})  # type: ignore[attr-defined]
    fake_openai.transcript = "Làm sao để giảm tiền điện tủ lạnh?"
    bot.api.push_voice(language_code="vi")
    [reply] = await bot.api.wait_for(1)
    [transcription] = [r for r in fake_openai.requests if r.get("transcription")]
    assert transcription == {"transcription": True, "model": "whisper-1", "language": "vi", "bytes": len(bot.api.voice_bytes)}
    assert bot.api.sent("download") and "Nguồn" in reply["text"]


# --- feedback, /sources, account commands -------------------------------------------------------


async def test_thumbs_up_and_down_with_a_reason_are_stored_and_exported(bot: RunningBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    api = bot.api
    api.push_text("How much do LED lamps save?")
    await api.wait_for(1)
    api.push_text("What is CBAM?")
    await api.wait_for(2)
    first, second = (row[0] for row in await bot.rows("turns"))
    api.push_callback(f"fb:up:{first}")
    await api.wait_for(1, "answerCallbackQuery")
    api.push_callback(f"fb:down:{second}")
    [why] = (await api.wait_for(3))[2:]
    assert [b["callback_data"] for b in bot.buttons(why)] == [f"why:2:{r}" for r in ("wrong", "off_topic", "language", "too_long")]
    assert api.sent("answerCallbackQuery")[0]["text"] == "Thanks for your feedback!"
    assert len(await api.wait_for(2, "editMessageReplyMarkup")) == 2  # the buttons go once used
    api.push_callback("why:2:too_long")
    await api.wait_for(1, "editMessageText")
    rows = await bot.rows("feedback")  # id, user_id, question, answer, lang, mode, source_ids, rating, reason, …
    assert [(r[2], r[7], r[8]) for r in rows] == [("How much do LED lamps save?", "up", None), ("What is CBAM?", "down", "too_long")]

    monkeypatch.chdir(tmp_path)
    env = {"GREENBOT_PATHS__DATA_DIR": str(tmp_path / "data")}
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["feedback", "export", "--rating", "down"], env=env)  # it runs its own loop
    assert result.exit_code == 0, result.output
    [exported] = [json.loads(line) for line in result.stdout.splitlines()]
    assert exported["question"] == "What is CBAM?" and exported["reason"] == "too_long" and exported["mode"] == "offline"
    assert exported["source_ids"] and "user_id" not in exported


async def test_sources_reshows_the_last_answers_sources_with_snippets(bot: RunningBot) -> None:
    bot.api.push_text("/sources")
    [none_yet] = await bot.api.wait_for(1)
    assert "no answer with sources yet" in none_yet["text"]
    bot.api.push_text("How can I find compressed air leaks?")
    await bot.api.wait_for(2)
    bot.api.push_text("/sources")
    sources = (await bot.api.wait_for(3))[2]["text"]
    assert sources.startswith("<b>Sources</b>") and "<i>" in sources and "iwrc.uni.edu" in sources


async def test_help_privacy_and_unknown_commands_speak_the_users_language(bot: RunningBot) -> None:
    bot.api.push_text("/help", language_code="vi")
    [help_text] = await bot.api.wait_for(1)
    assert "/topics" in help_text["text"] and "/forget" in help_text["text"] and f"@{BOT['username']}" in help_text["text"]
    assert "BotFather" in help_text["text"]  # group admins may need to disable privacy mode
    bot.api.push_text("/privacy")
    assert "90 days" in (await bot.api.wait_for(2))[1]["text"]
    bot.api.push_text("/frobnicate", language_code="th")
    assert "/help" in (await bot.api.wait_for(3))[2]["text"]
    commands = bot.api.sent("setMyCommands")
    assert len(commands) == 9 and {c["command"] for c in commands[0]["commands"]} >= {"topics", "sources", "forget", "mydata"}


async def test_mydata_sends_everything_stored_as_a_file(bot: RunningBot) -> None:
    bot.api.push_callback("lang:vi")
    bot.api.push_text("How much do LED lamps save?")
    await bot.api.wait_for(1)
    bot.api.push_text("/mydata")
    [document] = await bot.api.wait_for(1, "sendDocument")
    data = json.loads(document["document"]["content"])
    assert document["document"]["filename"] == "greenguide-my-data.json"
    assert data["profiles"][0]["lang"] == "vi" and data["turns"][0]["question"] == "How much do LED lamps save?"


async def test_forget_deletes_every_row_after_confirmation(bot: RunningBot) -> None:
    api = bot.api
    api.push_callback("country:VN")
    api.push_text("How much do LED lamps save?")
    await api.wait_for(1)
    api.push_callback(f"fb:down:{(await bot.rows('turns'))[0][0]}")
    api.push_text("/forget")
    await api.wait_for(3)  # the answer, "what was wrong?" and the confirmation, in any order
    [confirm] = [m for m in api.sent() if "forget:yes" in json.dumps(m.get("reply_markup"))]
    assert [b["callback_data"] for b in bot.buttons(confirm)] == ["forget:yes", "forget:no"]
    api.push_callback("forget:no")
    await api.wait_for(2, "editMessageText")
    assert await bot.rows("profiles") and await bot.rows("turns") and await bot.rows("feedback")
    api.push_callback("forget:yes")
    assert (await api.wait_for(3, "editMessageText"))[2]["text"].startswith("Done.")
    assert (await bot.rows("profiles"), await bot.rows("turns"), await bot.rows("feedback")) == ([], [], [])
    database = bot.settings.database_path
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]  # the file, its -wal and -shm
    assert len(files) >= 2 and not [p.name for p in files if b"LED lamps save" in p.read_bytes()]


# --- administration -----------------------------------------------------------------------------


async def test_admin_commands_are_unknown_to_everyone_else(bot: RunningBot) -> None:
    bot.api.push_text("/stats")
    bot.api.push_text("/reload")
    replies = await bot.api.wait_for(2)
    assert all(r["text"].startswith("Sorry, I don't know that command") for r in replies)


async def test_stats_for_admins(bot: RunningBot) -> None:
    bot.api.push_text("How much do LED lamps save?", user_id=1)
    bot.api.push_text("Who won the football match yesterday?", user_id=2, language_code="vi")
    await bot.api.wait_for(2)
    bot.api.push_text("/stats", user_id=ADMIN)
    stats = (await bot.api.wait_for(3))[2]["text"]
    assert "2 users, 2 questions" in stats and "Offline answers: 100%" in stats
    assert "Most refused:\n  1× Who won the football match yesterday?" in stats


async def test_reload_reindexes_in_the_background_and_swaps(start_bot: StartBot, tiny_settings: Settings, embeddings: LocalE5Embeddings) -> None:
    await asyncio.to_thread(build_index, tiny_settings, embeddings, LOCAL_MODEL_NAME)
    tiny = await asyncio.to_thread(open_retriever, tiny_settings, embeddings, LOCAL_MODEL_NAME)
    bot = await start_bot(paths={"knowledge_dir": tiny_settings.paths.knowledge_dir, "data_dir": tiny_settings.paths.data_dir}, with_retriever=tiny)
    before = tiny.size
    guide = tiny_settings.paths.knowledge_dir / "en" / "flood-plan.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\n\n## Sandbags\n\nKeep sandbags ready before the rainy season.\n", encoding="utf-8")
    broken = tiny_settings.paths.knowledge_dir / "en" / "solar-vietnam.md"  # an impossible date skips this file, not the re-index
    broken.write_text(re.sub(r"review_by: \S+", "review_by: 2026-02-30", broken.read_text(encoding="utf-8")), encoding="utf-8")
    bot.api.push_text("/reload", user_id=ADMIN)
    bot.api.push_text("How do I prepare my shop for floods?")  # answered while the re-index runs
    replies = await bot.api.wait_for(3, timeout_s=120)
    report = next(r["text"] for r in replies if r["text"].startswith("Re-indexed"))
    assert int(re.search(r"\((\d+) embedded", report).group(1)) > 0  # type: ignore[union-attr]
    assert "Problems (1):" in report and "solar-vietnam.md:" in report and "2026-02-30 is not a real date" in report
    assert tiny.size >= before and any("sandbags" in hit.chunk.text.lower() for hit in tiny.search("sandbags before the rainy season"))


# --- transport and lifecycle --------------------------------------------------------------------


async def test_webhook_requires_the_secret_token(start_bot: StartBot) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = await start_bot(telegram={"webhook_url": url, "webhook_secret": "s3cret", "webhook_port": port})
    [registered] = bot.api.sent("setWebhook")
    assert registered["url"] == url and registered["secret_token"] == "s3cret"
    update = bot.api.text_update("How much do LED lamps save?")
    async with httpx.AsyncClient() as client:
        for _ in range(100):  # uvicorn starts in the background
            try:
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
        assert health.json()["ok"] is True
        assert (await client.post(url, json=update)).status_code == 403
        assert (await client.post(url, json=update, headers={SECRET_HEADER: "wrong"})).status_code == 403
        assert (await client.post(url, json=update, headers={SECRET_HEADER: "s3cret"})).status_code == 200
    [reply] = await bot.api.wait_for(1)
    assert "<b>Sources</b>" in reply["text"]


async def test_stopping_finishes_the_answers_in_flight(start_bot: StartBot, fake_openai: FakeOpenAI) -> None:
    bot = await start_bot(llm={"base_url": fake_openai.base_url})  # type: ignore[attr-defined]
    fake_openai.answer_delay_s = 1.0
    bot.api.push_text("How much do LED lamps save?")
    while not fake_openai.answer_requests:
        await asyncio.sleep(0.02)
    bot.stop.set()  # what SIGTERM does
    await bot.task
    [reply] = bot.api.sent()
    assert "<b>Sources</b>" in reply["text"]


async def test_one_log_line_per_update_without_user_ids_or_text(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.tg.logs")
    bot.api.push_text("Làm sao để giảm tiền điện tủ lạnh?", user_id=123456789, language_code="vi")
    await bot.api.wait_for(1)
    await asyncio.sleep(0.1)
    [line] = [r.getMessage() for r in caplog.records if r.name == "bot.tg.logs"]
    assert line.startswith("update=") and " kind=text " in line and " lang=vi mode=offline " in line and "latency_ms=" in line
    assert "123456789" not in line and "tủ lạnh" not in line and "TEST" not in line
