"""A country named in a question, in any of the nine languages; never a common word taken for one."""

from __future__ import annotations

import pytest

from bot.language import countries_named


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Is there a green loan in Thailand?", ("TH",)),
        ("co khoan vay xanh nao o Viet Nam khong", ("VN",)),
        ("Có khoản vay xanh nào cho doanh nghiệp nhỏ ở Việt Nam không?", ("VN",)),
        ("มีสินเชื่อสีเขียวสำหรับ SME ในไทยไหม", ("TH",)),
        ("Ada pinjaman hijau untuk PKS di Malaysia?", ("MY",)),
        ("តើមានកម្ចីបៃតងនៅកម្ពុជាទេ?", ("KH",)),
        ("ມີເງິນກູ້ສີຂຽວຢູ່ ສປປ ລາວ ບໍ?", ("LA",)),
        ("မြန်မာမှာ green loan ရှိလား", ("MM",)),
        ("EFS-Green in Singapore or GTFS in Malaysia?", ("MY", "SG")),
        # as owners shorten them in chat
        ("may green loan ba para sa MSME dito sa Pinas", ("PH",)),
        ("vay xanh o VN", ("VN",)),
        ("grant utk SME kat M'sia dan SG", ("MY", "SG")),
        # a capital or a big business city names its country
        ("ทำโรงงานแปรรูปเล็กๆ ที่เวียงจันทน์", ("LA",)),
        ("maliit na factory sa Vientiane", ("LA",)),
        ("quán cà phê ở Sài Gòn", ("VN",)),
        ("kedai makan di Kuala Lumpur", ("MY",)),
        ("ร้านเล็กๆ ในกรุงเทพ", ("TH",)),
    ],
)
def test_a_named_country_is_found(text: str, codes: tuple[str, ...]) -> None:
    assert countries_named(text) == codes


@pytest.mark.parametrize(
    "text",
    ["tiết kiệm chi phí lao động", "nói sai gì đó", "ภาษาไทย", "ລາວບອກວ່າຄ່າໄຟແພງ", "How do I cut my power bill?", "lampu LED hemat energi", "SGD 500 per kWh"],
)
def test_common_words_are_not_countries(text: str) -> None:
    assert countries_named(text) == ()
