"""A tokenizer for scripts written without spaces between words (Japanese, Chinese, Thai)
and for Korean, whose particles cling to nouns.

Each CJK, Hangul or Thai character becomes a token, runs of Latin letters or digits stay
whole and so do runs of whitespace, so a phrase pattern matches inside a longer word
("딥페이크" in "딥페이크를") but not across a space, and "IMDA" still matches only as a word.
It needs no dictionary, so no model download.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF]+(?:[.'’&-][A-Za-z0-9\u00C0-\u024F]+)*|\s+|\S")


class ScriptTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # Whitespace is a token of its own: a pattern must not match across a space
        # ("호주" must not match "보호 주무부처"), and offsets stay those of the input.
        words = _TOKEN.findall(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    def pipe(self, texts, batch_size: int = 1000):
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


@registry.tokenizers("radar.ScriptTokenizer.v1")
def create_script_tokenizer():
    def make(nlp):
        return ScriptTokenizer(nlp.vocab)

    return make
