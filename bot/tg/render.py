"""Answer → Telegram messages: escaped HTML, numbered source links, split under 4096 characters.

Every piece of text is escaped; the only tags are our own <b>, <i> and <a>, and a message is cut
only between blocks (paragraphs, source lines) or, for an over-long paragraph, between
sentences or words before escaping, so no tag or entity is ever cut. Each part keeps a plain
twin, sent instead if Telegram rejects the formatting.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import ALL_ASEAN, Answer, CitedSource

TELEGRAM_LIMIT = 4096
SNIPPET_CHARS = 240
_SENTENCE = re.compile(r"(?<=[.!?។။])\s+")


@dataclass(frozen=True)
class Part:
    """One message: HTML and the same text without markup."""

    html: str
    plain: str


@dataclass(frozen=True)
class _Block:
    html: str
    plain: str


def render_answer(answer: Answer, sources_heading: str, applies_to: str, limit: int = TELEGRAM_LIMIT) -> list[Part]:
    """The messages that carry `answer`: its paragraphs, then its numbered sources."""
    blocks = [_text_block(p) for p in re.split(r"\n\s*\n", answer.text) if p.strip()]
    if answer.sources:
        blocks += _source_blocks(answer.sources, sources_heading, applies_to)
    return _pack(blocks, limit)


def render_sources(sources: Sequence[CitedSource], heading: str, applies_to: str, limit: int = TELEGRAM_LIMIT) -> list[Part]:
    """/sources: the numbered sources again, each followed by a short snippet of what it says."""
    return _pack(_source_blocks(sources, heading, applies_to, with_snippets=True), limit)


def _source_blocks(sources: Sequence[CitedSource], heading: str, applies_to: str, *, with_snippets: bool = False) -> list[_Block]:
    """The heading, then one block per source: number, linked title, where it applies, its date."""
    blocks = [_Block(f"<b>{html.escape(heading)}</b>", heading)]
    for source in sources:
        where = f" — {applies_to}: {', '.join(source.countries)}" if ALL_ASEAN not in source.countries else ""
        when = f" ({source.date})" if source.date and source.date != "n.d." else ""
        title = html.escape(source.title)
        link = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>' if source.url else title
        block = _Block(f"{source.number}. {link}{html.escape(where + when)}", f"{source.number}. {source.title}{where}{when} {source.url}".rstrip())
        if with_snippets and source.snippet:
            snippet = _shorten(source.snippet)
            block = _Block(f"{block.html}\n<i>{html.escape(snippet)}</i>", f"{block.plain}\n{snippet}")
        blocks.append(block)
    return blocks


def _shorten(text: str, limit: int = SNIPPET_CHARS) -> str:
    """At most `limit` characters of one line, cut at a word where there is one."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"{cut}…"


def render_sections(sections: list[tuple[str, str]], limit: int = TELEGRAM_LIMIT) -> list[Part]:
    """Blocks of text each under a bold heading (none where the heading is empty), such as a
    programme's card."""
    blocks = []
    for heading, text in sections:
        lines = [(f"<b>{html.escape(heading)}</b>", heading)] if heading else []
        lines += [(html.escape(text.strip()), text.strip())] if text.strip() else []
        blocks.append(_Block("\n".join(marked for marked, _ in lines), "\n".join(plain for _, plain in lines)))
    return _pack(blocks, limit)


def render_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[Part]:
    """Plain bot text (greetings, refusals) as escaped HTML parts."""
    return _pack([_text_block(p) for p in re.split(r"\n\s*\n", text) if p.strip()], limit)


def _text_block(paragraph: str) -> _Block:
    return _Block(html.escape(paragraph.strip()), paragraph.strip())


def _pack(blocks: list[_Block], limit: int) -> list[Part]:
    """Greedily fill messages with whole blocks, splitting only blocks that alone are too long."""
    pieces = [piece for block in blocks for piece in _fit(block, limit)]
    parts: list[Part] = []
    html_buf: list[str] = []
    plain_buf: list[str] = []
    for piece in pieces:
        candidate = "\n\n".join([*html_buf, piece.html])
        if html_buf and len(candidate) > limit:
            parts.append(Part("\n\n".join(html_buf), "\n\n".join(plain_buf)))
            html_buf, plain_buf = [], []
        html_buf.append(piece.html)
        plain_buf.append(piece.plain)
    if html_buf:
        parts.append(Part("\n\n".join(html_buf), "\n\n".join(plain_buf)))
    return parts


def _fit(block: _Block, limit: int) -> list[_Block]:
    """A block short enough, or its plain text cut at sentences, then words, then characters."""
    if len(block.html) <= limit:
        return [block]
    for pattern in (_SENTENCE, re.compile(r"\s+")):
        pieces = [p for p in pattern.split(block.plain) if p]
        if len(pieces) > 1:
            return [fitted for chunk in _group(pieces, limit, " ") for fitted in _fit(_text_block(chunk), limit)]
    step = max(1, limit // 6)  # escaping can grow a character to six ("&quot;")
    return [_text_block(block.plain[i : i + step]) for i in range(0, len(block.plain), step)]


def _group(pieces: list[str], limit: int, joiner: str) -> list[str]:
    """Join consecutive pieces while their escaped form stays within `limit`."""
    groups: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{joiner}{piece}" if current else piece
        if current and len(html.escape(candidate)) > limit:
            groups.append(current)
            current = piece
        else:
            current = candidate
    if current:
        groups.append(current)
    return groups
