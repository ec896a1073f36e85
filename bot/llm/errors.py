"""The openai SDK's exceptions, translated at the boundary so no other package imports them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import openai

from bot.errors import LLMBadOutput, LLMError, LLMRateLimited, LLMTimeout


@contextmanager
def translated_errors(model: str, expected: str = "a chat completion") -> Iterator[None]:
    """Raise what the SDK raises for `model` as `LLMError` (or a subclass); `expected` names the
    kind of reply, for a body the SDK could not read."""
    try:
        yield
    except openai.APITimeoutError as exc:
        raise LLMTimeout(f"{model} did not answer in time") from exc
    except openai.RateLimitError as exc:
        raise LLMRateLimited(f"{model} is rate-limited: {exc.message}") from exc
    except openai.APIError as exc:
        raise LLMError(f"{model} failed: {exc.message}") from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a body that is not the reply expected (bad JSON, missing fields)
        raise LLMBadOutput(f"{model} sent a reply that is not {expected}: {type(exc).__name__}") from exc
