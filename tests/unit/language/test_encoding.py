"""The cl100k encoding loads from the installed package and is loaded once."""

from __future__ import annotations

from bot.language import cl100k, count_cl100k


def test_the_encoding_is_cl100k_and_loaded_once() -> None:
    assert cl100k() is cl100k()
    assert cl100k().encode("hello world") == [15339, 1917]  # cl100k's ids, not another encoding's


def test_special_token_text_counts_as_plain_text() -> None:
    assert count_cl100k("<|endoftext|>") > 1
