"""Recorded model responses are found again for the same request, on any machine."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from bot.llm.recording import RecordingTransport, ReplayTransport, request_key

SOURCES = """<sources>
[1] Cut the electricity bill (applies to: asean)
Switch off what runs after closing time.

[2] A business continuity plan (applies to: asean)
Storms, fires or power cuts.
</sources>

<question>
how do I cut my power bill
</question>"""


def _request(user: str, model: str = "gpt-4o-mini") -> httpx.Request:
    body = {"model": model, "messages": [{"role": "system", "content": "rules"}, {"role": "user", "content": user}], "temperature": 0.1}
    return httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions", content=json.dumps(body).encode())


def test_the_key_ignores_which_passages_of_the_same_documents_were_retrieved_and_their_order() -> None:
    """Passage ranks hinge on scores five decimals apart, which another machine can swap (issue 10)."""
    reordered = SOURCES.replace("Switch off what runs after closing time.", "Replace the lamps that burn longest with LED.")
    reordered = reordered.replace("[1] Cut the electricity bill", "[9] Cut the electricity bill").replace("[2] A business", "[1] A business")
    assert request_key(_request(reordered)) == request_key(_request(SOURCES))


def test_the_key_changes_with_the_documents_the_question_or_the_model() -> None:
    key = request_key(_request(SOURCES))
    other_document = SOURCES.replace("A business continuity plan", "Flood insurance")
    assert request_key(_request(other_document)) != key
    assert request_key(_request(SOURCES.replace("power bill", "water bill"))) != key
    assert request_key(_request(SOURCES, model="gpt-4o")) != key


def test_the_key_is_the_same_whichever_server_the_request_went_to() -> None:
    here = _request(SOURCES)
    there = httpx.Request("POST", "https://api.example.org/v1/chat/completions", content=here.content)
    assert request_key(here) == request_key(there)


def test_the_key_is_the_same_whether_the_reply_is_streamed_or_not() -> None:
    """The openai client says `"stream": false` for a whole reply: recordings made before answers
    were streamed keep their keys."""
    whole = _request(SOURCES)
    body = json.loads(whole.content)
    plain = httpx.Request("POST", whole.url, content=json.dumps(body | {"stream": False}).encode())
    streamed = httpx.Request("POST", whole.url, content=json.dumps(body | {"stream": True, "stream_options": {"include_usage": True}}).encode())
    assert request_key(streamed) == request_key(plain)


EVENTS = "".join(
    f"data: {json.dumps(chunk)}\n\n"
    for chunk in (
        {"id": "c1", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]},
        {"id": "c1", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"content": "Switch off"}, "finish_reason": None}]},
        {"id": "c1", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"content": " at night [1]."}, "finish_reason": "stop"}]},
        {"id": "c1", "created": 1, "model": "m", "choices": [], "usage": {"prompt_tokens": 30, "completion_tokens": 6, "total_tokens": 36}},
    )
) + "data: [DONE]\n\n"  # fmt: skip


def _streamed(request: httpx.Request, stream: bool = True) -> httpx.Request:
    """`request` as the openai client sends it, asking for a stream or not."""
    return httpx.Request("POST", request.url, content=json.dumps(json.loads(request.content) | {"stream": stream}).encode())


async def test_a_streamed_reply_is_recorded_as_its_completion_and_replayed_streamed_or_whole(tmp_path: Path) -> None:
    """CI replays recordings made before answers were streamed, and a recording made of a stream
    serves a plain call too: the file holds completions only."""
    server = httpx.MockTransport(lambda request: httpx.Response(200, text=EVENTS, headers={"content-type": "text/event-stream"}))
    recording = tmp_path / "model.jsonl"
    await RecordingTransport(recording, inner=server).handle_async_request(_streamed(_request(SOURCES)))
    [entry] = [json.loads(line) for line in recording.read_text(encoding="utf-8").splitlines()]
    assert entry["response"]["choices"][0]["message"]["content"] == "Switch off at night [1]."
    assert entry["response"]["usage"]["completion_tokens"] == 6

    replay = ReplayTransport(recording)
    whole = await replay.handle_async_request(_streamed(_request(SOURCES), stream=False))
    assert whole.json() == entry["response"]
    again = tmp_path / "again.jsonl"  # the replayed events add up to the same completion
    await RecordingTransport(again, inner=replay).handle_async_request(_streamed(_request(SOURCES)))
    assert json.loads(again.read_text(encoding="utf-8"))["response"]["choices"] == entry["response"]["choices"]
