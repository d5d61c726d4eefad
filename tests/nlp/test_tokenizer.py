import spacy

from nlp.tokenizer import ScriptTokenizer, WordTokenizer


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


def words(text: str) -> list[str]:
    return [token.text for token in WordTokenizer(spacy.blank("xx").vocab)(text)]


def test_word_tokenizer_splits_like_spacy_on_the_phrases_we_match():
    assert words("eSafety's anti-scam code") == ["eSafety", "'", "s", "anti", "-", "scam", "code"]
    assert words("U.S. and AT&T paid $1.5m.") == ["U.S", ".", "and", "AT&T", "paid", "$", "1.5m", "."]
    assert words("Bộ Văn hóa, Thể thao") == ["Bộ", "Văn", "hóa", ",", "Thể", "thao"]
    assert words("a ransom of US$300,000") == ["a", "ransom", "of", "US$", "300", ",", "000"]


def test_word_tokenizer_keeps_the_text_and_its_offsets():
    for text in ["  a  b\n\n c ", "x", "", " ", "end. ", "a\tb"]:
        doc = WordTokenizer(spacy.blank("xx").vocab)(text)
        assert doc.text == text
        assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)
