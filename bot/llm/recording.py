"""Record a model server's responses once, replay them later with no server at all.

The evaluation harness covers the model path in CI this way: `GREENBOT_LLM__RECORD_FILE`
saves every response while a real model answers; `GREENBOT_LLM__REPLAY_FILE` serves them
back. Responses are keyed by the request (path and JSON body, not the host), so a changed
prompt, model or setting finds no recording and fails loudly instead of replaying a stale one.

The retrieved passages inside a prompt's `<sources>` block are keyed by the documents they
come from (their `[n] title` lines, without the numbers or the order), not by their text.
Which passages of a document rank where can hinge on similarity scores five decimals apart,
so keying on their text made a recording miss where the Khmer case's 4th and 5th passages
swapped places. A different document is still a miss.

Whether a reply was streamed is not part of the key, and the file always holds the whole chat
completion: a streamed response is recorded as the completion its events add up to, and
replayed as events to a request that asks for a stream, so one recording serves both.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import httpx

from bot.config import LLMSettings
from bot.errors import ConfigError


def recording_transport(settings: LLMSettings) -> httpx.AsyncBaseTransport | None:
    """The transport that replays or records model calls, as the settings ask; None for neither."""
    if settings.replay_file is not None:
        return ReplayTransport(settings.replay_file)
    if settings.record_file is not None:
        return RecordingTransport(settings.record_file)
    return None


_SOURCES = re.compile(r"<sources>(.*?)</sources>", re.DOTALL)
_SOURCE_TITLE = re.compile(r"^\[\d+\] (.+)$", re.MULTILINE)


def request_key(request: httpx.Request) -> str:
    """The same request always gives the same key, whichever server it was sent to."""
    try:
        body: Any = json.loads(request.content or b"null")
    except ValueError:
        body = request.content.decode("utf-8", "replace")
    if isinstance(body, dict) and isinstance(body.get("messages"), list):
        body["messages"] = [_without_passages(m) for m in body["messages"]]
        if body.get("stream"):  # keyed as the same call made whole, as recordings from before streaming were
            body = {k: v for k, v in body.items() if k != "stream_options"} | {"stream": False}
    canonical = json.dumps([request.method, request.url.path, body], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _without_passages(message: Any) -> Any:
    """A chat message with each `<sources>` block reduced to the sorted titles of its documents."""
    if not isinstance(message, dict) or not isinstance(message.get("content"), str):
        return message
    return {**message, "content": _SOURCES.sub(_documents, message["content"])}


def _documents(block: re.Match[str]) -> str:
    return "<sources>" + "\n".join(sorted(set(_SOURCE_TITLE.findall(block[1])))) + "</sources>"


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers from a recording file; a request that was never recorded gets a 404 that says why."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ConfigError(f"{path}: no recorded model responses to replay; record them first with GREENBOT_LLM__RECORD_FILE")
        self._responses: dict[str, dict[str, Any]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                self._responses.setdefault(entry["key"], entry)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        entry = self._responses.get(request_key(request))
        if entry is None:
            message = "no recorded response for this request (a prompt, model or setting changed since recording); record again"
            return httpx.Response(404, json={"error": {"message": message, "type": "replay_miss", "code": None}})
        if _asks_for_stream(request):
            return httpx.Response(entry["status"], content=_as_events(entry["response"]), headers={"content-type": _EVENT_STREAM})
        return httpx.Response(entry["status"], json=entry["response"])


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the real server and appends each JSON response to a recording file."""

    def __init__(self, path: Path, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._path = path
        self._inner = inner or httpx.AsyncHTTPTransport()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._recorded = {json.loads(line)["key"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()} if path.is_file() else set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        content = await response.aread()
        key = request_key(request)
        if response.status_code == 200 and key not in self._recorded:  # errors are not worth replaying
            self._recorded.add(key)
            streamed = response.headers.get("content-type", "").startswith(_EVENT_STREAM)
            entry = {
                "key": key,
                "path": request.url.path,
                "status": response.status_code,
                "response": _from_events(content) if streamed else json.loads(content),
            }
            with self._path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}
        return httpx.Response(response.status_code, headers=headers, content=content)  # already decoded

    async def aclose(self) -> None:
        await self._inner.aclose()


_EVENT_STREAM = "text/event-stream"


def _asks_for_stream(request: httpx.Request) -> bool:
    try:
        return bool(json.loads(request.content or b"null").get("stream"))
    except (ValueError, AttributeError):
        return False


def _as_events(completion: dict[str, Any]) -> bytes:
    """A recorded chat completion as the server-sent events of a stream: its text, then its usage."""
    head = {k: completion.get(k) for k in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
    choice = completion["choices"][0]
    chunks = [
        head | {"choices": [{"index": 0, "delta": {"role": "assistant", "content": choice["message"]["content"]}, "finish_reason": None}]},
        head | {"choices": [{"index": 0, "delta": {}, "finish_reason": choice.get("finish_reason", "stop")}]},
        head | {"choices": [], "usage": completion.get("usage")},
    ]
    return "".join(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n" for chunk in chunks).encode() + b"data: [DONE]\n\n"


def _from_events(body: bytes) -> dict[str, Any]:
    """The chat completion that a stream's server-sent events add up to."""
    chunks = [json.loads(line[5:]) for line in body.decode().splitlines() if line.startswith("data:") and line[5:].strip() != "[DONE]"]
    choices = [c["choices"][0] for c in chunks if c.get("choices")]
    text = "".join(c["delta"].get("content") or "" for c in choices)
    finish = next((c["finish_reason"] for c in reversed(choices) if c.get("finish_reason")), "stop")
    usage = next((c["usage"] for c in reversed(chunks) if c.get("usage")), None)
    return {k: chunks[0].get(k) for k in ("id", "created", "model")} | {
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": usage,
    }
