"""The model client over real HTTP against the local OpenAI-compatible server: retries, the
answer's deadline, and failures named by their cause."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.config import LLMSettings
from bot.domain import Role
from bot.errors import LLMError, LLMRateLimited, LLMServerError, LLMTimeout, LLMUnreachable
from bot.llm import ChatClient
from tests.servers.openai_compatible import FakeOpenAI, Reply
from tests.servers.uvicorn_thread import free_port

pytestmark = pytest.mark.integration

MESSAGES: list[tuple[Role, str]] = [("system", "Answer from the sources."), ("user", "How much do LED lamps save?")]
MakeClient = Callable[..., ChatClient]


@pytest.fixture
async def make_client(fake_openai: FakeOpenAI) -> AsyncIterator[MakeClient]:
    clients: list[ChatClient] = []

    def make(**llm: Any) -> ChatClient:
        settings = {"base_url": fake_openai.base_url, "answer_model": "test-model", "max_retries": 2, "retry_backoff_s": 0.01, **llm}  # type: ignore[attr-defined]
        clients.append(ChatClient(LLMSettings(**settings)))
        return clients[-1]

    yield make
    for client in clients:
        await client.aclose()


async def test_429_and_5xx_are_tried_again(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(Reply(status=429, headers={"retry-after": "0"}), Reply(status=502), "LED lamps save up to 90% [1].")
    completion = await make_client().complete(MESSAGES)
    assert completion.text == "LED lamps save up to 90% [1]." and len(fake_openai.answer_requests) == 3


@pytest.mark.parametrize(
    ("replies", "expected", "says"),
    [
        ([Reply(status=500)] * 3, LLMServerError, "answered HTTP 500"),
        ([Reply(status=429, headers={"retry-after": "0"})] * 3, LLMRateLimited, "429 Too Many Requests"),
    ],
    ids=["5xx", "429"],
)
async def test_what_fails_after_the_retries_names_its_cause(
    make_client: MakeClient, fake_openai: FakeOpenAI, replies: list[Reply], expected: type[LLMError], says: str
) -> None:
    fake_openai.enqueue(*replies)
    with pytest.raises(expected, match=says):
        await make_client().complete(MESSAGES)
    assert len(fake_openai.answer_requests) == 3


async def test_a_server_that_is_down_is_reported_as_refusing_not_as_slow(make_client: MakeClient) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{free_port()}/v1")
    with pytest.raises(LLMUnreachable, match="refused the connection"):
        await client.complete(MESSAGES, deadline=time.monotonic() + 30)


async def test_a_hung_server_is_given_up_at_the_deadline_and_not_tried_again(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(Reply(text="too late [1].", delay_s=3.0))
    with pytest.raises(LLMTimeout, match="the answer's deadline"):
        await make_client(timeout_s=30).complete(MESSAGES, deadline=time.monotonic() + 0.5)
    assert len(fake_openai.answer_requests) == 1


async def test_a_retry_the_deadline_cannot_wait_for_is_not_made(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(Reply(status=503, headers={"retry-after": "30"}), "never asked [1].")
    with pytest.raises(LLMServerError, match="HTTP 503"):
        await make_client().complete(MESSAGES, deadline=time.monotonic() + 5)
    assert len(fake_openai.answer_requests) == 1


# --- streaming ---------------------------------------------------------------------------------


async def test_a_reply_is_streamed_as_it_is_written_and_ends_with_its_token_counts(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.tokens_per_s = 200
    fake_openai.enqueue("LED lamps use up to 90% less energy than old bulbs, and they last five times longer [1].")
    pieces = [completion async for completion in make_client(stream_every_s=0).stream(MESSAGES)]
    texts = [p.text for p in pieces]
    assert len(pieces) > 2 and all(later.startswith(earlier) for earlier, later in itertools.pairwise(texts))  # each grows the last
    assert texts[-1] == "LED lamps use up to 90% less energy than old bulbs, and they last five times longer [1]."
    assert pieces[-1].completion_tokens > 0 and pieces[-1].prompt_tokens > 0 and all(p.completion_tokens == 0 for p in pieces[:-1])
    [request] = fake_openai.answer_requests
    assert request["stream"] is True and request["stream_options"] == {"include_usage": True}


async def test_the_caller_collects_a_fast_stream_in_a_few_pieces_not_one_per_word(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(" ".join(["Switch off the lights [1]."] * 50))  # 250 words, sent at once
    pieces = [completion async for completion in make_client(stream_every_s=60).stream(MESSAGES)]
    assert len(pieces) <= 2  # what arrived before the first collection, then the end (handed over at once)


async def test_a_stream_that_breaks_off_fails_with_its_cause(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(Reply(text="LED lamps use up to 90% less energy [1].", cut_after=3))
    with pytest.raises(LLMUnreachable, match="lost the connection"):
        _ = [completion async for completion in make_client().stream(MESSAGES)]
    assert len(fake_openai.answer_requests) == 1  # a stream that began is not asked again


async def test_a_stream_still_being_written_at_the_deadline_is_given_up(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.tokens_per_s = 10
    fake_openai.enqueue(" ".join(["Switch off the lights [1]."] * 20))  # 10 s of words
    pieces = []
    with pytest.raises(LLMTimeout, match="the answer's deadline"):
        async for completion in make_client(stream_every_s=0).stream(MESSAGES, deadline=time.monotonic() + 1.0):
            pieces.append(completion)
    assert pieces and pieces[-1].completion_tokens == 0  # some of it was shown, never the end


async def test_opening_a_stream_is_tried_again(make_client: MakeClient, fake_openai: FakeOpenAI) -> None:
    fake_openai.enqueue(Reply(status=502), "Count the bulbs that burn longest [1].")
    pieces = [completion async for completion in make_client().stream(MESSAGES)]
    assert pieces[-1].text == "Count the bulbs that burn longest [1]." and len(fake_openai.answer_requests) == 2


async def test_a_recorded_stream_replays_streamed_and_whole_without_a_server(make_client: MakeClient, fake_openai: FakeOpenAI, tmp_path: Path) -> None:
    recording = tmp_path / "model.jsonl"
    fake_openai.enqueue("Count the bulbs that burn longest [1].")
    recorded = [c async for c in make_client(record_file=recording).stream(MESSAGES)]
    player = make_client(base_url=None, replay_file=recording)
    replayed = [c async for c in player.stream(MESSAGES)]
    assert replayed[-1] == recorded[-1] and replayed[-1].text == "Count the bulbs that burn longest [1]."
    assert await player.complete(MESSAGES) == recorded[-1]
    assert len(fake_openai.answer_requests) == 1
