"""The real python-telegram-bot Application against a fake Bot API server on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import Settings
from bot.retrieval import HybridRetriever, IndexReport
from bot.services import Services
from bot.tg import build_application
from tests.servers.bot_api import FakeBotAPI
from tests.servers.uvicorn_thread import ServerThread

pytestmark = pytest.mark.integration


@pytest.fixture
def bot_api() -> Iterator[FakeBotAPI]:
    fake = FakeBotAPI()
    server = ServerThread(fake.app).start()
    fake.url = server.url  # type: ignore[attr-defined]
    yield fake
    server.stop()


@pytest.fixture
async def running_bot(
    bot_api: FakeBotAPI, tmp_path: Path, knowledge_index: tuple[Settings, IndexReport], retriever: HybridRetriever
) -> AsyncIterator[FakeBotAPI]:
    """The bot polling the fake server, offline (no model), with its own database."""
    base, _ = knowledge_index
    settings = base.model_copy(
        update={
            "paths": base.paths.model_copy(update={"data_dir": tmp_path / "data"}),
            "telegram": base.telegram.model_copy(update={"token": SecretStr("123:TEST"), "base_url": f"{bot_api.url}/bot"}),  # type: ignore[attr-defined]
        }
    )
    services = await Services.open(settings, retriever=retriever)
    application = build_application(settings, services)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=0)
        yield bot_api
        await application.updater.stop()
        await application.stop()
    await services.close()


async def test_start_greets_in_the_phone_language_and_offers_languages(running_bot: FakeBotAPI) -> None:
    running_bot.push_text("/start", language_code="vi")
    greeting, chooser = await running_bot.wait_for(2)
    assert greeting["text"].startswith("Xin chào") and greeting["parse_mode"] == "HTML"
    buttons = [b for row in chooser["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"] for b in buttons] == ["lang:en", "lang:vi", "lang:th", "lang:id", "lang:ms", "lang:tl", "lang:km", "lang:lo", "lang:my"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)


async def test_vietnamese_question_gets_a_vietnamese_answer_with_sources(running_bot: FakeBotAPI) -> None:
    running_bot.push_text("Làm sao để giảm tiền điện tủ lạnh trong cửa hàng?", language_code="vi")
    [reply] = await running_bot.wait_for(1)
    assert running_bot.sent("sendChatAction")[0]["action"] == "typing"
    assert reply["text"].startswith("Câu trả lời ngoại tuyến") or "ngoại tuyến" in reply["text"]
    assert "<b>Nguồn" in reply["text"] and '<a href="https://' in reply["text"]


async def test_chosen_language_sticks(running_bot: FakeBotAPI) -> None:
    running_bot.push_callback("lang:th", language_code="en")
    [confirmation] = await running_bot.wait_for(1, "editMessageText")
    assert confirmation["text"] == "ตั้งค่าเป็นภาษาไทยแล้ว"
    running_bot.push_text("LED?", language_code="en")
    [reply] = await running_bot.wait_for(1)
    assert "ออฟไลน์" in reply["text"]  # the Thai offline note


async def test_photos_get_a_text_only_reply(running_bot: FakeBotAPI) -> None:
    running_bot.push_photo(language_code="ms")
    [reply] = await running_bot.wait_for(1)
    assert reply["text"] == "Buat masa ini saya hanya boleh membaca mesej teks. Sila taip soalan anda."


async def test_rejected_html_is_sent_again_as_plain_text(running_bot: FakeBotAPI) -> None:
    running_bot.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag")
    running_bot.push_text("How can I find compressed air leaks?")
    first, second = await running_bot.wait_for(2)
    assert first["parse_mode"] == "HTML" and "parse_mode" not in second
    assert "<b>" not in second["text"] and "http://iwrc.uni.edu/" in second["text"]


async def test_flood_control_retries_after_the_given_time(running_bot: FakeBotAPI) -> None:
    running_bot.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    running_bot.push_text("How much do LED lamps save?")
    first, second = await running_bot.wait_for(2)
    assert first["text"] == second["text"]
