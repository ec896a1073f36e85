"""Which messages are not questions: greetings, thanks, emoji, keyboard mash, clear off-topic asks."""

from __future__ import annotations

import pytest

from bot.pipeline.intent import MessageKind, classify

CASES = {
    MessageKind.GREETING: [
        "hi",
        "Hello!",
        "good morning",
        "xin chào",
        "Chào bạn",
        "สวัสดีครับ",
        "หวัดดี",
        "selamat pagi",
        "halo kak",
        "hai",
        "kumusta po",
        "magandang umaga",
        "សួស្តី",
        "ជំរាបសួរ",
        "ສະບາຍດີ",
        "မင်္ဂလာပါ",
    ],
    MessageKind.THANKS: [
        "thanks!",
        "thank you so much",
        "cảm ơn nhiều",
        "ขอบคุณค่ะ",
        "terima kasih ya",
        "makasih",
        "tq",
        "salamat po",
        "maraming salamat",
        "អរគុណ",
        "ຂອບໃຈ",
        "ကျေးဇူးတင်ပါတယ်",
        # ... and saying what for
        "thanks for the help!",
        "cảm ơn bạn đã giúp nhé",
        "ขอบคุณสำหรับข้อมูลครับ",
        "terima kasih atas bantuannya kak",
        "salamat po sa tulong",
        "អរគុណសម្រាប់ព័ត៌មាន",
        "ຂອບໃຈສຳລັບຂໍ້ມູນເດີ",
        "အကူအညီအတွက် ကျေးဇူးတင်ပါတယ်",
    ],
    MessageKind.ADVISOR: [
        "I want to talk to an advisor",
        "can I speak with a real person about green loans?",
        "contact an expert please",
        "tôi muốn nói chuyện với chuyên gia",
        "cho tôi gặp tư vấn viên",
        "อยากคุยกับเจ้าหน้าที่",
        "ติดต่อผู้เชี่ยวชาญได้ไหม",
        "saya mau bicara dengan konsultan",
        "boleh saya bercakap dengan pegawai?",
        "gusto kong makausap ang isang tao",
        "ខ្ញុំចង់និយាយជាមួយអ្នកប្រឹក្សា",
        "ຢາກລົມກັບທີ່ປຶກສາ",
        "အကြံပေးနဲ့ စကားပြောချင်ပါတယ်",
    ],
    MessageKind.EMOJI_ONLY: ["👍", "🙏🙏", "😀😀😀", "???"],
    MessageKind.GIBBERISH: ["asdfgh qwerty", "hjkl", "xcvbnm", "asdasdasd", "ฟหกดฟหกด่าสว", "ຫກດເຫກດ"],
    MessageKind.OFF_TOPIC: [
        "give me a recipe for chocolate cake",
        "who will win the election",
        "help me with my homework",
        "resep rendang dong",
        "công thức nấu phở",
        "สูตรอาหารผัดไทย",
        "gamot sa sakit ng ulo",
        "ဟင်းချက်နည်း ပြောပါ",
        "ผลบอลเมื่อคืนใครชนะ",
        "bagi resepi kek pisang",
        "ເຈັບຫົວ ເປັນໄຂ້ ກິນຢາຫຍັງດີ?",
        "ခေါင်းကိုက်ပြီး ဖျားနေတယ်",
        "how can I dump factory waste into the river without getting caught",
    ],
    MessageKind.QUESTION: [
        "hi, how can I save electricity?",
        "thanks! and what about solar?",
        "salamat sa tulong, paano mag apply ng loan?",
        "lam sao giam tien dien",
        "มีสินเชื่อสีเขียวไหม",
        "ok",
        "CBAM?",
        "is there a green loan for my bakery",
        "who buys used cooking oil from my restaurant?",
        "tư vấn giúp tôi tiết kiệm điện",  # advice, not an advisor
        "can you advise me on rooftop solar?",
        "which expert certifies ISO 14001?",
    ],
}


@pytest.mark.parametrize(("kind", "text"), [(kind, text) for kind, texts in CASES.items() for text in texts])
def test_each_kind_of_message(kind: MessageKind, text: str) -> None:
    assert classify(text) is kind
