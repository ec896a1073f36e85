"""Guide text → whole sentences, the units that are embedded, searched and quoted, in nine languages.

Markdown is removed (a link keeps its text); headings are not sentences; a table row is read as a
sentence ("Country: Viet Nam; Year: 2023; Factor: 0.6592"). A sentence is never cut: one too
long to quote is split at a clause boundary, or kept for search only (LONG). Lines that only lead
into a list ("Take these steps:") and a guide's sentences about itself ("This page explains…")
and the questions a guide asks its reader are marked, so that they are never quoted alone.

Sentence ends differ by script: Latin punctuation, the Khmer khan (។), the Burmese section mark
(။). Thai writes no full stop and Lao seldom does, and a space in them ends a phrase as often as a
sentence, so their guides end each sentence of a paragraph with a line break (knowledge/README.md):
in those scripts a line is a sentence.
"""

from __future__ import annotations

import re

from bot.domain import Sentence, SentenceKind

MAX_CHARS = 360  # longer sentences are split at a clause boundary, or kept for search only
_MIN_CHARS = 12

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s+")
_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
# A sentence ends at ". " before a capital after a small letter, a figure or a closing mark, and
# also after an acronym ("into the EU. They") or a unit ("25°C. In Singapore"); a lone capital is
# an initial ("J. Smith") and ends nothing.
_LATIN_END = re.compile(r"(?:(?<=[a-z0-9%)\]”\"'][.!?])|(?<=[A-Z]{2}[.!?])|(?<=°[CF][.!?]))\s+(?=[\"“(]?[A-ZÀ-ỸĐ])", re.UNICODE)
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|No|Dr|Mr|Mrs|Ms|St|Co|Ltd|Inc|approx|U\.S|Rp|PT|CV|Sdn|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)
_SCRIPT_END = re.compile(r"(?<=[។။])\s*|\n")  # and a line break inside a block: Thai and Lao end sentences so
_THAI_LAO = re.compile(r"[\u0E00-\u0EFF]")
_THAI_LAO_STOP = re.compile(r"(?<=[\u0E00-\u0EFF]{4}[.!?])\s+(?=[\u0E00-\u0EFF])")  # not after an abbreviation: "สปป. ลาว", "พ.ศ. 2567"
_GUIDE_LINK = r"\[[^\]]*\]\([^()\s]*\.md\)"
_GUIDE_LINK_TEXT = re.compile(r"\[([^\]]+)\]\([^()\s]*\.md\)")
# "See" and "read" in the languages we serve: a sentence that names another guide and says this is
# a pointer, whatever its word order ("សម្រាប់ព័ត៌មានបន្ថែម សូមមើល [x](x.md)", "[x](x.md) ကို ကြည့်ပါ").
# "The steps in [guide]" points away too: the steps are in the other guide, not in the sentence.
# (Without "đọc", "อ่าน", "អាន", "ອ່ານ" and "ဖတ်", "if you run fridges, read [x] and [y]" opened
# the offline answer to "how do I cut my fridge's power bill?" in Vietnamese.)
_SEE = re.compile(
    r"\b(see|read|xem|đọc|lihat|rujuk|baca|tingnan|basahin|steps in|các bước trong|langkah-langkah di|langkah dalam|mga hakbang sa)\b"
    r"|ดู|อ่าน|មើល|អាន|ເບິ່ງ|ອ່ານ|ကြည့်|ဖတ်|ขั้นตอนใน|ជំហាននៅក្នុង|ຂັ້ນຕອນໃນ|ရှိ အဆင့်များ",
    re.IGNORECASE,
)
_CROSS_REFERENCE = re.compile(
    rf"\s*\((?:[^()]|\([^()]*\))*?{_GUIDE_LINK}(?:[^()]|\([^()]*\))*?\)"  # (see [x](x.md))
    rf"|\s*[;；][^;；]*?{_GUIDE_LINK}[^;；.。]*(?=[.。]|$)"  # ; see [x](x.md) for more.
)
_ITEM_END = re.compile(r"(?:[;,.]|;? (?:and|or))$")  # how a list item that continues a sentence ends
_POINTER = re.compile(r"^[^:]{1,40}: (see|xem|lihat|rujuk|tingnan|ดู|មើល|ເບິ່ງ) ", re.IGNORECASE)  # "Malaysia: see green finance in Malaysia"
_CLAUSE = re.compile(r"(?<=[;；])\s+")
_LEADS = (":", "：", "៖", "ดังนี้", "ต่อไปนี้", "ດັ່ງນີ້", "ຕໍ່ໄປນີ້", "ដូចខាងក្រោម", "အောက်ပါအတိုင်း")
# "The following" anywhere in the sentence just before a list: a lead-in, even when a translation
# ends it with a full stop ("… အောက်ပါ သတ်မှတ်ချက်များ ရှိခဲ့သည်။", "had the following terms.").
_FOLLOWING = re.compile(r"\b(following|berikut|sau đây|sumusunod)\b|ดังนี้|ต่อไปนี้|ດັ່ງນີ້|ຕໍ່ໄປນີ້|ខាងក្រោម|အောက်ပါ", re.IGNORECASE)
# A question the guide asks the reader: a question mark, or a Burmese question particle before the section mark.
_QUESTION = re.compile(r"[?？]$|(?:လား|နည်း|သလဲ)။?$")
# The guide about itself or pointing to another, in the languages we serve (accents as written).
# Filipino puts the verb first: "Tinatalakay ng pahinang ito …" (this page discusses …).
_META = re.compile(
    r"^(this (page|guide|section|document)|here we|see |xem |lihat |rujuk |tingnan |trang này|hướng dẫn này|bài này|bài viết này|tài liệu này|"
    r"หน้านี้|คู่มือนี้|halaman ini|panduan ini|pahinang ito|gabay na ito|ang gabay na ito|ang pahinang ito|\w+ ng (pahinang|gabay na) ito|ទំព័រនេះ|មគ្គុទ្ទេសក៍នេះ|"
    r"ໜ້ານີ້|ຄູ່ມືນີ້|ဤစာမျက်နှာ|ဤလမ်းညွှန်)",
    re.IGNORECASE,
)

