"""A small fake Telegram Bot API server for end-to-end tests of the real PTB Application.

Tests push updates (text, button taps, photos, voice notes) into a queue that getUpdates
serves; every call the bot makes is recorded; the next call of a method can be made to fail
(429 with retry_after, 400 "can't parse entities", 502) or to stall: carried out, but answered
only after the client has given up, as Telegram does when it delivers late. Raw updates that
python-telegram-bot cannot parse can be queued as they are. getFile and the file download route
serve a voice note. Updates can also be built without queueing them, to POST to a webhook.
When the server runs in another process (the benchmark), /control/push queues updates,
/control/wait lists the calls of a method once enough chats have had one, and /control/floods
counts the calls refused with RetryAfter.

sendMessageDraft is served and recorded like every call, so tests can check the drafts' order
and pace. Like Telegram, the server refuses with 429 and `retry_after` a draft that comes less
than `min_interval_s["sendMessageDraft"]` (1 s) after the chat's last one; other methods can be
paced the same way. With `messages_per_s` set it also refuses, as Telegram does bulk sending, a
message beyond that many in any second across all chats (allowing `jitter_s` for the time the
calls take to arrive). Chats in `blocked` get 403, as from an owner who blocked the bot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

BOT = {
    "id": 4242,
    "is_bot": True,
    "first_name": "GreenGuide",
    "username": "greenguide_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what the server answered, e.g. the message sent


class FakeBotAPI:
    """State shared between a test and the server thread."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, str, int | None]]] = {}
        self._stalls: dict[str, list[float]] = {}
        self.min_interval_s: dict[str, float] = {"sendMessageDraft": 1.0}  # per chat, as Telegram's flood control
        self._last_at: dict[tuple[str, int], float] = {}
        self.floods: list[Call] = []  # calls refused with RetryAfter for coming too soon
        self.messages_per_s: float | None = None  # across chats (Telegram: 30); None: no such limit
        self.jitter_s = 0.05  # of the second, allowed for calls paced evenly but arriving unevenly
        self._messages_at: deque[float] = deque()
        self.blocked: set[int] = set()  # chats whose owner blocked the bot: 403
        self.allowed_updates: list[str] | None = None  # as the bot last asked for them in getUpdates
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.voice_bytes = b"OggS fake voice note"
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
                Route("/control/push", self._control_push, methods=["POST"]),
                Route("/control/wait", self._control_wait, methods=["GET"]),
                Route("/control/floods", self._control_floods, methods=["GET"]),
            ]
        )

    # --- what tests do -------------------------------------------------------------------

    def push_text(self, text: str, **kwargs: Any) -> int:
        return self._push(self.text_update(text, **kwargs))

    def text_update(
        self, text: str, *, user_id: int = 1, chat_id: int | None = None, language_code: str | None = "en", reply_to_bot: bool = False
    ) -> dict[str, Any]:
        """A message update as Telegram sends it: commands and @mentions marked with entities."""
        message = self._message(text=text, user_id=user_id, chat_id=chat_id, language_code=language_code)
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = f"@{BOT['username']}"
        if mention in text:  # offsets in UTF-16 units, as Telegram counts them
            entities.append({"type": "mention", "offset": len(text[: text.index(mention)].encode("utf-16-le")) // 2, "length": len(mention)})
        if entities:
            message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = {"message_id": 1, "date": int(time.time()), "chat": message["chat"], "from": BOT, "text": "earlier answer"}
        return {"update_id": next(self._ids), "message": message}

    def push_photo(self, *, user_id: int = 1, language_code: str | None = "en") -> int:
        photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
        return self._push({"message": self._message(user_id=user_id, language_code=language_code, photo=photo)})

    def push_sticker(self, *, user_id: int = 1, language_code: str | None = "en") -> int:
        sticker = {"file_id": "s1", "file_unique_id": "su1", "width": 512, "height": 512, "is_animated": False, "is_video": False, "type": "regular"}
        return self._push({"message": self._message(user_id=user_id, language_code=language_code, sticker=sticker)})

    def push_location(self, *, user_id: int = 1, language_code: str | None = "en") -> int:
        return self._push({"message": self._message(user_id=user_id, language_code=language_code, location={"latitude": 10.8, "longitude": 106.7})})

    def push_voice(self, *, user_id: int = 1, chat_id: int | None = None, language_code: str | None = "en") -> int:
        voice = {"file_id": "v1", "file_unique_id": "vu1", "duration": 3, "mime_type": "audio/ogg", "file_size": len(self.voice_bytes)}
        return self._push({"message": self._message(user_id=user_id, chat_id=chat_id, language_code=language_code, voice=voice)})

    def push_edit(self, text: str, *, user_id: int = 1, language_code: str | None = "en") -> int:
        """An edited message, as Telegram sends it when a user changes a message they sent."""
        message = self._message(text=text, user_id=user_id, language_code=language_code)
        message["edit_date"] = message["date"]
        return self._push({"edited_message": message})

    def push_callback(self, data: str, *, user_id: int = 1, language_code: str | None = "en", inline: bool = False) -> int:
        """A button tap; `inline`: under an inline-mode message, which the bot never sees."""
        query: dict[str, Any] = {"id": str(next(self._ids)), "from": _user(user_id, language_code), "chat_instance": "ci", "data": data}
        if inline:
            query["inline_message_id"] = "inline-1"
        else:
            query["message"] = self._message(text="(buttons)", user_id=user_id, language_code=language_code) | {"from": BOT}
        return self._push({"callback_query": query})

    def push_reaction(self, message_id: int, *emoji: str, user_id: int = 1, chat_id: int | None = None) -> int:
        """The user's reactions on a message as they now are (none: all taken off)."""
        chat = self._message(user_id=user_id, chat_id=chat_id)["chat"]
        reaction = {"chat": chat, "message_id": message_id, "user": _user(user_id, "en"), "date": int(time.time()),
                    "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": e} for e in emoji]}  # fmt: skip
        return self._push({"message_reaction": reaction})

    def push_raw(self, update: dict[str, Any]) -> int:
        """Queue an update exactly as given (say, one a newer Bot API would send)."""
        return self._push(update)

    def fail_next(self, method: str, status: int, description: str, retry_after: int | None = None) -> None:
        self._failures.setdefault(method, []).append((status, description, retry_after))

    def stall_next(self, method: str, seconds: float) -> None:
        """Carry out the next call of `method` but answer it only after `seconds`."""
        self._stalls.setdefault(method, []).append(seconds)

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    async def wait_for(self, count: int, method: str = "sendMessage", timeout_s: float = 30.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_s
        while len(self.sent(method)) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.sent(method))} {method} calls, expected {count}; last calls: {self.calls[-5:]}")
            await asyncio.sleep(0.02)
        return self.sent(method)

    # --- the server ----------------------------------------------------------------------

    def _push(self, payload: dict[str, Any]) -> int:
        update = payload if "update_id" in payload else {"update_id": next(self._ids), **payload}
        self._updates.append(update)
        return int(update["update_id"])

    def _message(self, *, user_id: int, chat_id: int | None = None, language_code: str | None = "en", **content: Any) -> dict[str, Any]:
        chat = {"id": chat_id or user_id, "type": "private" if chat_id in (None, user_id) else "group"}
        return {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat, "from": _user(user_id, language_code), **content}

    async def _handle(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        params = await _params(request)
        call = Call(method, params)
        if method != "getUpdates":  # polls are noise
            self.calls.append(call)
        if method in _MESSAGES and int(params.get("chat_id") or 0) in self.blocked:
            return JSONResponse({"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}, status_code=403)
        too_soon = self._too_soon(method, params) or self._too_many(method)
        if too_soon:
            self.floods.append(call)
            body = {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {too_soon}", "parameters": {"retry_after": too_soon}}
            return JSONResponse(body, status_code=429)
        failures = self._failures.get(method)
        if failures:
            status, description, retry_after = failures.pop(0)
            body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return JSONResponse(body, status_code=status)
        call.result = result = await self._result(method, params)
        stalls = self._stalls.get(method)
        if stalls:
            await asyncio.sleep(stalls.pop(0))
        return JSONResponse({"ok": True, "result": result})

    def _too_soon(self, method: str, params: dict[str, Any]) -> int:
        """The seconds to wait (0: none) when this chat's last call of `method` was too recent."""
        interval = self.min_interval_s.get(method)
        if not interval:
            return 0
        key, now = (method, int(params.get("chat_id") or 0)), time.monotonic()
        last = self._last_at.get(key)
        if last is not None and now - last < interval:
            return math.ceil(interval - (now - last))
        self._last_at[key] = now
        return 0

    def _too_many(self, method: str) -> int:
        """1 (second to wait) when this message would be one more than `messages_per_s` within a second."""
        if self.messages_per_s is None or method not in _MESSAGES:
            return 0
        now = time.monotonic()
        while self._messages_at and self._messages_at[0] <= now - (1.0 - self.jitter_s):
            self._messages_at.popleft()
        if len(self._messages_at) >= self.messages_per_s:
            return 1
        self._messages_at.append(now)
        return 0

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            self.allowed_updates = params.get("allowed_updates")
            offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)  # Telegram's default limit
            deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.2)
            while True:
                pending = [u for u in self._updates if u["update_id"] >= offset][:limit]
                if pending or time.monotonic() >= deadline:
                    return pending
                await asyncio.sleep(0.01)
        if method == "getFile":
            return {"file_id": params.get("file_id"), "file_unique_id": "vu1", "file_size": len(self.voice_bytes), "file_path": "voice/file_1.oga"}
        if method in ("sendMessage", "editMessageText", "sendDocument"):
            chat_id = int(params.get("chat_id") or 1)
            return {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT,
                "text": params.get("text", ""),
            }
        return True  # sendMessageDraft, sendChatAction, answerCallbackQuery, editMessageReplyMarkup, setWebhook, deleteWebhook, setMyCommands, …

    async def _control_push(self, request: Request) -> JSONResponse:
        updates = (await request.json())["updates"]
        self._updates.extend(updates)
        return JSONResponse({"queued": len(updates)})

    async def _control_wait(self, request: Request) -> JSONResponse:
        """Waits (in this process) until `chats` different chats got a call of `method`, then lists the calls."""
        method, chats = request.query_params.get("method", "sendMessage"), int(request.query_params["chats"])
        while len({int(params.get("chat_id", 0)) for params in self.sent(method)}) < chats:
            await asyncio.sleep(0.02)
        return JSONResponse([{"method": c.method, "params": c.params, "at": c.at} for c in self.calls if c.method == method])

    async def _control_floods(self, request: Request) -> JSONResponse:
        return JSONResponse([{"method": c.method, "params": c.params, "at": c.at} for c in self.floods])

    async def _file(self, request: Request) -> Response:
        self.calls.append(Call("download", {"path": request.path_params["path"]}))
        return Response(self.voice_bytes, media_type="audio/ogg")


_MESSAGES = ("sendMessage", "sendDocument")  # what Telegram counts against its limits on sending


def _user(user_id: int, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
    if language_code:
        user["language_code"] = language_code
    return user


async def _params(request: Request) -> dict[str, Any]:
    """PTB sends form fields whose complex values are JSON-encoded, or a JSON body."""
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(await request.json())
    params: dict[str, Any] = {}
    async with request.form() as form:
        for key, value in form.items():
            if not isinstance(value, str):
                params[key] = {"filename": value.filename, "content": await value.read()}
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params
