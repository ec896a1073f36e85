"""A small OpenAI-compatible server: /v1/chat/completions, /v1/embeddings, /v1/audio/transcriptions.

Answer calls (those with a system message) take their replies from a queue a test fills:
text, an HTTP error (429 with Retry-After, 500) or a stall longer than the client's timeout.
With the queue empty, the reply quotes the first source and cites [1] (repeated to at least
`answer_tokens` words, when set). Judge calls (prompts that ask for a JSON object) take their
replies from `judge_replies`, else get a verdict that finds everything supported and relevant.
Helper calls (query translation, condensing) echo the question; `answer_delay_s` delays every
answer call (a slow model); `hung` leaves every chat call unanswered (a server that hangs).
Embeddings are deterministic vectors, or an error while `embedding_status` is not 200.

A request with `"stream": true` gets its reply as server-sent events, one word a chunk, at
`tokens_per_s` (0: at once), with the token counts in a last chunk when the request asks for
them (`stream_options.include_usage`); a reply can be cut off after some words (a broken stream),
or stall after some words (a server that stops writing).
Transcriptions return `transcript`. Every request body is recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

_QUESTION = re.compile(r"<question>\s*(.*?)\s*</question>", re.DOTALL)
_JUDGE = "Reply with only a JSON object"
_DEFAULT_VERDICT = '{"claims": [{"claim": "the answer", "supported": true}], "score": 1.0, "reason": "on topic", "contradictions": []}'
_FIRST_SOURCE = re.compile(r"^\[1\][^\n]*\n(.+?)(?:\n|$)", re.MULTILINE)
_WORD = re.compile(r"\s*\S+")  # a streamed chunk: one word with the space before it


@dataclass
class Reply:
    """One scripted answer: text, an error status or a raw body (say, broken JSON; a stream's one
    event), optionally after a delay."""

    text: str = ""
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    raw: str | None = None
    cut_after: int | None = None  # streamed: the connection drops after this many words
    stall_after: int | None = None  # streamed: nothing more comes after this many words (the connection stays open)


class FakeOpenAI:
    """State shared between the test and the server thread."""

    def __init__(self) -> None:
        self.replies: deque[Reply] = deque()
        self.judge_replies: deque[str] = deque()
        self.requests: list[dict[str, Any]] = []
        self.answer_delay_s = 0.0
        self.answer_tokens: int | None = None
        self.tokens_per_s = 0.0
        self.hung = False
        self.embedding_status = 200
        self.transcript = ""
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
                Route("/v1/audio/transcriptions", self._transcribe, methods=["POST"]),
            ]
        )

    def enqueue(self, *replies: Reply | str) -> None:
        self.replies.extend(r if isinstance(r, Reply) else Reply(text=r) for r in replies)

    def reset(self) -> None:
        self.replies.clear()
        self.judge_replies.clear()
        self.requests.clear()
        self.answer_delay_s = 0.0
        self.answer_tokens = None
        self.tokens_per_s = 0.0
        self.hung = False
        self.embedding_status = 200
        self.transcript = ""

    @property
    def judge_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r and _JUDGE in r["messages"][0]["content"]]

    @property
    def answer_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "messages" in r and r["messages"][0]["role"] == "system"]

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        messages = body["messages"]
        while self.hung and not await request.is_disconnected():  # until the client gives up
            await asyncio.sleep(0.5)
        if _JUDGE in messages[0]["content"]:
            return self._reply(body, Reply(self.judge_replies.popleft() if self.judge_replies else _DEFAULT_VERDICT))
        if messages[0]["role"] != "system":  # translation or condensing
            found = _QUESTION.search(messages[-1]["content"])
            return self._reply(body, Reply(found.group(1) if found else "question"))
        reply = self.replies.popleft() if self.replies else Reply(text=_default_answer(messages, self.answer_tokens))
        if reply.delay_s or self.answer_delay_s:
            await asyncio.sleep(reply.delay_s or self.answer_delay_s)
        if reply.raw is not None and body.get("stream"):
            return Response(f"data: {reply.raw}\n\ndata: [DONE]\n\n", status_code=reply.status, media_type="text/event-stream")
        if reply.raw is not None:
            return Response(reply.raw, status_code=reply.status, media_type="application/json")
        if reply.status != 200:
            return _error(reply.status, reply.headers)
        return self._reply(body, reply)

    def _reply(self, body: dict[str, Any], reply: Reply) -> Response:
        """The completion of `reply`: whole, or streamed when the request asks."""
        if not body.get("stream"):
            return _completion(body, reply.text)
        usage = (body.get("stream_options") or {}).get("include_usage", False)
        return StreamingResponse(self._chunks(body, reply, usage), media_type="text/event-stream")

    async def _chunks(self, body: dict[str, Any], reply: Reply, usage: bool) -> AsyncIterator[str]:
        words = _WORD.findall(reply.text)
        yield _event(body, {"role": "assistant", "content": ""})
        for index, word in enumerate(words):
            if reply.stall_after is not None and index == reply.stall_after:
                await asyncio.Event().wait()  # until the client gives up and the server cancels this
            if reply.cut_after is not None and index == reply.cut_after:
                raise ConnectionAbortedError("scripted: the stream breaks off")  # uvicorn drops the connection
            if self.tokens_per_s:
                await asyncio.sleep(1 / self.tokens_per_s)
            yield _event(body, {"content": word})
        yield _event(body, {}, finish_reason="stop")
        if usage:
            yield f"data: {json.dumps(_chunk(body, choices=[], usage=_usage(body, reply.text)))}\n\n"
        yield "data: [DONE]\n\n"

    async def _transcribe(self, request: Request) -> JSONResponse:
        async with request.form() as form:
            upload = form["file"]
            audio = await upload.read() if not isinstance(upload, str) else upload.encode()
            self.requests.append({"transcription": True, "model": form.get("model"), "language": form.get("language"), "bytes": len(audio)})
        return JSONResponse({"text": self.transcript})

    async def _embeddings(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        if self.embedding_status != 200:
            return _error(self.embedding_status, {"retry-after": "0"})
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i, "embedding": _vector(str(t))} for i, t in enumerate(texts)]
        return JSONResponse({"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": 1, "total_tokens": 1}})


def _error(status: int, headers: dict[str, str]) -> JSONResponse:
    error = {"error": {"message": f"scripted {status}", "type": "server_error", "code": None}}
    return JSONResponse(error, status_code=status, headers=headers)


def _default_answer(messages: list[dict[str, str]], words: int | None) -> str:
    found = _FIRST_SOURCE.search(messages[-1]["content"])
    sentence = f"{found.group(1).strip() if found else 'See the sources.'} [1]"
    return " ".join([sentence] * (1 if words is None else -(-words // len(sentence.split()))))  # whole sentences, at least `words` words


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(m["content"]) for m in body["messages"]) // 4
    return {"prompt_tokens": prompt, "completion_tokens": len(text) // 4, "total_tokens": prompt + len(text) // 4}


def _completion(body: dict[str, Any], text: str) -> JSONResponse:
    return JSONResponse(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "test-model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": _usage(body, text),
        }
    )


def _chunk(body: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": int(time.time()), "model": body.get("model", "test-model"), **fields}


def _event(body: dict[str, Any], delta: dict[str, str], finish_reason: str | None = None) -> str:
    """One server-sent event carrying one piece of the reply."""
    return f"data: {json.dumps(_chunk(body, choices=[{'index': 0, 'delta': delta, 'finish_reason': finish_reason}]))}\n\n"


def _vector(text: str, size: int = 32) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    raw = [b / 255 - 0.5 for b in digest[:size]]
    norm = sum(x * x for x in raw) ** 0.5 or 1.0
    return [x / norm for x in raw]