# A sentence that leans on the one before it: it opens with a pronoun or a connective ("It
# added…", "So an LED…", "Turn them into…", "Vì vậy…", "ดังนั้น…"). It may support an answer, not open one. Thai
# "แต่" and Lao "ແຕ່" (but) are left out: they also begin "each" and "to cook".
_LEANS_BACK = re.compile(
    r"^(It|They|Them|These|Those|This|That|Such|So|Therefore|However|But|Also|Thus|Hence)\b|^\w+ (them|these|those|it)\b"
    r"|^(Nó|Chúng(?! tôi)|Điều này|Việc này|Vì vậy|Do đó|Tuy nhiên|Nhưng|Ngoài ra)\b"
    r"|^(Hal ini|Ini|Itu|Mereka|Oleh karena itu|Karena itu|Namun|Tetapi|Oleh itu|Walau bagaimanapun|Selain itu)\b"
    r"|^(Ito|Iyan|Sila|Kaya|Gayunman|Pero|Ngunit|Dahil dito)\b"
    r"|^(สิ่งนี้|ดังนั้น|นี่คือ|อย่างไรก็ตาม|นอกจากนี้|ដូច្នេះ|ប៉ុន្តែ|នេះ|ດັ່ງນັ້ນ|ນີ້|ထို့ကြောင့်|သို့သော်|ဤ|၎င်း)"
)


def leans_back(sentence: str) -> bool:
    """Whether the sentence needs the one before it to be understood."""
    return _LEANS_BACK.match(sentence) is not None


def split_sentences(text: str) -> list[Sentence]:
    """The units of a passage of guide text, in order, each marked with its kind."""
    units: list[Sentence] = []
    header: list[str] | None = None
    blocks = _paragraphs(text)
    for at, line in enumerate(blocks):
        if line.startswith("|"):
            header, row = _table_line(line, header)
            if row:
                units.append(Sentence(row))
            continue
        header = None
        if line.startswith("#") or set(line) <= set("-=*_ "):
            continue
        is_item = _LIST_MARKER.match(line) is not None
        pointers = _GUIDE_LINK_TEXT.findall(line)
        item = _clean(_LIST_MARKER.sub("", line))
        lead = next((u.text for u in reversed(units) if u.kind is not SentenceKind.LIST_ITEM), None) if is_item else None
        if lead is not None and lead.endswith(":") and item[:1].islower():
            # "The EUDR applies:" / "- from 30 June 2027 for small operators;" is one statement
            item = f"{lead} {_ITEM_END.sub('', item)}."
        pieces = _sentences_of(item)
        list_next = at + 1 < len(blocks) and _LIST_MARKER.match(blocks[at + 1]) is not None
        for n, (piece, fits) in enumerate(pieces):
            leads = list_next and not is_item and n == len(pieces) - 1 and _FOLLOWING.search(piece) is not None
            kind = SentenceKind.LEAD_IN if leads else _kind(piece, is_item, pointers) if fits else SentenceKind.LONG
            units.append(Sentence(piece, kind))
    return units


