"""The SDK's and the HTTP clients' exceptions, translated at the boundary so no other package
imports them, each into the `LLMError` that names its real cause.

The cause matters in the logs: the HTTP client under the openai SDK reports a refused connection
as a connect *timeout*, so "did not answer in time" used to stand for a server that is down, one
that hangs, and one that is overloaded alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import httpx2
import openai

from bot.errors import LLMBadOutput, LLMError, LLMRateLimited, LLMServerError, LLMTimeout, LLMUnreachable

RETRYABLE = (LLMUnreachable, LLMTimeout, LLMServerError, LLMRateLimited)  # worth another try, time allowing


@contextmanager
def translated_errors(model: str, expected: str = "a chat completion", read_timeout_s: float | None = None) -> Iterator[None]:
    """Raise what the SDK or the HTTP client raises for `model` as `LLMError` (or a subclass);
    `expected` names the kind of reply, for a body the SDK could not read. Pass a stream's
    `read_timeout_s`: its HTTP client may give up on a stalled stream just before the caller's
    own timer does, and the owner's log should say the same either way."""
    try:
        yield
    except openai.RateLimitError as exc:
        raise LLMRateLimited(f"{model} answered 429 Too Many Requests: {exc.message}") from exc
    except openai.APIStatusError as exc:
        if exc.status_code >= 500:
            raise LLMServerError(f"{model} answered HTTP {exc.status_code}: {exc.message}") from exc
        raise LLMError(f"{model} refused the request with HTTP {exc.status_code}: {exc.message}") from exc
    except openai.APIConnectionError as exc:
        raise _connection_error(model, exc) from exc
    except openai.APIError as exc:
        raise LLMError(f"{model} failed: {exc.message}") from exc
    except (httpx.TimeoutException, httpx2.TimeoutException) as exc:  # a stream that stopped half-way is not wrapped by the SDK
        if read_timeout_s is None:
            raise LLMTimeout(f"{model} timed out: {type(exc).__name__}") from exc
        raise LLMTimeout(f"{model} timed out: the stream stopped for {read_timeout_s:g} s") from exc
    except (httpx.TransportError, httpx2.TransportError) as exc:  # a stream broken half-way is not wrapped by the SDK
        raise LLMUnreachable(f"{model} lost the connection: {type(exc).__name__}") from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a body that is not the reply expected (bad JSON, missing fields)
        raise LLMBadOutput(f"{model} sent a reply that is not {expected}: {type(exc).__name__}") from exc


def _connection_error(model: str, exc: openai.APIConnectionError) -> LLMError:
    """Refused, timed out, unreachable or dropped, read from the chain of causes under the SDK's
    error: the aiohttp transport reports a refused connection, and one the server closed, as a
    connect timeout, so only a timeout underneath counts as one."""
    causes: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in causes:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    timed_out = any(isinstance(c, TimeoutError) for c in causes) or (isinstance(exc, openai.APITimeoutError) and len(causes) == 1)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return LLMUnreachable(f"{model} refused the connection (is the model server running?)")
    if timed_out and any(isinstance(c, (httpx.ConnectTimeout, httpx2.ConnectTimeout)) for c in causes):
        return LLMTimeout(f"{model} timed out: no connection within the call's timeout")
    if timed_out:
        return LLMTimeout(f"{model} timed out: no reply within the call's timeout")
    unreachable = next((c for c in causes if isinstance(c, OSError)), None)
    if unreachable is not None:
        return LLMUnreachable(f"{model} could not be reached: {unreachable}")
    return LLMUnreachable(f"{model} lost the connection: {type(causes[-1]).__name__}")  # the cause at the bottom, e.g. a stream cut short
