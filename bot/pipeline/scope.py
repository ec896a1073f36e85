"""What a question is about: on a green-transition topic at all, and which country it names."""

from __future__ import annotations

import re

from bot.language import countries_named, fold

# Words that show a message is about our field, in every language we serve (accent-free,
# case-folded; Thai, Lao, Khmer and Burmese as written). Used with retrieval confidence to
# tell "we have no guide on this yet" from "this is not what GreenGuide is for".
_TOPIC_LIST = (
    # English (stems: a word starting with one counts)
    "energy, electric, power bill, solar, waste, recycl, water, carbon, emission, green, climate, flood, heat, typhoon, storm,"
    " loan, grant, financ, label, certif, iso, packag, plastic, cbam, eudr, esg, sustainab, circular, fuel, led, fridge,"
    " refrigerat, compress, export, supplier, buyer, taxonomy, insurance, deforest, footprint, ghg, scope, net zero, environment, eco,"
    " cooking oil, used oil, minyak masak, minyak terpakai, jelantah, dau an,"
    # Vietnamese, accent-free: whole words of two syllables, since one syllable alone means many things
    " tien dien, dien nang, nang luong, rac thai, nuoc thai, khi thai, phat thai, khi hau, lu lut, bao lu, khoan vay, vay von,"
    " tin dung, chung nhan, nhan sinh thai, bao bi, do nhua, tai che, mat troi, tiet kiem, moi truong, xuat khau, xanh,"
    # Indonesian and Malay
    " listrik, elektrik, energi, tenaga, sampah, karbon, emisi, pelepasan, hijau, iklim, banjir, pinjaman, kredit, sertifikat, sijil,"
    " kemasan, pembungkusan, plastik, daur ulang, kitar semula, surya, suria, hemat, jimat, lingkungan, alam sekitar, ekspor, eksport,"
    # Filipino
    " kuryente, enerhiya, basura, tubig, emisyon, klima, baha, bagyo, pautang, kalikasan, makatipid, tipid,"
    # Thai, Lao, Khmer, Burmese (as written: these scripts have no spaces between words)
    " ไฟฟ้า, พลังงาน, ขยะ, น้ำ, คาร์บอน, ก๊าซเรือนกระจก, ภูมิอากาศ, น้ำท่วม, สินเชื่อ, ฉลาก, รีไซเคิล, พลาสติก, โซลาร์, ประหยัด, ส่งออก, ค่าไฟ,"
    " ໄຟຟ້າ, ພະລັງງານ, ຂີ້ເຫຍື້ອ, ນ້ຳ, ຄາບອນ, ນ້ຳຖ້ວມ, ປະຫຍັດ, ປະຢັດ,"
    " ថាមពល, អគ្គិសនី, សំណល់, ទឹក, កាបូន, ទឹកជំនន់, សន្សំ,"
    " လျှပ်စစ်, စွမ်းအင်, အမှိုက်, ရေ, ကာဗွန်, ရေကြီး, ချွေတာ"
).split(",")
_TOPIC_WORDS = tuple(word.strip() for word in _TOPIC_LIST if word.strip())
_WHOLE = {"iso", "led", "eco", "esg", "ghg", "xanh", "scope", "heat", "grant", "label", "loan", "fuel", "green", "tipid", "baha"}
_WORD_PREFIX = re.compile(r"\b(" + "|".join(re.escape(w) + (r"\b" if w in _WHOLE or " " in w else "") for w in _TOPIC_WORDS if w.isascii()) + r")")
_SCRIPT_WORDS = tuple(w for w in _TOPIC_WORDS if not w.isascii())


def mentions_topic(text: str) -> bool:
    """True when the message uses a word from our field in any language we serve."""
    flat = fold(text)
    return _WORD_PREFIX.search(flat) is not None or any(w in flat for w in _SCRIPT_WORDS)


def mentioned_country(text: str) -> str | None:
    """The ASEAN country the message names, if exactly one."""
    found = countries_named(text)
    return found[0] if len(found) == 1 else None
