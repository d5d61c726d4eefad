import pytest

from nlp.language import LanguageIdentifier


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier.load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The regulator said the code would take effect next year for all platforms.", "en"),
        (
            "Kementerian mengatakan platform digital tidak bisa lagi membiarkan konten judi online karena "
            "merugikan warga.",
            "id",
        ),
        (
            "Suruhanjaya berkata kerajaan boleh mengambil tindakan kerana kandungan dalam talian itu "
            "menjejaskan kanak-kanak.",
            "ms",
        ),
        (
            "Hinimok ng ahensya ang mga mamamayan na iulat ang mga text scam sa hotline para sa kanilang kaligtasan.",
            "tl",
        ),
        ("Bộ Công an cho biết các đối tượng lừa đảo trực tuyến đã chiếm đoạt tài sản của nhiều người dân.", "vi"),
        ("総務省は大規模プラットフォーム事業者を指定した。", "ja"),
        ("国家互联网信息办公室发布人工智能生成合成内容标识办法。", "zh"),
        ("방송통신심의위원회는 딥페이크 성범죄물 삭제를 요청했다.", "ko"),
        ("สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคลสั่งปรับบริษัทเอกชน", "th"),
        ("सरकार ने डीपफेक पर नए नियम जारी किए हैं।", "hi"),
    ],
)
def test_identifies_each_language(identifier, text, expected):
    assert identifier.identify(text).language == expected


def test_japanese_with_many_latin_names_is_still_japanese(identifier):
    text = "総務省はGoogle、LINEヤフー、Meta、TikTok、Xの5社を指定した。"
    assert identifier.identify(text).language == "ja"


@pytest.mark.parametrize("text", ["", "   ", "12345 67 89", "\x00\x01\x02", "!!! ??? ..."])
def test_text_without_words_defaults_to_english_and_says_so(identifier, text):
    guess = identifier.identify(text)
    assert guess.language == "en"
    assert "default" in guess.reason
