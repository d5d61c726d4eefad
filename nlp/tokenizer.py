"""The tagger's tokenizers: regular expressions, no dictionary, no model download.

`ScriptTokenizer`, for scripts written without spaces between words (Japanese, Chinese, Thai)
and for Korean, whose particles cling to nouns: each CJK, Hangul or Thai character becomes a
token, runs of Latin letters or digits stay whole and so do runs of whitespace, so a phrase
pattern matches inside a longer word ("딥페이크" in "딥페이크를") but not across a space, and
"IMDA" still matches only as a word.

`WordTokenizer`, for spaced Latin-script languages: words (with inner dots and ampersands:
"U.S", "AT&T", "1.5") and single punctuation marks. It splits the way spaCy's rule-based
tokenizer does for the phrases the tagger matches ("anti-scam" is anti, -, scam; "eSafety's"
is eSafety, ', s), at a third of the cost on words it has not seen, since the tagger needs no
exceptions such as "don't".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_SCRIPT_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF]+(?:[.'’&-][A-Za-z0-9\u00C0-\u024F]+)*|\s+|\S")
# A currency prefix stays whole ("US$300" is US$, 300), so "US" in a price names no country.
_WORD_TOKEN = re.compile(r"[^\W_]+(?:[.&][^\W_]+)*(?:\$(?=\d))?|\s+|\S")


class ScriptTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # Whitespace is a token of its own: a pattern must not match across a space
        # ("호주" must not match "보호 주무부처"), and offsets stay those of the input.
        words = _SCRIPT_TOKEN.findall(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> ScriptTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> ScriptTokenizer:
        return self


class WordTokenizer(ScriptTokenizer):
    def __call__(self, text: str) -> Doc:
        # One space after a token is that token's trailing space; any other whitespace is a
        # token, so the Doc's character offsets are those of the input.
        words: list[str] = []
        spaces: list[bool] = []
        for piece in _WORD_TOKEN.findall(text):
            if piece == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
            else:
                words.append(piece)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


@registry.tokenizers("radar.ScriptTokenizer.v1")
def create_script_tokenizer():
    def make(nlp):
        return ScriptTokenizer(nlp.vocab)

    return make


@registry.tokenizers("radar.WordTokenizer.v1")
def create_word_tokenizer():
    def make(nlp):
        return WordTokenizer(nlp.vocab)

    return make
