"""A tokenizer for scripts written without spaces between words (Japanese, Chinese, Thai)
and for Korean, whose particles cling to nouns.

Each CJK, Hangul or Thai character becomes a token and runs of Latin letters or digits stay
whole, so a phrase pattern matches inside a longer word ("딥페이크" in "딥페이크를") and
"IMDA" still matches only as a word. It needs no dictionary, so no model download.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF]+(?:[.'’&-][A-Za-z0-9\u00C0-\u024F]+)*|\S")


class ScriptTokenizer:
    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # Whitespace other than one space after a token becomes a token of its own, so that
        # character offsets in the Doc are those of the input text.
        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for match in _TOKEN.finditer(text):
            gap = text[position : match.start()]
            if gap and words and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
            words.append(match.group())
            spaces.append(False)
            position = match.end()
        tail = text[position:]
        if tail and words and tail[0] == " ":
            spaces[-1] = True
            tail = tail[1:]
        if tail:
            words.append(tail)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

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
