"""Rendering answers for Telegram: escaping, source links, splitting under the limit."""

from __future__ import annotations

import re

from bot.domain import Answer, AnswerMode, CitedSource
from bot.tg.render import SNIPPET_CHARS, TELEGRAM_LIMIT, render_answer, render_sections, render_sources, render_text

SOURCE = CitedSource(
    number=1,
    id="x",
    original_id="x",
    title="Fees <2024> & more",
    url="https://example.org/a?b=1&c=2",
    snippet="",
    countries=("MY",),
    date="2024-06-27",
)


def _answer(text: str, *sources: CitedSource) -> Answer:
    return Answer(text=text, language="en", mode=AnswerMode.OFFLINE, sources=tuple(sources))


def test_text_and_titles_are_escaped_and_sources_linked() -> None:
    [part] = render_answer(_answer("Use <LED> lamps & save [1]", SOURCE), "Sources", "applies to")
    assert "Use &lt;LED&gt; lamps &amp; save [1]" in part.html
    assert '1. <a href="https://example.org/a?b=1&amp;c=2">Fees &lt;2024&gt; &amp; more</a> — applies to: MY (2024-06-27)' in part.html
    assert "<b>Sources</b>" in part.html
    assert part.plain.endswith("1. Fees <2024> & more — applies to: MY (2024-06-27) https://example.org/a?b=1&c=2")


def test_asean_wide_sources_have_no_country_line() -> None:
    asean = CitedSource(number=2, id="y", original_id="y", title="T", url="https://e.org", snippet="", countries=("asean",), date="n.d.")
    [part] = render_answer(_answer("a", asean), "Sources", "applies to")
    assert part.html.endswith('2. <a href="https://e.org">T</a>')


def test_long_answers_split_at_paragraphs_and_sentences_without_cutting_tags() -> None:
    paragraph = " ".join(f"Sentence {i} says <this> & that." for i in range(60))
    text = "\n\n".join([paragraph] * 6)
    parts = render_answer(_answer(text, SOURCE), "Sources", "applies to")
    assert len(parts) >= 3
    for part in parts:
        assert len(part.html) <= TELEGRAM_LIMIT
        assert part.html.count("<a ") == part.html.count("</a>") and part.html.count("<b>") == part.html.count("</b>")
        assert not re.search(r"&[a-z]*$", part.html)  # no entity cut at the end
    joined = " ".join(p.plain for p in parts)
    assert joined.count("Sentence 59 says <this> & that.") == 6


def test_a_single_giant_word_is_still_cut() -> None:
    parts = render_text("&" * 10_000)
    assert all(len(p.html) <= TELEGRAM_LIMIT for p in parts)
    assert "".join(p.plain for p in parts) == "&" * 10_000


def test_sources_command_shows_escaped_short_snippets() -> None:
    source = CitedSource(number=3, id="x", original_id="x", title="T & U", url="https://e.org", snippet="Keep <doors> shut. " * 40, countries=("asean",))
    [part] = render_sources([source], "Sources", "applies to")
    assert part.html.startswith('<b>Sources</b>\n\n3. <a href="https://e.org">T &amp; U</a>\n<i>Keep &lt;doors&gt; shut.')
    snippet = part.plain.splitlines()[-1]
    assert len(snippet) <= SNIPPET_CHARS + 1 and snippet.endswith("…")


def test_sections_have_bold_escaped_headings_and_may_have_none() -> None:
    [part] = render_sections([("Fees <2024>", "Up to 70% & more\n"), ("", "Last checked: 2026-12-05.")])
    assert part.html == "<b>Fees &lt;2024&gt;</b>\nUp to 70% &amp; more\n\nLast checked: 2026-12-05."
    assert part.plain == "Fees <2024>\nUp to 70% & more\n\nLast checked: 2026-12-05."
