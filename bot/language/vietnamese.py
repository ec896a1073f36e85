"""Vietnamese, with its diacritics or typed without them.

Vietnamese marks (ư ơ ă â ê ô đ and the tone marks) settle the question. Without them
("lam sao de giam tien dien"), the text is still recognisable: every word is one Vietnamese
syllable, and several are syllables that are not everyday words in English, Indonesian,
Malay or Tagalog. Statistical detectors trained on accented text miss this case.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata

logger = logging.getLogger(__name__)

# Combining marks that, on a Latin vowel, only Vietnamese uses among the languages we serve:
# breve, circumflex, tilde, hook above, horn, dot below.
_VI_MARKS = frozenset("\u0306\u0302\u0303\u0309\u031b\u0323")
_TONE_MARKS = frozenset("\u0300\u0301")  # grave and acute: Vietnamese tones, but also Tagalog and French

# One de-accented Vietnamese syllable: onset, optional medial o/u, nucleus, optional final.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"[ou]?"
    r"(?:ie|ye|ia|(?<=u)ya|uo|ua|oo|[aeiouy])"
    r"(?:ch|nh|ng|[cmnptiyou])?"
)

# Vietnamese syllables that are also common words elsewhere ("ban", "dan", "sang", "the", "na"):
# they fit the phonotactics but are no evidence either way.
_SHARED = frozenset(
    """
    a i o u y an am at in it on be by he me so no do go to the then them than that thin thing
    can man men ten hen pen pin tin bin gas hang long song ban tan van pan cat hat bat hot not
    got lot pot dot cut but nut hit bit sit top tip map cap chat much such rich hi ha ho oh ah
    eh ma pa mom son sun run ran bun gun him hip tap cup tom tim
    dan di ke sang bang pun tu ni kan dong mau tau lu bu ga bau hai kat kot mana
    na sa ang ko mo po ba si ay may kung lang din rin daw nang pang tao kay nga tong dun nun san
    doon oo thai lo re lit ham hop
    """.split()
)

# Common de-accented syllables, less those that are everyday words in en, id, ms or tl.
_COMMON = (
    frozenset(
        """
    toi minh tui anh chi em ong chu bac cau chung nguoi ai khong duoc la cua va voi cac nhung mot
    nay thi se da dang cho trong ngoai tren duoi khi neu vi nen nhu nao gi sao lam den ve ra vao len
    xuong hay hoac rat qua nhieu moi tat ca con chua roi xong biet muon phai giup hoi tra loi de bi
    cai thoi luon dung nua hon nhat lai cung rieng chinh nhe nha oi vay day kia dau bao bon nam sau
    bay tam chin muoi tram nghin ngan trieu ngay thang gio phut tuan trua chieu dem mai hom luc
    truoc tien dien nuoc hoa don quan cong ty doanh nghiep kinh xuat nhap khau thue phi gia mua re
    dat tiet kiem giam tang luong mat troi lap thong lanh dieu bong quat bep rac tai che nhua truong
    lut ngap han von suat quy dinh luat nhan xanh sach nong lua gao vai det tho cach huong tinh toan
    lieu viec thuong cao thap nhanh cham khach hoc hieu nghi noi viet doc gui thay nghe xem hien
    phong giay thung hop chai lon nho vua duong xe co chuyen tich meo phat du pham su doi muc thu
    ben bo ro theo tri hoach nhien trung cu vien giu lan gian thuc hoan khoang phan tieu tuc ghi
    nguon chan sua khac hoat tung ky tham nhom lien dua nguyen phu danh duy chuan gom tro thiet buoc
    vung chay ket dich chau nop thanh mien phap kien hanh nhiet gan quoc sinh rung gioi khai thuoc
    luu manh vu giao tuong chuoi goi moc tiep vat chong khu ly trien yeu khoa khoi tuyen sieu pha
    thep xi cuoi lo giai thieu liet kho ton chiem phe dai tac quen rong dao xac khung thoai trach
    soat lay doan tot khoan trang lau tay vuc deu uy binh loai quang lit chia buoi ung kha nhau uu
    kem dia luoi goc bien ham trinh diem nguong phuong som khuyen thoat xet rem xep khe xa lop het
    tiem thien chon tranh sung uoc chiu nghien cuu thua mon giua phep khien ngung suot vach thoang
    phia chac vuot uong hau gon thuat vong cam
    """.split()
    )
    - _SHARED
)

# Chat shorthand: the first set is only Vietnamese ("dc" được, "ntn" như thế nào, "bn" bao nhiêu),
# the second is Vietnamese but also used elsewhere ("ko" không, "k", "j" gì, "r" rồi, "vs" với).
_SHORTHAND = frozenset("dc ntn bn mk mn cx nx trc hnay hqua ak".split())
_SHORTHAND_SHARED = frozenset("ko k j r vs".split())

_MIN_SYLLABLE_SHARE = 0.8
_MIN_COMMON_SHARE = 0.34


def _strip_marks(word: str) -> tuple[str, set[str]]:
    """The word lower-cased without diacritics (đ → d), and the combining marks it had."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    marks = {c for c in decomposed if unicodedata.combining(c)}
    return "".join(c for c in decomposed if not unicodedata.combining(c)), marks


def is_syllable(word: str) -> bool:
    """Whether a de-accented, lower-case word is one Vietnamese syllable or chat shorthand."""
    return _SYLLABLE.fullmatch(word) is not None or word in _SHORTHAND or word in _SHORTHAND_SHARED


def marked_share(words: list[str]) -> float:
    """Share of words written with Vietnamese diacritics (0 when there are no words).

    Grave and acute alone count only on a word shaped like a Vietnamese syllable, so
    Tagalog "hindì" and French "café" do not.
    """
    if not words:
        return 0.0
    marked = 0
    for word in words:
        base, marks = _strip_marks(word)
        if "đ" in word.lower() or marks & _VI_MARKS or (marks & _TONE_MARKS and is_syllable(base)):
            marked += 1
    return marked / len(words)


def unaccented_confidence(words: list[str]) -> float | None:
    """Confidence that diacritic-free words are Vietnamese, or None when they do not look it.

    Capitalised words that are not syllables (names such as "Tom", "Yoshio") are skipped; the
    rest must be Vietnamese-shaped, and at least a third must be common Vietnamese syllables.
    """
    bases: list[str] = []
    for word in words:
        base, _ = _strip_marks(word)
        if is_syllable(base) or not word[:1].isupper():
            bases.append(base)
    if not bases:
        return None
    syllables = sum(1 for b in bases if is_syllable(b))
    common = sum(1 for b in bases if b in _COMMON or b in _SHORTHAND)
    if syllables / len(bases) < _MIN_SYLLABLE_SHARE or common < max(1, math.ceil(_MIN_COMMON_SHARE * len(bases))):
        return None
    return round(min(0.97, 0.55 + 0.12 * common), 2)
