"""What a question is about: on a green-transition topic at all, and which country it names."""

from __future__ import annotations

import re

from bot.retrieval import normalize

# Words that show a message is about our field, in every language we serve (accent-free,
# case-folded; Thai, Lao, Khmer and Burmese as written). Used with retrieval confidence to
# tell "we have no guide on this yet" from "this is not what GreenGuide is for".
_TOPIC_WORDS = (
    # English
    "energy electric power bill solar waste recycl water carbon emission green climate flood heat typhoon storm loan grant"
    " financ label certif iso packag plastic cbam eudr esg sustainab circular fuel led fridge refrigerat compress export"
    " supplier buyer taxonomy insurance deforest footprint ghg scope net zero environment eco"
    # Vietnamese
    " dien nang luong rac nuoc khi thai xanh khi hau lu bao vay tin dung nhan chung nhan bao bi nhua tai che mat troi"
    " tiet kiem moi truong xuat khau phat thai"
    # Indonesian and Malay
    " listrik elektrik energi tenaga sampah karbon emisi pelepasan hijau iklim banjir pinjaman kredit sertifikat sijil"
    " kemasan pembungkusan plastik daur ulang kitar semula surya suria hemat jimat lingkungan alam sekitar ekspor eksport"
    # Filipino
    " kuryente enerhiya basura tubig emisyon klima baha bagyo pautang utang kalikasan makatipid tipid"
    # Thai, Lao, Khmer, Burmese
    " ไฟฟ้า พลังงาน ขยะ น้ำ คาร์บอน ก๊าซเรือนกระจก ภูมิอากาศ น้ำท่วม สินเชื่อ ฉลาก รีไซเคิล พลาสติก โซลาร์ ประหยัด ส่งออก ค่าไฟ"
    " ໄຟຟ້າ ພະລັງງານ ຂີ້ເຫຍື້ອ ນ້ຳ ຄາບອນ ນ້ຳຖ້ວມ ປະຫຍັດ"
    " ថាមពល អគ្គិសនី សំណល់ ទឹក កាបូន ទឹកជំនន់ សន្សំ"
    " လျှပ်စစ် စွမ်းအင် အမှိုက် ရေ ကာဗွန် ရေကြီး ချွေတာ"
).split()
_WORD_PREFIX = re.compile(r"\b(" + "|".join(re.escape(w) for w in _TOPIC_WORDS if w.isascii()) + r")")
_SCRIPT_WORDS = tuple(w for w in _TOPIC_WORDS if not w.isascii())

# Country names as users write them → ISO code (accent-free, case-folded).
_COUNTRIES: dict[str, str] = {
    "thailand": "TH", "thai lan": "TH", "ประเทศไทย": "TH", "เมืองไทย": "TH", "thai": "TH",
    "viet nam": "VN", "vietnam": "VN", "เวียดนาม": "VN",
    "malaysia": "MY", "ma lai": "MY", "มาเลเซีย": "MY",
    "indonesia": "ID", "indo": "ID", "อินโดนีเซีย": "ID",
    "philippines": "PH", "pilipinas": "PH", "philippine": "PH", "phi lip pin": "PH", "ฟิลิปปินส์": "PH",
    "singapore": "SG", "singapura": "SG", "xinh ga po": "SG", "สิงคโปร์": "SG",
    "cambodia": "KH", "campuchia": "KH", "kemboja": "KH", "kamboja": "KH", "កម្ពុជា": "KH", "กัมพูชา": "KH",
    "laos": "LA", "lao pdr": "LA", "ລາວ": "LA", "ลาว": "LA",
    "myanmar": "MM", "burma": "MM", "မြန်မာ": "MM", "เมียนมา": "MM",
    "brunei": "BN", "timor-leste": "TL", "timor leste": "TL",
}
_COUNTRY = re.compile(r"(?<![\w])(" + "|".join(sorted(map(re.escape, _COUNTRIES), key=len, reverse=True)) + r")(?![\w])")


def mentions_topic(text: str) -> bool:
    """True when the message uses a word from our field in any language we serve."""
    flat = normalize(text)
    return _WORD_PREFIX.search(flat) is not None or any(w in flat for w in _SCRIPT_WORDS)


def mentioned_country(text: str) -> str | None:
    """The ASEAN country the message names, if exactly one."""
    found = {_COUNTRIES[m] for m in _COUNTRY.findall(normalize(text))}
    return found.pop() if len(found) == 1 else None
