"""Marker words: everyday words, spellings and acronyms that only one Latin-script language uses.

Indonesian and Malay share most of their vocabulary, and py3langid confuses them on short
text. They differ in a known set of everyday words ("gimana", "nggak", "uang" / "macam mana",
"tak", "wang"), in spelling ("kualitas" / "kualiti") and in the institutions people name
("PLN", "UMKM" / "TNB", "PKS"). Tagalog function words settle Taglish.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Language group → words that point to it (lower case). Acronyms are matched lower-cased too.
MARKERS: dict[tuple[str, ...], frozenset[str]] = {
    ("id",): _words(
        """
        nggak ngga enggak gak gk ga engga gimana banget aja udah udh karena krn bahwa uang kantor
        listrik tagihan hemat biaya ekspor impor pabrik toko warung mobil sepeda kapan dong sih
        kok deh nih gue gua gw lo lu elo kayak kalo emang pengen pingin pemerintah perusahaan
        karyawan silakan makasih rupiah limbah surya daur gratis paham bikin dapet gitu gini nanya
        soalnya kamar telepon coba mau bisa bilang kalian wkwk wkwkwk sehat kesehatan bagian
        berbagai kemarin besok istri korban dokter polisi tentara pengadilan pengacara persen
        peneliti penelitian kecelakaan rencana bahkan yaitu pemilu pelatih tim pertandingan
        sekretaris kendaraan sepatu kue celana berhasil pernyataan tiongkok pidato pesta pajak
        asuransi rekening akun sertifikat mebel eropa jepang pemasok energi terbarukan pemborosan
        boros irit pedagang pengusaha manajer fasilitas
        umkm pln plts ojk kur bumn npwp
        """
    ),
    ("ms",): _words(
        """
        tak nak macam camne camana macamana sahaja je jer kerana bahawa wang syarikat kedai
        kilang elektrik bil kos jimat suria eksport kerajaan percuma kitar sikit awak korang
        dorang iaitu adakah selepas semasa sebarang sesiapa mahu cuba baharu telefon
        perniagaan peniaga ringgit takde tiada dah kat kot faham bumbung geran cakap bercakap mcm nk tkde
        xde x tq sihat kesihatan bahagian pelbagai terbaharu semalam esok isteri mangsa hospital
        doktor polis askar tentera mahkamah peguam bandar peratus penyelidik penyelidikan
        kemalangan maklumat perkhidmatan khidmat malah jurulatih pasukan perlawanan
        setiausaha kenderaan kasut kek seluar tandas bilik kakitangan berjaya kenyataan manakala
        sekiranya bagaimanapun sememangnya beritahu memberitahu benda ni asingkan cukai insurans
        akaun faedah sijil eropah jepun pengeluaran pembekal jualan runcit gerai usahawan
        penjimatan pembaziran membazir mesyuarat pengurus
        tnb pks seda lhdn mida sirim matrade
        """
    ),
    ("tl",): _words(
        """
        ng mga ang po opo yung naman lang pano paano ano saan magkano kuryente bayad negosyo
        tindahan hindi wala meron pwede puwede gusto kailangan talaga salamat sige tapos yun dito
        diyan natin namin ninyo nyo ako ikaw siya tayo kayo iyon dahil pero nang bakit basura
        baha presyo mura tipid makatipid magtipid ba mo sa na nina sina kay meralco
        """
    ),
    # Function words of both Indonesian and Malay: they rule out English and Tagalog only.
    ("id", "ms"): _words(
        """
        yang dan untuk dengan itu ini tidak ada akan dalam kepada adalah juga sudah dari pada
        oleh atau serta bagi telah saya kami mereka sosial berada bagaimana berapa
        """
    ),
}

# English "-ity" loanwords: Malay "kualiti, aktiviti, fasiliti", Indonesian "kualitas, aktivitas".
# Words with a verb or agent prefix ("menyakiti", "peneliti") are not such loanwords.
_SUFFIXES: dict[tuple[str, ...], re.Pattern[str]] = {
    ("ms",): re.compile(r"(?!me|di|pe|ber|ter)[a-z]{2,}[lvnsr]iti"),
    ("id",): re.compile(r"(?!me|di|pe|ber|ter)[a-z]{2,}[lvnsr]itas"),
}
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _unreduplicated(word: str) -> str:
    """The base of a reduplicated plural ("kasut-kasut" → "kasut"), else the word itself."""
    first, _, rest = word.partition("-")
    return first if rest == first else word


def _ends_with_question_ke(words: list[str]) -> bool:
    """Malay's question particle: "boleh ke", "betul ke", "berbaloi ke".

    Indonesian "ke" is a preposition and does not end a message, except after a verb of
    motion cut short ("menuju ke"), which the "me-" prefix gives away.
    """
    return len(words) >= 2 and words[-1].lower() == "ke" and not words[-2].lower().startswith("me")


def count_markers(words: list[str], text: str) -> dict[tuple[str, ...], int]:
    """How many marker words, endings and acronyms of each language group the message holds.

    `words` are the message's content words; `text` is the cleaned message, where the
    acronyms that `words` leaves out are still found.
    """
    acronyms = [a for a in _ACRONYM.findall(text) if a not in words]
    lowered = [_unreduplicated(w.lower()) for w in words + acronyms]
    counts: dict[tuple[str, ...], int] = {}
    for group, markers in MARKERS.items():
        hits = sum(1 for w in lowered if w in markers)
        suffix = _SUFFIXES.get(group)
        if suffix is not None:
            # Lower-case words only: capitalised ones are often names ("Ecinitas").
            hits += sum(1 for w in words if suffix.fullmatch(w))
        if group == ("ms",) and _ends_with_question_ke(words):
            hits += 1
        if hits:
            counts[group] = hits
    return counts
