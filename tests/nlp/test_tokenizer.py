import spacy

from nlp.tokenizer import ScriptTokenizer


def tokenize(text: str) -> list[str]:
    return [token.text for token in ScriptTokenizer(spacy.blank("xx").vocab)(text)]


def test_cjk_hangul_and_thai_become_single_characters():
    assert tokenize("딥페이크를") == ["딥", "페", "이", "크", "를"]
    assert tokenize("보호 주무") == ["보", "호", " ", "주", "무"]
    assert tokenize("総務省") == ["総", "務", "省"]
    assert tokenize("กสทช") == ["ก", "ส", "ท", "ช"]


def test_latin_words_and_numbers_stay_whole():
    assert tokenize("LINEヤフーとTikTok、2025年") == ["LINE", "ヤ", "フ", "ー", "と", "TikTok", "、", "2025", "年"]


def test_text_and_offsets_survive_any_whitespace():
    for text in ["  a  b\n\n c ", "\t총무\u3000省 ", "", " ", "x"]:
        doc = ScriptTokenizer(spacy.blank("xx").vocab)(text)
        assert doc.text == text
