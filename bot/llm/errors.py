"""The openai SDK's exceptions, translated at the boundary so no other package imports them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import openai

from bot.errors import LLMError, LLMRateLimited, LLMTimeout


@contextmanager
def translated_errors(model: str) -> Iterator[None]:
    """Raise what the SDK raises for `model` as `LLMError` (or a subclass)."""
    try:
        yield
    except openai.APITimeoutError as exc:
        raise LLMTimeout(f"{model} did not answer in time") from exc
    except openai.RateLimitError as exc:
        raise LLMRateLimited(f"{model} is rate-limited: {exc.message}") from exc
    except openai.APIError as exc:
        raise LLMError(f"{model} failed: {exc.message}") from exc
