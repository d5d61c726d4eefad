"""Near-duplicate detection for grouping items into stories: MinHash over shingles, LSH bands.

An item's *sketch* is a MinHash signature (fixed seed) of its normalised title and
text cut into shingles: 3-word shingles, or 5-character shingles for text in scripts written
without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar). The signature is cut into bands;
two items sharing a band are candidates, and a candidate is a near-duplicate when the signatures
estimate a Jaccard similarity of at least `THRESHOLD`.

Why 0.5: a wire story re-run with a new headline, a trimmed paragraph and a few words changed
keeps well over half of its 3-word shingles (changing one word in twenty leaves J around 0.75),
while two different articles on the same policy share few (J below 0.1 unless one quotes the
other at length). Copies that keep only half of the original fall near the line; a lower
threshold would start to merge distinct releases that quote the same law at length.

Why 16 bands of 3 rows: an item pair at J = 0.5 shares a band with probability 0.88, at
J = 0.6 with 0.98 and at J = 0.1 with 0.016, for 16 small rows per item in the bands table.
The other 80 values of the 128-value signature only sharpen the similarity estimate.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

NUM_PERM = 128
SEED = 20_260_101
BANDS = 16
ROWS_PER_BAND = 3
THRESHOLD = 0.5
WORD_SHINGLE = 3
CHAR_SHINGLE = 5
# Fewer shingles than this (a bare headline) is too little to tell a copy from a look-alike.
MIN_SHINGLES = 8
# Enough of an item to recognise its copies; keeps very long documents from costing more.
MAX_TOKENS = 3000

# Scripts written without spaces between words: each character is a token.
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")
_CHAR_TOKEN = re.compile(rf"[{_UNSPACED}]")
_ASCII_PUNCTUATION = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"})
# Odd 64-bit multipliers that mix a window of token hashes into one shingle hash.
_MIXERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)
_BAND_SALTS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0x632BE59BD9B4E019)


@dataclass(frozen=True)
class Sketch:
    """An item's MinHash signature and the LSH band keys cut from it."""

    signature: np.ndarray  # uint32[NUM_PERM]
    bands: tuple[int, ...]  # signed 64-bit keys, one per band

    def to_bytes(self) -> bytes:
        return self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Sketch:
        signature = np.frombuffer(raw, dtype="<u4").astype(np.uint32)
        return cls(signature, band_keys(signature))


@dataclass(frozen=True)
class StoryCandidate:
    """A stored (or earlier in the batch) item that a new item may be a near-duplicate of."""

    item_id: str
    story_id: str
    age: tuple[str, str]  # (ISO time first published or seen, id): the smallest is the oldest
    sketch: Sketch


def tokens(text: str) -> tuple[list[str], int]:
    """Normalised tokens (lower-cased words, and single characters of unspaced scripts), and how
    many of them are such characters."""
    if text.isascii():
        return text.lower().translate(_ASCII_PUNCTUATION).split(), 0
    normalised = unicodedata.normalize("NFKC", text).casefold()
    return _TOKEN.findall(normalised), len(_CHAR_TOKEN.findall(normalised))


def shingle_hashes(title: str, text: str) -> np.ndarray:
    """32-bit hashes of the shingles of an item's title and text, repeats included (a MinHash is
    the same either way), or an empty array when there are fewer than MIN_SHINGLES."""
    words, unspaced = tokens(f"{title}\n{text}")
    size = CHAR_SHINGLE if unspaced * 2 > len(words) else WORD_SHINGLE
    words = words[:MAX_TOKENS]
    count = len(words) - size + 1
    if count < MIN_SHINGLES:
        return np.empty(0, dtype=np.uint32)
    # map() keeps the per-word work in C: this is most of the cost of a sketch.
    word_hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        mixed += word_hashes[offset : offset + count] * _MIXERS[offset]
    return (mixed >> np.uint64(32)).astype(np.uint32)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """NUM_PERM affine maps h -> a*h + b (mod 2**32); an odd `a` makes each a permutation."""
    rng = np.random.Generator(np.random.PCG64(SEED))
    a = rng.integers(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = rng.integers(0, 1 << 32, NUM_PERM, dtype=np.uint64).astype(np.uint32)
    return a, b


def _avalanche(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser: spreads every input bit over the output before the affine
    maps, which alone would leave low bits weakly mixed."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature (uint32[NUM_PERM]) of a set of 32-bit hashes: for each permutation,
    the smallest image of any member. Two sets agree at a position with probability equal to
    their Jaccard similarity. (The scheme of datasketch's "affine32" MinHash, without its
    per-element Python call, which costs more than the rest of a sketch.)"""
    a, b = _permutations()
    images = np.multiply.outer(a, _avalanche(hashes.astype(np.uint32)))  # one row per permutation
    images += b.reshape(-1, 1)
    return images.min(axis=1)


def sketch(title: str, text: str) -> Sketch | None:
    """The item's sketch, or None when it is too short to be compared with others."""
    hashes = shingle_hashes(title, text)
    if len(hashes) < MIN_SHINGLES:
        return None
    signature = minhash(hashes)
    return Sketch(signature, band_keys(signature))


def band_keys(signature: np.ndarray) -> tuple[int, ...]:
    """One signed 64-bit key per band: a hash of the band's number and its rows' values."""
    rows = signature[: BANDS * ROWS_PER_BAND].astype(np.uint64).reshape(BANDS, ROWS_PER_BAND)
    key = _BAND_SALTS.copy()
    for row in range(ROWS_PER_BAND):
        key = (key ^ rows[:, row]) * _MIXERS[row]
        key ^= key >> np.uint64(29)
    return tuple(key.view(np.int64).tolist())


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two items' shingle sets."""
    return float(np.count_nonzero(a.signature == b.signature)) / NUM_PERM


def oldest_near_duplicate(item: Sketch, candidates: Iterable[StoryCandidate]) -> StoryCandidate | None:
    """The oldest candidate at least THRESHOLD similar to the item, if any: the item joins its story."""
    matches = [candidate for candidate in candidates if similarity(item, candidate.sketch) >= THRESHOLD]
    return min(matches, key=lambda candidate: candidate.age, default=None)
