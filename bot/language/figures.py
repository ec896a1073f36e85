"""Citations and figures in a text: the pipeline checks a reply with these, and the evaluation
scores answers with the same rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

# [1], [2, 3] or [1][2]: what the system prompt asks for.
CITATION = re.compile(r"\s?\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
# 1,234.5 / 18% / 2026 / 0.42; digits of Thai, Lao, Khmer and Burmese are mapped to ASCII first.
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:\s?%)?")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
NATIVE_DIGITS = str.maketrans(
    "๐๑๒๓๔๕๖๗๘๙໐໑໒໓໔໕໖໗໘໙០១២៣៤៥៦៧៨៩၀၁၂၃၄၅၆၇၈၉",
    "0123456789" * 4,
)


@dataclass(frozen=True)
class CitationCheck:
    """The answer with invalid citation numbers removed, and what was found."""

    text: str
    cited: frozenset[int]
    removed: tuple[int, ...]


def check_citations(text: str, valid: set[int]) -> CitationCheck:
    """Drop citation numbers that name no retrieved source; keep the rest as [n]."""
    cited: set[int] = set()
    removed: list[int] = []

    def keep_valid(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*,\s*", match.group(1))]
        good = [n for n in numbers if n in valid]
        removed.extend(n for n in numbers if n not in valid)
        cited.update(good)
        lead = " " if match.group(0).startswith((" ", "\n")) else ""
        return lead + "".join(f"[{n}]" for n in good) if good else ""

    return CitationCheck(text=CITATION.sub(keep_valid, text), cited=frozenset(cited), removed=tuple(removed))


def numbers_in(text: str) -> list[str]:
    """Every figure in `text` as written (not citation numbers or list markers)."""
    plain = _LIST_MARKER.sub(" ", CITATION.sub(" ", text.translate(NATIVE_DIGITS)))
    return [m.group(0).replace(" ", "") for m in _NUMBER.finditer(plain)]


def distinctive_figures(text: str) -> frozenset[str]:
    """The figures of `text` with two digits or more (a year, an amount, a share), canonical:
    what a question names that few passages hold. "Scope 3" or "1 bulb" name no figure."""
    return frozenset(_canonical(n) for n in numbers_in(text) if sum(c.isdigit() for c in n) >= 2)


def ungrounded_numbers(answer: str, sources: list[str]) -> list[str]:
    """Figures of the answer that appear in none of the source texts."""
    known = {_canonical(n) for text in sources for n in numbers_in(text)}
    missing: list[str] = []
    for number in numbers_in(answer):
        if _canonical(number) not in known and number not in missing:
            missing.append(number)
    return missing


def _canonical(number: str) -> str:
    """1,000 = 1.000 = 1000; 18 % = 18%."""
    return re.sub(r"[.,\s]", "", number.rstrip("%")) + ("%" if number.endswith("%") else "")
