"""What kind of message this is, before any search: a question, or a greeting, a thank-you, a
request to talk to a person, emoji, keyboard mash or a request far outside the green transition.

These are rules over accent-free, case-folded text in the nine languages we serve. They only
claim the clear cases: a greeting with a question after it is a question, and a message the
rules cannot place is a question too, left to retrieval's confidence (and, with a model, to
the model's judgement) to tell "on topic" from "not what GreenGuide is for".
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from bot.language import fold
from bot.pipeline.scope import mentions_topic


class MessageKind(StrEnum):
    """What a message is, as far as the rules can tell."""

    QUESTION = "question"
    GREETING = "greeting"
    THANKS = "thanks"
    ADVISOR = "advisor"  # the owner asks for a person: an advisor, an expert, someone at an agency
    EMOJI_ONLY = "emoji_only"
    GIBBERISH = "gibberish"
    OFF_TOPIC = "off_topic"


# Greetings and thanks as people type them, accent-free (Vietnamese "xin chào" is "xin chao").
_GREETINGS = (
    "hi",
    "hello",
    "hey",
    "hiya",
    "hallo",
    "helo",
    "halo",
    "hai",
    "yo",
    "good morning",
    "good afternoon",
    "good evening",
    "good day",
    "morning",
    "greetings",
    "xin chao",
    "chao",
    "alo",
    "selamat pagi",
    "selamat siang",
    "selamat sore",
    "selamat malam",
    "selamat petang",
    "pagi",
    "assalamualaikum",
    "salam",
    "kumusta",
    "kamusta",
    "musta",
    "magandang umaga",
    "magandang hapon",
    "magandang gabi",
    "magandang araw",
    "สวัสดี",
    "หวัดดี",
    "ສະບາຍດີ",
    "សួស្តី",
    "ជំរាបសួរ",
    "မင်္ဂလာပါ",
    "ဟယ်လို",
)
_THANKS = (
    "thanks",
    "thank you",
    "thank u",
    "thx",
    "ty",
    "tq",
    "tqvm",
    "many thanks",
    "cheers",
    "cam on",
    "cam on nhieu",
    "terima kasih",
    "makasih",
    "trims",
    "salamat",
    "maraming salamat",
    "ขอบคุณ",
    "ขอบคุณมาก",
    "ขอบใจ",
    "ຂອບໃຈ",
    "ຂອບໃຈຫຼາຍໆ",
    "ຂອບໃຈຫຼາຍ",
    "អរគុណ",
    "អរគុណច្រើន",
    "ကျေးဇူးတင်ပါတယ်",
    "ကျေးဇူးပါ",
    "ကျေးဇူးတင်ပါသည်",
)
# What a thank-you may say it is for ("salamat po sa tulong", "ขอบคุณสำหรับข้อมูลครับ").
_THANKS_FOR = (
    "for the help",
    "for your help",
    "for the info",
    "for the information",
    "for the answer",
    "for the advice",
    "for the tips",
    "vi da giup",
    "da giup",
    "ve thong tin",
    "da tu van",
    "atas bantuannya",
    "atas bantuan",
    "atas infonya",
    "atas informasinya",
    "infonya",
    "bantuannya",
    "sa tulong",
    "sa impormasyon",
    "sa info",
    "sa payo",
    "สำหรับข้อมูล",
    "สำหรับคำแนะนำ",
    "ที่ช่วย",
    "ສຳລັບຂໍ້ມູນ",
    "ທີ່ຊ່ວຍ",
    "សម្រាប់ព័ត៌មាន",
    "សម្រាប់ជំនួយ",
    "အကူအညီအတွက်",
    "အချက်အလက်အတွက်",
)
# Words that may ride along without making the message a question: particles of politeness,
# "ok", and how people address the bot.
_FILLERS = (
    "po",
    "ho",
    "a",
    "nha",
    "nhe",
    "ban",
    "anh",
    "chi",
    "em",
    "ya",
    "yah",
    "la",
    "lah",
    "kak",
    "bang",
    "bro",
    "sis",
    "ok",
    "okay",
    "oke",
    "okey",
    "so much",
    "very much",
    "a lot",
    "all",
    "everyone",
    "there",
    "bot",
    "greenguide",
    "admin",
    "sir",
    "madam",
    "nhieu",
    "lagi",
    "banyak",
    "ka",
    "khrap",
    "kha",
    "nak",
    "ครับ",
    "ค่ะ",
    "คะ",
    "จ้า",
    "นะ",
    "ເດີ",
    "ເຈົ້າ",
    "ບາດ",
    "ណា",
    "បាទ",
    "ចាស",
    "ခင်ဗျာ",
    "ရှင့်",
    "ရှင်",
    "နော်",
)
# Requests no guide of ours could answer, unless the message also names something of our field.
_OFF_TOPIC = re.compile(
    r"\b(recipes?|cook(ing)?|bake|cake|election|vote|voting|president|prime minister|football|soccer|basketball|"
    r"homework|essay|maths?|equation|poem|song|lyrics|movie|film|horoscope|lottery|bitcoin|crypto|dating|girlfriend|"
    r"boyfriend|medicine|doctor|symptoms?|disease|headache|fever|pregnan\w*|diet|weight loss|joke|"
    r"cong thuc nau|nau an|bau cu|tong thong|bong da|bai tap ve nha|thuoc|benh|bac si|xo so|"
    r"resep|masak|pemilu|pilpres|sepak bola|pekerjaan rumah|pr sekolah|obat|dokter|penyakit|sakit kepala|"
    r"pilihan raya|bola sepak|kerja sekolah|ubat|penyakit|"
    r"recipe|lutuin|halalan|eleksyon|takdang aralin|gamot|sakit|doktor|ty so tran|resepi|kek|matematika)\b"
    r"|สูตรอาหาร|ทำอาหาร|เลือกตั้ง|ฟุตบอล|ผลบอล|การบ้าน|ยารักษา|ปวดหัว|หวย|ดูดวง"
    r"|ເລືອກຕັ້ງ|ບານເຕະ|ວຽກບ້ານ|ຢາປົວ|ສູດອາຫານ|ສູດເຮັດ|ເຄັກ|ເຈັບຫົວ|ເປັນໄຂ້|ກິນຢາ"
    r"|ការបោះឆ្នោត|បាល់ទាត់|កិច្ចការផ្ទះ|រូបមន្តធ្វើម្ហូប|ថ្នាំ"
    r"|ရွေးကောက်ပွဲ|ဘောလုံး|အိမ်စာ|ဟင်းချက်နည်း|ဆေးဝါး|ခေါင်းကိုက်|ဖျားနေ|ဆေးသောက်"
)
# Asking how to break the rules unseen is not a question we answer, whatever its topic.
_EVASION = re.compile(
    r"\b(without (getting|being) caught|not get caught|avoid (getting )?caught|without anyone (knowing|noticing)|"
    r"khong bi phat hien|khong bi bat|tanpa ketahuan|tak kantoi|tanpa diketahui|hindi nahuhuli|hindi mahuli)\b"
    r"|ไม่ให้ใครรู้|ไม่ให้ถูกจับ|មិនឱ្យគេដឹង|ບໍ່ໃຫ້ຖືກຈັບ|မဖမ်းမိ"
)
# Asking for a person, whatever else the message says ("talk to an advisor about solar loans"):
# a verb of talking, meeting or contacting with a person, or the person asked for by name.
# "Tư vấn" alone is advice, which any question asks for: only the advisor (tư vấn viên) counts.
_ADVISOR = re.compile(
    r"\b((talk|speak|chat) (to|with) (a |an |some |one of your |your )?(real |human )?(person|human|people|someone|somebody|advis[eo]rs?|experts?|consultants?|agent|staff)|"
    r"(contact|meet|reach|connect me (to|with)|need|want) (a |an |some |your )?(human|advis[eo]rs?|experts?|consultants?)|human agent|real person|"
    r"(noi chuyen|gap|lien he|ket noi|trao doi) (voi )?(mot )?(nguoi that|chuyen gia|tu van vien|nguoi tu van|can bo)|tu van vien|"
    r"(bicara|berbicara|ngobrol|bercakap|berbual|hubungi|jumpa|bertemu) (dengan |kepada )?(seorang )?(orang|manusia|konsultan|ahli|penasihat|pakar|perunding|petugas|pegawai)|"
    r"(makausap|kausapin|makipag usap sa) (ang |ng )?(isang )?(tao|advisor|eksperto|tagapayo|consultant|taga payo))\b"
    r"|(คุยกับ|ติดต่อ|ปรึกษา)(เจ้าหน้าที่|ผู้เชี่ยวชาญ|ที่ปรึกษา|คนจริง)|ขอคุยกับคน"
    r"|(និយាយ|ពិភាក្សា|ទាក់ទង)(ជាមួយ)?\s*(មនុស្ស|អ្នកប្រឹក្សា|អ្នកជំនាញ|បុគ្គលិក)"
    r"|(ລົມ|ເວົ້າ|ຕິດຕໍ່|ປຶກສາ)(ກັບ)?\s*(ຄົນ|ທີ່ປຶກສາ|ຜູ້ຊ່ຽວຊານ|ພະນັກງານ)"
    r"|(အကြံပေး|ကျွမ်းကျင်သူ|ဝန်ထမ်း|လူ)\s*(နှင့်|နဲ့)\s*(စကားပြော|ဆက်သွယ်|တွေ့)"
)
_KEYBOARD_RUNS = (
    "qwer", "wert", "erty", "rtyu", "tyui", "asdf", "sdfg", "dfgh", "fghj", "ghjk", "hjkl", "zxcv", "xcvb", "cvbn", "vbnm",
    "ฟหกด", "หกดเ", "่าสว", "ຫກດເ", "ຟຫກດ",  # the home rows of the Thai and Lao keyboards
)  # fmt: skip
_REPEATED = re.compile(r"(\w{2,4})\1{2,}")  # "asdasdasd"
_VOWELS = set("aeiouy")


def classify(text: str) -> MessageKind:
    """The kind of `text`; QUESTION unless a rule is sure."""
    if not any(unicodedata.category(c)[0] in "LN" for c in text):
        return MessageKind.EMOJI_ONLY
    flat = " ".join("".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in fold(text)).split())
    if _only(flat, _THANKS, also=_THANKS_FOR):
        return MessageKind.THANKS
    if _only(flat, _GREETINGS):
        return MessageKind.GREETING
    if _EVASION.search(flat):
        return MessageKind.OFF_TOPIC
    if _ADVISOR.search(flat):
        return MessageKind.ADVISOR
    if mentions_topic(text):
        return MessageKind.QUESTION
    if _is_keyboard_mash(flat):
        return MessageKind.GIBBERISH
    if _OFF_TOPIC.search(flat):
        return MessageKind.OFF_TOPIC
    return MessageKind.QUESTION


def _only(flat: str, phrases: tuple[str, ...], also: tuple[str, ...] = ()) -> bool:
    """True when `flat` holds at least one of `phrases` and nothing but them, fillers and `also`."""
    rest, found = flat, False
    for phrase in sorted(phrases + also + _FILLERS, key=len, reverse=True):  # longest first: "cam on nhieu" before "cam on"
        pattern = re.escape(phrase) if not phrase.isascii() else rf"\b{re.escape(phrase)}\b"
        rest, count = re.subn(pattern, " ", rest)
        found = found or (count > 0 and phrase in phrases)
    return found and not rest.strip()


def _is_keyboard_mash(flat: str) -> bool:
    """Letters that form no words: keyboard runs ("asdfgh", Thai "ฟหกด"), a few letters over and
    over, or Latin words without a vowel."""
    words = flat.split()
    if not words:
        return False
    if all(any(run in w for run in _KEYBOARD_RUNS) or _REPEATED.fullmatch(w) for w in words):
        return True
    if not all(w.isascii() and w.isalpha() for w in words):
        return False
    return all(not (_VOWELS & set(w)) or len(w) > 14 for w in words)
