"""Checks before retrieval that can end a question early with a polite refusal.

Rules catch the obvious cases in every language we serve; in model mode the system prompt
guards as well, and the user's text always travels to the model as data inside <question>.
"""

from __future__ import annotations

import re

from bot.language import fold

# Attempts to override the assistant's instructions (matched on accent-free, case-folded text).
_INJECTION = re.compile(
    r"(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|my\s+)*(previous\s+|prior\s+|above\s+|earlier\s+|system\s+)*"
    r"(instructions?|rules|prompts?|guidelines)"
    r"|(reveal|show|print|repeat|tell me)\s+(me\s+)?(your|the)\s+(system\s+)?(prompt|instructions)"
    r"|system prompt|you are now|pretend (to be|you are)|developer mode|jailbreak|\bdan mode\b"
    r"|bo qua (moi |tat ca |cac )*(huong dan|chi dan|quy tac)"
    r"|abaikan (semua |seluruh )?(instruksi|arahan|perintah)"
    r"|huwag (mong )?pansinin ang (mga )?(utos|instruksyon|tagubilin)"
    r"|ละเว้นคำสั่ง|ไม่ต้องสนใจคำสั่ง|ลืมคำสั่ง"
)

# Requests no business adviser should help with (accent-free, case-folded).
_UNSAFE = re.compile(
    r"\b(bomb|explosives?|weapons?|firearms?|poison|kill|murder|suicide|meth|cocaine|heroin)\b"
    r"|\b(hack|hacking|malware|ransomware|phishing)\b"
    r"|\b(launder(ing)?|bribe|bribery|tax evasion|evade tax(es)?)\b"
    r"|\b(fake|forge|forged|counterfeit)\s+(an?\s+)?(invoice|certificate|eco-?label|label|audit|report|documents?)"
    r"|\bbom\b|chat no|thuoc no|\bletupan\b|\brasuah\b|\bsuap\b|pemalsuan|lam gia (giay|chung nhan|hoa don)"
    r"|ระเบิด|ฟอกเงิน|ปลอมใบรับรอง|ติดสินบน"
)


def is_injection(text: str) -> bool:
    """True when the message tries to change or reveal the assistant's instructions."""
    return _INJECTION.search(fold(text)) is not None


def is_unsafe(text: str) -> bool:
    """True when the message asks for something harmful, illegal or fraudulent."""
    return _UNSAFE.search(fold(text)) is not None
