"""The openai SDK's errors become the `LLMError` that names their real cause."""

from __future__ import annotations

import aiohttp
import httpx2
import openai
import pytest

from bot.errors import LLMBadOutput, LLMError, LLMRateLimited, LLMServerError, LLMTimeout, LLMUnreachable
from bot.llm.errors import translated_errors

REQUEST = httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def _caused(error: openai.APIConnectionError, *causes: BaseException) -> openai.APIConnectionError:
    """`error` raised from the chain `causes`, as the SDK and the HTTP client raise it."""
    chain: BaseException = error
    for cause in causes:
        chain.__cause__ = cause
        chain = cause
    return error


def _status(kind: type[openai.APIStatusError], status: int) -> openai.APIStatusError:
    return kind(f"scripted {status}", response=httpx2.Response(status, request=REQUEST), body=None)


@pytest.mark.parametrize(
    ("raised", "expected", "says"),
    [
        # what the SDK reports for a server that is down: a connect *timeout*, refused underneath
        (_caused(openai.APITimeoutError(REQUEST), httpx2.ConnectTimeout("Cannot connect"), ConnectionRefusedError(111, "Connect call failed")),
         LLMUnreachable, "refused the connection"),
        (_caused(openai.APITimeoutError(REQUEST), httpx2.ConnectTimeout("Connection timeout"), TimeoutError()), LLMTimeout, "no connection within"),
        # what the same transport reports when the server closed a pooled connection
        (_caused(openai.APITimeoutError(REQUEST), httpx2.ConnectTimeout("Server disconnected"), aiohttp.ServerDisconnectedError()),
         LLMUnreachable, "lost the connection: ServerDisconnectedError"),
        (openai.APITimeoutError(REQUEST), LLMTimeout, "no reply within the call's timeout"),
        (_caused(openai.APIConnectionError(request=REQUEST), OSError(-2, "Name or service not known")), LLMUnreachable, "could not be reached"),
        (_status(openai.RateLimitError, 429), LLMRateLimited, "429"),
        (_status(openai.InternalServerError, 502), LLMServerError, "HTTP 502"),
        (_status(openai.NotFoundError, 404), LLMError, "refused the request with HTTP 404"),
        (httpx2.RemoteProtocolError("peer closed connection"), LLMUnreachable, "lost the connection: RemoteProtocolError"),
        (KeyError("choices"), LLMBadOutput, "not a chat completion"),
    ],
    ids=["refused", "connect-timeout", "server-closed", "read-timeout", "no-such-host", "429", "5xx", "404", "broken-stream", "bad-body"],
)  # fmt: skip
def test_each_failure_is_named_by_its_cause(raised: BaseException, expected: type[LLMError], says: str) -> None:
    with pytest.raises(LLMError) as caught, translated_errors("test-model"):
        raise raised
    assert type(caught.value) is expected and says in str(caught.value) and str(caught.value).startswith("test-model ")


def test_a_stream_the_http_client_gave_up_on_reads_as_the_stall_it_was() -> None:
    """The HTTP client's read timeout and the stream's own stall timer run out at the same moment;
    whichever wins, the log says the stream stopped."""
    with pytest.raises(LLMTimeout, match=r"^test-model timed out: the stream stopped for 0\.5 s$"), translated_errors("test-model", read_timeout_s=0.5):
        raise httpx2.ReadTimeout("Timeout on reading data from socket")
