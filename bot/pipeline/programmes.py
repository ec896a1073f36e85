"""Programmes in answers: a question about money for a project (a loan, grant, guarantee or tax
incentive) or about a label names the programmes of the directory open for the owner's country
on the answer's day, each card a numbered source; and a programme that the question or the
answer names but that is not open on that day is said to be closed (or not open yet).

So an answer never offers a closed programme as open, even when a guide written before it
closed still speaks of it. What a question asks for is read by rules over accent-free,
case-folded text in the nine languages, like intent.py: clear words only ("loan", "vay vốn",
"สินเชื่อ"), never "money" alone ("tiền điện" is a power bill), and certification rather than
a certificate (CBAM certificates are bought, not applied for).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain import ALL_ASEAN, CitedSource
from bot.knowledge import Directory, Programme, ProgrammeKind, ProgrammeStatus, Shown
from bot.knowledge.schema import ENGLISH
from bot.language import fold
from bot.prompts import Prompts

_MONEY = (ProgrammeKind.LOAN, ProgrammeKind.GRANT, ProgrammeKind.GUARANTEE, ProgrammeKind.TAX)
# What a question asks for, by the kinds of programme that give it (accent-free, case-folded;
# Thai, Lao, Khmer and Burmese as written).
_ASKS: tuple[tuple[tuple[ProgrammeKind, ...], re.Pattern[str]], ...] = (
    (
        (ProgrammeKind.LOAN, ProgrammeKind.GUARANTEE),
        re.compile(
            r"\b(loans?|borrow\w*|lend\w*|guarantee[sd]?|khoan vay|vay von|vay tien|vay uu dai|tin dung|bao lanh|"
            r"pinjaman|pembiayaan|kredit usaha|jaminan kredit|pautang|mangutang|umutang)\b"
            r"|สินเชื่อ|เงินกู้|กู้เงิน|ค้ำประกัน|ឥណទាន|ប្រាក់កម្ចី|ខ្ចីប្រាក់|ເງິນກູ້|ກູ້ຢືມ|ສິນເຊື່ອ|ချေးငွေ|ငွေချေး"
        ),
    ),
    (
        (ProgrammeKind.GRANT,),
        re.compile(
            r"\b(grants?|subsid\w*|rebates?|co-fund\w*|tai tro|tro cap|ho tro tai chinh|khong hoan lai|"
            r"hibah|geran|subsidi|insentif|bantuan dana|bantuan kewangan|bantuan keuangan|subsidiya|ayuda)\b"
            r"|เงินอุดหนุน|ทุนสนับสนุน|ជំនួយឥតសំណង|ឧបត្ថម្ភធន|ທຶນຊ່ວຍເຫຼືອ|ເງິນອຸດໜູນ|ထောက်ပံ့ငွေ|ထောက်ပံ့ကြေး"
        ),
    ),
    (
        (ProgrammeKind.TAX,),
        re.compile(
            r"\b(tax (incentives?|allowances?|breaks?|relief|deductions?|exemptions?|holidays?)|uu dai thue|mien thue|giam thue|"
            r"insentif pajak|keringanan pajak|elaun cukai|insentif cukai|pengecualian cukai|tax incentive|buwis)\b"
            r"|สิทธิประโยชน์ทางภาษี|ยกเว้นภาษี|លើកលែងពន្ធ|ការលើកទឹកចិត្តពន្ធ|ຍົກເວັ້ນພາສີ|ຍົກເວັ້ນອາກອນ|အခွန်ကင်းလွတ်"
        ),
    ),
    (
        _MONEY,
        re.compile(
            r"\b(financ\w*|funding|funds?|capital|tai chinh|nguon von|dana|modal usaha|permodalan|kewangan|pondo|puhunan|pinansyal)\b"
            r"|เงินทุน|แหล่งทุน|ហិរញ្ញប្បទាន|ហិរញ្ញវត្ថុ|ដើមទុន|ແຫຼ່ງທຶນ|ເງິນທຶນ|ການເງິນ|ရန်ပုံငွေ|ငွေကြေးထောက်ပံ့"
        ),
    ),
    (
        (ProgrammeKind.LABEL,),
        re.compile(
            r"\b(labels?|labell?ing|eco-?labels?|certif(y|ied|ications?)|nhan sinh thai|nhan xanh|chung nhan|ekolabel|sertifikasi|"
            r"pensijilan|label eko|tatak|sertipikasyon)\b"
            r"|ฉลาก|การรับรอง|ស្លាក|ສະຫຼາກ|ການຢັ້ງຢືນ|တံဆိပ်"
        ),
    ),
)
_ACRONYM = re.compile(r"\(([^()]*[A-Z]{2}[^()]*)\)")  # "Energy Efficiency Grant (EEG)" → EEG


def kinds_asked(text: str) -> frozenset[ProgrammeKind]:
    """The kinds of programme that give what `text` asks about; none for any other question."""
    flat = fold(text)
    return frozenset(kind for kinds, pattern in _ASKS if pattern.search(flat) for kind in kinds)


@dataclass(frozen=True)
class Offer:
    """The open programmes an answer names, each with its numbered source and its card's text
    (what a model reads, and what the figures of the answer are checked against)."""

    programmes: tuple[Programme, ...] = ()
    sources: tuple[CitedSource, ...] = ()
    cards: tuple[str, ...] = ()
    country: str = ""  # whose programmes they are (with the ASEAN-wide ones)


def offer(
    directory: Directory,
    question: str,
    prompts: Prompts,
    *,
    lang: str,
    country: str | None,
    sector: str | None,
    today: dt.date,
    first_number: int,
    limit: int,
    topics: Iterable[str] = (),
) -> Offer:
    """The programmes open on `today` in `country` (with the ASEAN-wide ones) for an owner of
    `sector` that give what `question` asks for, at most `limit`, those sharing a topic with
    `topics` (the retrieved guides') first; none without a country or a money or label question."""
    kinds = kinds_asked(question)
    if country is None or not kinds:
        return Offer()
    wanted = set(topics)
    found = directory.matching(country=country, sector=sector, today=today, kinds=kinds)
    ranked = sorted(found, key=lambda p: not wanted.intersection(p.topics))[:limit]  # stable: the directory's order otherwise
    sources = tuple(_source(p, lang, first_number + i) for i, p in enumerate(ranked))
    cards = tuple("\n".join(f"{heading}\n{text}".strip() for heading, text in card_sections(p, prompts, lang, today)) for p in ranked)
    return Offer(tuple(ranked), sources, cards, country)


def offered_lines(offered: Offer, prompts: Prompts, lang: str) -> list[str]:
    """The offline answer's lines that name the programmes: a heading, then each one's name,
    summary and closing date with its source number."""
    if not offered.programmes:
        return []
    heading = prompts.message(lang, "answer_programmes", place=prompts.message(lang, f"country_{offered.country.lower()}"))
    lines = [heading]
    for programme, source in zip(offered.programmes, offered.sources, strict=True):
        until = prompts.message(lang, "card_open_until", date=programme.closes.isoformat()) if programme.closes else ""
        lines.append(f"• {programme.name.shown(lang).text}: {programme.summary.shown(lang).text} {until} [{source.number}]".replace("  ", " "))
    return lines


def not_open_lines(directory: Directory, texts: Iterable[str], prompts: Prompts, lang: str, today: dt.date) -> list[str]:
    """For each programme of the directory that `texts` (the question, the answer, the sections
    it cites) name but that is not open on `today`: its name and since when it is closed, or
    when it opens."""
    said = fold(" ".join(texts))
    lines = []
    for programme in directory.programmes:
        note = status_note(programme, prompts, lang, today)
        if programme.status(today) is not ProgrammeStatus.OPEN and note is not None and _named(programme, said):
            lines.append(f"{programme.name.shown(lang).text}: {note}")
    return lines


def card_sections(programme: Programme, prompts: Prompts, lang: str, today: dt.date) -> list[tuple[str, str]]:
    """A programme's card as (heading, text) sections: what you get, who can apply, how to apply,
    the link, when it was last checked, whether it is open on `today`, and a note when some
    texts stand in English for the owner's language."""
    name, summary, gets, how = (text.shown(lang) for text in (programme.name, programme.summary, programme.what_you_get, programme.how_to_apply))
    conditions = [condition.shown(lang) for condition in programme.who_can_apply]
    where = prompts.message(lang, "asean_wide" if programme.country == ALL_ASEAN else f"country_{programme.country.lower()}")
    dates = [status_note(programme, prompts, lang, today), prompts.message(lang, "card_last_checked", date=programme.last_verified.isoformat())]
    sections = [
        (name.text, f"{programme.agency} · {where}\n{summary.text}"),
        (prompts.message(lang, "card_what_you_get"), gets.text),
        (prompts.message(lang, "card_who_can_apply"), "\n".join(f"• {c.text}" for c in conditions)),
        (prompts.message(lang, "card_how_to_apply"), f"{how.text}\n{programme.url}"),
        ("", " ".join(note for note in dates if note)),
    ]
    if in_english(lang, name, summary, gets, how, *conditions):
        sections.append(("", prompts.message(lang, "card_in_english")))
    return sections


def status_note(programme: Programme, prompts: Prompts, lang: str, today: dt.date) -> str | None:
    """Closed since, opens on, or open until; None for an open programme with no closing date."""
    status = programme.status(today)
    if status is ProgrammeStatus.CLOSED and programme.closes is not None:
        return prompts.message(lang, "card_closed", date=programme.closes.isoformat())
    if status is ProgrammeStatus.UPCOMING and programme.opens is not None:
        return prompts.message(lang, "card_opens", date=programme.opens.isoformat())
    if programme.closes is not None:
        return prompts.message(lang, "card_open_until", date=programme.closes.isoformat())
    return None


def in_english(lang: str, *texts: Shown) -> bool:
    """True when some of `texts` stand in English for the owner's language."""
    return any(text.lang != lang for text in texts)


def _source(programme: Programme, lang: str, number: int) -> CitedSource:
    """A programme's card as a numbered source: its name, link, country, agency and the day it was last checked."""
    return CitedSource(
        number=number,
        id=programme.id,
        original_id=programme.id,
        title=programme.name.shown(lang).text,
        url=str(programme.url),
        snippet=programme.summary.shown(lang).text[:200],
        countries=(programme.country,),
        date=programme.last_verified.isoformat(),
        publisher=programme.agency,
    )


def _named(programme: Programme, said: str) -> bool:
    """Whether folded text names the programme: its English name up to the bracket with its
    short name ("Green Investment Tax Allowance", of "… (GITA) Asset for own consumption"), or
    that short name ("EEG", "GTFS 5.0") as a word of its own."""
    english = programme.name.shown(ENGLISH).text
    names = [_ACRONYM.split(english, maxsplit=1)[0].strip(), *_ACRONYM.findall(english)]
    return any(re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", said) for name in names if len(name) >= 3)
