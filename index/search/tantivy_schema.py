"""The tantivy index's schema, analyzers and documents.

The `text` field holds an item's text and then, as a second value, its title, so a word is
one posting list to search rather than a title's and a text's merged (the title's own field
only adds to the score of a title match: `TantivyQueries.title_boosts`).

Text is analysed by `radar_words`: a run of Latin, Cyrillic, Devanagari or other
spaced-script letters and digits is one token, lower-cased and ASCII-folded (Việt -> viet),
and each Chinese, Japanese, Korean or Thai character is a token of its own. The characters
are split apart before tantivy sees the text: `spaced` puts a SEPARATOR (a private-use
character, never part of a token) on each side of them, and tantivy's own `simple` tokenizer
splits on it; a regex tokenizer did the same work 2.5 times slower. The stored title and text
keep the separators, and `unspaced` removes them on the way out.
A phrase of those characters would walk one long posting list per character (a Korean word
is a phrase of syllables, each in most Korean items), so the same characters are also indexed
as overlapping pairs, Elasticsearch's `cjk` bigrams, in `title_cjk` and `text_cjk` (made in
Python, `character_pairs_text`: tantivy's n-gram tokenizer gives every n-gram the same
position, so no phrase could be searched): a query of two or more such characters searches
the pairs, which are far rarer. A run continues across spaces and punctuation, as the phrase
of single characters does (they are not tokens), and ends at any other token. The single
characters stay in `title` and `text` for a one-character query, a query that mixes scripts
in one word ("生成AI"), and highlighting.
Nothing is stemmed at index time (a stemmed copy of every text made indexing more than twice
as slow): a one-word query searches the word's regular English inflections instead
(`inflections.py`), so "regulations" finds "regulation".

Filters read keyword fields (`raw` tokenizer). Facet counts read fast columns, and tantivy's
time to count grows with the number of columns read per match (about 1.3 ms per column per
million matches here), so each column holds a combination: `facet_jurisdictions` an item's
set of jurisdictions as one value ("AU|SG"), `facet_harm_areas` its harm areas likewise,
`facet_kind` its document type, source kind and language together, and `facet_month` the
month published (YYYY-MM, for the histogram). The counts per combination are summed per value
(`facet_values`). A column with nothing to hold holds EMPTY, since dense columns count fastest.
Two more fast fields serve ordering without fetching stored documents: `newest` (published
time + id: the newest-first sort key and its cursor) and `fingerprint` (id + content hash, in
id order).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import tantivy

from index.records import FACET_FIELDS, StoredItem
from index.search.expansion import CHARACTER_SCRIPTS
from index.search.query import normalize_keyword

WORDS = "radar_words"
CHARACTER_PAIRS = "radar_character_pairs"
SEPARATOR = "\ue000"
LONG_TOKEN_BYTES = 60  # `words_analyzer` drops tokens this long
_CHARACTER_CLASS = "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in CHARACTER_SCRIPTS) + "]"
_CHARACTERS = re.compile(_CHARACTER_CLASS + "+")
# Characters in runs that only spaces, punctuation and other non-tokens interrupt.
_CHARACTER_RUNS = re.compile(f"{_CHARACTER_CLASS}+(?:[^\\w{SEPARATOR}]*{_CHARACTER_CLASS}+)*")
NO_DATE = "00000000000000"
STORED_KEYWORDS = ("id", "url", "story_id", "source", *FACET_FIELDS)
# Facet columns, and the fields whose values each holds (joined by VALUE_JOIN, in this order).
FACET_COLUMNS = {
    "facet_jurisdictions": ("jurisdictions",),
    "facet_harm_areas": ("harm_areas",),
    "facet_kind": ("doc_type", "source_kind", "language"),
    "facet_month": ("month",),
}
VALUE_JOIN = "|"  # taxonomy ids, codes and kinds hold none (a stray one is dropped)
EMPTY = "~"


def facet_values(column: str, key: str) -> list[tuple[str, str]]:
    """(field, value) for each value a facet column's `key` stands for (EMPTY left out)."""
    fields = FACET_COLUMNS[column]
    if len(fields) == 1:
        return [(fields[0], value) for value in key.split(VALUE_JOIN) if value != EMPTY]
    return [(field, value) for field, value in zip(fields, key.split(VALUE_JOIN), strict=True) if value != EMPTY]


