"""The ASEAN countries a question names, in the nine languages, as owners write them.

"Is there a green loan in Thailand?" is about Thailand whatever the owner's profile says, and
"green loan" alone matches every country's finance guide about equally. So a country named in
the question is a strong preference, stronger than the profile's.
"""

from __future__ import annotations

import re

from bot.language.folding import fold

# Forms are matched after `fold` (case and Latin accents folded). Latin forms must stand as
# whole words; forms in scripts without spaces are matched inside the text. A few names are
# common words too: Lao "ລາວ" is also "he/she", Vietnamese "lao" (without accents) is in "lao
# động", Thai "ไทย" is in "ภาษาไทย"; for those only the longer names count. Chat shortenings count
# too ("Pinas", "VN", "M'sia", "SG"): "may green loan ba dito sa Pinas" ranked the Philippines' guide 4th.
_NAMES: dict[str, tuple[str, ...]] = {
    "BN": ("brunei", "บรูไน", "ព្រុយណេ", "ບຣູໄນ", "ဘရူနိုင်း"),
    "KH": ("cambodia", "campuchia", "kamboja", "kemboja", "kambodya", "กัมพูชา", "កម្ពុជា", "ກຳປູເຈຍ", "ကမ္ဘောဒီးယား"),
    "ID": ("indonesia", "indo", "อินโดนีเซีย", "ឥណ្ឌូណេស៊ី", "ອິນໂດເນເຊຍ", "အင်ဒိုနီးရှား"),
    "LA": ("laos", "lao pdr", "nước lào", "ở lào", "ลาว", "ឡាវ", "ສປປ ລາວ", "ປະເທດລາວ", "လာအို"),
    "MY": ("malaysia", "msia", "m'sia", "ma-lai-xi-a", "ma lai xi a", "มาเลเซีย", "ម៉ាឡេស៊ី", "ມາເລເຊຍ", "မလေးရှား"),
    "MM": ("myanmar", "burma", "miến điện", "เมียนมา", "พม่า", "មីយ៉ាន់ម៉ា", "ມຽນມາ", "မြန်မာ"),
    "PH": ("philippines", "philippine", "pilipinas", "pinas", "filipina", "phi-líp-pin", "phi lip pin", "ฟิลิปปินส์", "ហ្វីលីពីន", "ຟີລິບປິນ", "ဖိလစ်ပိုင်"),
    "SG": ("singapore", "sg", "singapura", "xinh-ga-po", "xinh ga po", "สิงคโปร์", "សិង្ហបុរី", "ສິງກະໂປ", "စင်္ကာပူ"),
    "TH": ("thailand", "thai lan", "thái lan", "ประเทศไทย", "ในไทย", "เมืองไทย", "ថៃ", "ປະເທດໄທ", "ထိုင်း"),
    "VN": ("vietnam", "viet nam", "vn", "việt nam", "เวียดนาม", "វៀតណាម", "ຫວຽດນາມ", "ဗီယက်နမ်"),
}

# The capitals and the largest business cities name their country too (Singapore is its own):
# a small factory "ที่เวียงจันทน์" (in Vientiane) is in Lao PDR.
_CITIES: dict[str, tuple[str, ...]] = {
    "BN": ("bandar seri begawan",),
    "KH": ("phnom penh", "phnôm pênh", "siem reap", "พนมเปญ", "ភ្នំពេញ", "សៀមរាប", "ພະນົມເປັນ", "ဖနွမ်ပင်"),
    "ID": ("jakarta", "surabaya", "bandung", "medan", "bali", "จาการ์ตา", "ហ្សាការតា", "ຈາກາຕາ", "ဂျကာတာ"),
    "LA": ("vientiane", "viêng chăn", "luang prabang", "เวียงจันทน์", "វៀងច័ន្ទ", "ວຽງຈັນ", "ຫຼວງພະບາງ", "ဗီယင်ကျန်း"),
    "MY": ("kuala lumpur", "penang", "johor bahru", "กัวลาลัมเปอร์", "គូឡាឡាំពួ", "ກົວລາລຳເປີ", "ကွာလာလမ်ပူ"),
    "MM": ("yangon", "rangoon", "mandalay", "ย่างกุ้ง", "យ៉ាំងហ្គោន", "ຢາງກຸ້ງ", "ရန်ကုန်", "မန္တလေး"),
    "PH": ("manila", "metro manila", "quezon city", "cebu", "davao", "มะนิลา", "ម៉ានីល", "ມະນີລາ", "မနီလာ"),
    "TH": ("bangkok", "băng cốc", "chiang mai", "กรุงเทพ", "กทม", "เชียงใหม่", "បាងកក", "ບາງກອກ", "ဘန်ကောက်"),
    "VN": ("hanoi", "hà nội", "ho chi minh city", "tp.hcm", "tphcm", "sài gòn", "saigon", "đà nẵng", "ฮานอย", "โฮจิมินห์", "ហាណូយ", "ຮ່າໂນ້ຍ", "ဟနွိုင်း"),
}


def _pattern(form: str) -> str:
    flat = re.escape(fold(form))
    return rf"(?<!\w){flat}(?!\w)" if fold(form).isascii() else flat


_FINDERS = {
    code: (tuple(fold(form) for form in forms), re.compile("|".join(_pattern(form) for form in forms)))
    for code, forms in ((code, names + _CITIES.get(code, ())) for code, names in _NAMES.items())
}


def countries_named(text: str) -> tuple[str, ...]:
    """The country codes `text` names, in code order. (A form must occur before its pattern is
    tried: the substring test is 20 times faster, and the retriever reads every passage.)"""
    flat = fold(text)
    return tuple(code for code, (forms, finder) in _FINDERS.items() if any(form in flat for form in forms) and finder.search(flat))
