"""Tell which language an item is written in, with no statistical model.

Scripts settle Thai, Korean, Japanese, Chinese and Hindi. Latin-script text is scored by the
function words of `data/languages.yaml`; Vietnamese is also recognised by its letters, and
Indonesian is told from Malay by marker words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from nlp.resources import DEFAULT_DATA_DIR, LANGUAGES, load_yaml

SAMPLE_CHARS = 1500  # enough to decide; reading more only costs time
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Letters that only Vietnamese uses among the languages we read.
_VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


@dataclass(frozen=True)
class LanguageGuess:
    language: str
    reason: str


class LanguageIdentifier:
    """Guess the language of a text among the tagger's languages."""

    def __init__(self, function_words: dict[str, set[str]], markers: dict[str, set[str]]):
        self.function_words = function_words
        self.markers = markers

    @classmethod
    def load(cls, data_dir: Path = DEFAULT_DATA_DIR) -> LanguageIdentifier:
        raw = load_yaml(data_dir / "languages.yaml")
        return cls(
            function_words={lang: set(words) for lang, words in raw["function_words"].items()},
            markers={lang: set(words) for lang, words in raw["markers"].items()},
        )

    def identify(self, text: str) -> LanguageGuess:
        sample = text[:SAMPLE_CHARS]
        scripts = _script_counts(sample)
        letters = sum(scripts.values())
        if letters == 0:
            return LanguageGuess("en", "no letters: defaulted to en")
        kana, han = scripts["kana"], scripts["han"]
        for script, lang in (("thai", "th"), ("hangul", "ko"), ("devanagari", "hi")):
            if scripts[script] >= 0.2 * letters:
                return LanguageGuess(lang, f"{script} script")
        if kana + han >= 0.2 * letters:
            if kana >= 0.05 * (kana + han):
                return LanguageGuess("ja", "kana with han")
            return LanguageGuess("zh", "han without kana")
        return self._latin(sample.lower())

    def _latin(self, sample: str) -> LanguageGuess:
        words = _WORD.findall(sample)
        if not words:
            return LanguageGuess("en", "no words: defaulted to en")
        vietnamese_letters = len(_VIETNAMESE.findall(sample))
        if vietnamese_letters >= 0.03 * sum(map(len, words)):
            return LanguageGuess("vi", "Vietnamese letters")
        counts = Counter(words)
        scores = {lang: sum(counts[w] for w in vocabulary) for lang, vocabulary in self.function_words.items()}
        best = max(scores, key=lambda lang: scores[lang])
        if scores[best] == 0:
            return LanguageGuess("en", "no function words: defaulted to en")
        if best in ("id", "ms"):
            id_markers = sum(counts[w] for w in self.markers["id"])
            ms_markers = sum(counts[w] for w in self.markers["ms"])
            best = "ms" if ms_markers > id_markers else "id"
            return LanguageGuess(best, f"markers id={id_markers} ms={ms_markers}")
        return LanguageGuess(best, f"function words {scores[best]}")


_SCRIPTS = {
    "thai": re.compile(r"[\u0E00-\u0E7F]"),
    "hangul": re.compile(r"[\uAC00-\uD7AF\u1100-\u11FF\u3130-\u318F]"),
    "kana": re.compile(r"[\u3040-\u30FF]"),
    "han": re.compile(r"[\u4E00-\u9FFF\u3400-\u4DBF\uF900-\uFAFF]"),
    "devanagari": re.compile(r"[\u0900-\u097F]"),
    "latin": re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"),
}


def _script_counts(text: str) -> Counter[str]:
    # One regex pass per script runs in C; a per-character loop would cost more than tagging.
    return Counter({script: len(pattern.findall(text)) for script, pattern in _SCRIPTS.items()})


def is_supported(lang: str | None) -> bool:
    return lang in LANGUAGES