def spaced(text: str) -> str:
    """`text` with each CJK, Hangul or Thai character set apart by SEPARATORs (any already
    there are dropped, so `unspaced` gives the text back)."""
    if text.isascii():
        return text
    if SEPARATOR in text:
        text = text.replace(SEPARATOR, "")
    return _CHARACTERS.sub(_set_apart, text)


def _set_apart(run: re.Match[str]) -> str:
    return SEPARATOR + SEPARATOR.join(run.group()) + SEPARATOR


def unspaced(text: str) -> str:
    return text.replace(SEPARATOR, "")


def without_separators(fragment: str, ranges: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """A fragment of spaced text unspaced, with character `ranges` in it moved to match."""
    if SEPARATOR not in fragment:
        return fragment, ranges
    shift, kept = [], 0  # shift[i]: the position of fragment[i] once the separators are gone
    for char in fragment:
        shift.append(kept)
        kept += char != SEPARATOR
    shift.append(kept)
    return unspaced(fragment), [(shift[start], shift[end]) for start, end in ranges]


def words_analyzer() -> tantivy.TextAnalyzer:
    """For `spaced` text."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(LONG_TOKEN_BYTES))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


_WORDS = words_analyzer()
# For ASCII text, the `simple` tokenizer and `lowercase` in one byte table: letters lower-cased,
# digits kept, anything else a space.
_ASCII_WORDS = bytes(
    (code | 0x20 if chr(code).isalpha() else code) if code < 128 and chr(code).isalnum() else 0x20
    for code in range(256)
)
# Punctuation that separates tokens as a space does, common in otherwise ASCII English.
_TYPOGRAPHY = str.maketrans(
    dict.fromkeys("\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00b7\u00ab\u00bb", " ")
)


def plain_tokens(text: str) -> list[str]:
    """The tokens `words_analyzer` makes of `spaced` text, for matching terms: ASCII text
    (typographic quotes and dashes aside) is split by a byte table instead, several times
    faster, and keeps the tokens of LONG_TOKEN_BYTES or more that the analyzer drops (no term
    is that long, and the analyzer leaves a gap where they were, so no phrase matches across
    them either)."""
    plain = text if text.isascii() else text.translate(_TYPOGRAPHY)
    if not plain.isascii():
        return _WORDS.analyze(text)
    return plain.encode().translate(_ASCII_WORDS).decode().split()


def _not_a_character() -> re.Pattern[str]:
    """What a run of characters is without: anything outside CHARACTER_SCRIPTS, and the
    characters of the smaller scripts that `words_analyzer` makes no token of (Thai tone marks,
    for one), since a phrase of single characters passes over them."""
    analyzer = words_analyzer()
    kept: list[tuple[int, int]] = []
    for low, high in CHARACTER_SCRIPTS:
        if high - low >= 1024:  # ideographs and Hangul syllables: letters all
            kept.append((low, high))
            continue
        for code in range(low, high + 1):
            if not analyzer.analyze(chr(code)):
                continue
            if kept and kept[-1][1] == code - 1:
                kept[-1] = (kept[-1][0], code)
            else:
                kept.append((code, code))
    return re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in kept) + "]+")


_NOT_A_CHARACTER = _not_a_character()


def character_runs(text: str) -> list[str]:
    """The runs of CJK, Hangul and Thai characters in (unspaced) `text`, without what interrupts
    them: "개인 정보, 深度伪造 AI" -> ["개인정보", "深度伪造"]."""
    if text.isascii():
        return []
    return [_NOT_A_CHARACTER.sub("", run) for run in _CHARACTER_RUNS.findall(text)]


def character_pairs_text(text: str) -> str:
    """The `*_cjk` fields' text: the pairs of the character runs of `text`, separated by spaces.
    The runs are joined by SEPARATOR, so the pairs that span two runs hold one and no query
    finds them. Made with numpy, a column of characters beside the same column shifted by one:
    a pair at a time in Python took longer than the rest of indexing a Chinese item."""
    runs = character_runs(text)
    codes = np.frombuffer(SEPARATOR.join(runs).encode("utf-32-le"), dtype=np.uint32)
    if len(codes) < 2:
        return ""
    pairs = np.empty((len(codes) - 1, 3), dtype=np.uint32)
    pairs[:, 0], pairs[:, 1], pairs[:, 2] = codes[:-1], codes[1:], ord(" ")
    return pairs.tobytes().decode("utf-32-le")


def is_character_run(text: str) -> bool:
    """Whether `text` is made only of CJK, Hangul and Thai characters."""
    return _CHARACTERS.fullmatch(text) is not None


def character_pairs(run: str) -> list[str]:
    """The overlapping pairs of a run of characters."""
    return list(map(str.__add__, run, run[1:]))


def character_pairs_analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def register_analyzers(index: tantivy.Index) -> None:
    """Analyzers are not stored in the index: register them every time one is opened."""
    index.register_tokenizer(WORDS, words_analyzer())
    index.register_tokenizer(CHARACTER_PAIRS, character_pairs_analyzer())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in STORED_KEYWORDS:
        builder.add_text_field(name, stored=True, fast=name == "id", tokenizer_name="raw", index_option="basic")
    for column in FACET_COLUMNS:
        builder.add_text_field(column, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source_key", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("stakeholders", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("concepts", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=WORDS)
    builder.add_text_field("text", stored=True, tokenizer_name=WORDS)
    for name in ("title_cjk", "text_cjk"):
        builder.add_text_field(name, tokenizer_name=CHARACTER_PAIRS)
    builder.add_date_field("published", stored=True, indexed=True, fast=True)
    for name in ("newest", "fingerprint"):
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Naive times are taken as UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def newest_key(published_at: dt.datetime | None, item_id: str) -> str:
    """Sorts newest first when descending; unique (the id is in it) and made only of [0-9a-f]
    digits so it can be a range bound in tantivy's query syntax."""
    stamp = as_utc(published_at).strftime("%Y%m%d%H%M%S") if published_at else NO_DATE
    return stamp + item_id.encode("utf-8").hex()


def fingerprint_key(item_id: str, content_hash: str) -> str:
    """Id then content hash, hex-encoded and joined by an 'x' (not a hex digit)."""
    return item_id.encode("utf-8").hex() + "x" + content_hash.encode("utf-8").hex()


def split_fingerprint(key: str) -> tuple[str, str]:
    item_id, content_hash = key.split("x")
    return bytes.fromhex(item_id).decode("utf-8"), bytes.fromhex(content_hash).decode("utf-8")


def item_document(item: StoredItem, concepts: Callable[[str, str], list[str]] | None = None) -> tantivy.Document:
    """The document for `item`; `concepts` finds the expansion concepts in its spaced title and text."""
    published = as_utc(item.published_at) if item.published_at else None
    facets = {
        "jurisdictions": [normalize_keyword("jurisdictions", code) for code in item.jurisdictions],
        "harm_areas": [normalize_keyword("harm_areas", harm) for harm in item.harm_areas],
        "doc_type": [normalize_keyword("doc_type", item.doc_type)],
        "source_kind": [normalize_keyword("source_kind", item.source_kind)] if item.source_kind else [],
        "language": [normalize_keyword("language", item.language)],
        "month": [published.strftime("%Y-%m")] if published else [],
    }
    title, text = spaced(item.title), spaced(item.text)
    document = tantivy.Document(
        id=item.id,
        url=item.url,
        title=title,
        text=[text, title],
        story_id=item.story_id,
        jurisdictions=facets["jurisdictions"],
        harm_areas=facets["harm_areas"],
        doc_type=facets["doc_type"],
        language=facets["language"],
        stakeholders=[normalize_keyword("stakeholders", name) for name in item.stakeholders],
        newest=newest_key(item.published_at, item.id),
        fingerprint=fingerprint_key(item.id, item.content_hash),
        concepts=concepts(title, text) if concepts else [],
    )
    if not item.title.isascii():
        document.add_text("title_cjk", character_pairs_text(item.title))
    if not item.text.isascii() or not item.title.isascii():  # the text and then the title, as in `text`
        document.add_text("text_cjk", character_pairs_text(item.text + SEPARATOR + item.title))
    if item.source:
        document.add_text("source", item.source)
        document.add_text("source_key", normalize_keyword("source", item.source))
    if item.source_kind:
        document.add_text("source_kind", facets["source_kind"][0])
    if published:
        document.add_date("published", published)
    for column, fields in FACET_COLUMNS.items():
        if len(fields) == 1:  # a set of values, in order
            values = sorted({value.replace(VALUE_JOIN, "") for value in facets[fields[0]] if value})
        else:  # one value (maybe EMPTY) of each field
            values = [(facets[field] or [EMPTY])[0].replace(VALUE_JOIN, "") or EMPTY for field in fields]
        document.add_text(column, VALUE_JOIN.join(values) or EMPTY)
    return document