def unquotable_lines(text: str) -> list[tuple[int, int]]:
    """(line index, characters) for each sentence of `text` longer than an offline answer quotes
    whole, so that `knowledge check` can point at it: it is split at its semicolons or kept for
    search only, and part or all of it is never quoted."""
    return [
        (at, len(sentence))
        for at, line in enumerate(text.splitlines())
        if not line.startswith(("#", "|"))
        for sentence in _whole_sentences(_clean(_LIST_MARKER.sub("", line)))
        if len(sentence) > MAX_CHARS
    ]


def _paragraphs(text: str) -> list[str]:
    """Markdown's blocks, one string each: a paragraph over several lines is joined, as is a list
    item's continuation; headings, table rows and list items start their own."""
    blocks: list[str] = []
    joinable = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            joinable = False
            continue
        starts_block = line.startswith(("#", "|")) or _LIST_MARKER.match(line) is not None
        if joinable and not starts_block:  # a Thai or Lao line ends its sentence; elsewhere lines wrap
            blocks[-1] += ("\n" if _THAI_LAO.search(line) else " ") + line
        else:
            blocks.append(line)
        joinable = not line.startswith(("#", "|"))
    return blocks


def _table_line(line: str, header: list[str] | None) -> tuple[list[str] | None, str]:
    """A Markdown table line: the header row is remembered, each body row read against it."""
    cells = [_clean(cell) for cell in line.strip("|").split("|")]
    if _TABLE_RULE.match(line):
        return header, ""
    if header is None:
        return cells, ""
    pairs = [f"{name}: {value}" if name else value for name, value in zip(header, cells, strict=False) if value]
    return header, "; ".join(pairs)


def _clean(line: str) -> str:
    """Markdown out, a link's text in; spaces tidied, line breaks kept. A pointer to another guide in brackets or
    after a semicolon ("; see [quick wins](quick-wins.md) for what LEDs save") goes: offline it
    points nowhere, and the sentence reads whole without it."""
    line = _CROSS_REFERENCE.sub("", line)
    line = _LINK.sub(lambda m: m.group(1), line)
    return "\n".join(" ".join(part.split()) for part in _EMPHASIS.sub("", line).splitlines())


def _sentences_of(block: str) -> list[tuple[str, bool]]:
    """(sentence, whether it fits MAX_CHARS) for each sentence of a block."""
    return [unit for sentence in _whole_sentences(block) for unit in _fit(sentence)]


def _whole_sentences(block: str) -> list[str]:
    """A block's sentences, at each script's sentence ends, however long."""
    pieces = (piece.strip() for part in _SCRIPT_END.split(block) for sentence in _split_latin(part) for piece in _THAI_LAO_STOP.split(sentence))
    return [piece for piece in pieces if len(piece) >= _MIN_CHARS]


def _split_latin(text: str) -> list[str]:
    """At ". " before a capital, unless the dot ends an abbreviation."""
    parts: list[str] = []
    start = 0
    for match in _LATIN_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]):
            continue
        parts.append(text[start : match.start()])
        start = match.end()
    parts.append(text[start:])
    return parts


def _fit(sentence: str) -> list[tuple[str, bool]]:
    """A sentence within MAX_CHARS: whole, or split at its semicolons, each part quotable only when
    it can stand alone (it starts like a sentence, not with a small letter); else kept whole for
    search and never quoted."""
    if len(sentence) <= MAX_CHARS:
        return [(sentence, True)]
    clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
    if len(clauses) > 1 and all(len(c) <= MAX_CHARS for c in clauses):
        return [(clause, not clause[0].islower()) for clause in clauses]
    return [(sentence, False)]


def _kind(sentence: str, is_item: bool, pointers: list[str]) -> SentenceKind:
    """`pointers`: the texts of the links to other guides on the sentence's line."""
    if sentence.endswith(_LEADS) or (is_item and sentence.endswith((";", "；"))):  # an item that continues a sentence
        return SentenceKind.LEAD_IN
    points_away = any(text in sentence for text in pointers) and _SEE.search(sentence) is not None
    if points_away or _META.match(sentence) or _POINTER.search(sentence):
        return SentenceKind.META
    if _QUESTION.search(sentence):
        return SentenceKind.QUESTION
    return SentenceKind.LIST_ITEM if is_item else SentenceKind.SENTENCE
