"""The tantivy index's schema, analyzers and documents.

Text (`title`, `text`) is analysed by `radar_words`: a run of Latin, Cyrillic, Devanagari or
other spaced-script letters and digits is one token, lower-cased and ASCII-folded (Việt -> viet),
and each Chinese, Japanese, Korean or Thai character is a token of its own, so a query in those
scripts runs as a phrase of characters (the effect of Elasticsearch's `cjk` bigrams without a
segmenter). The characters are split apart before tantivy sees the text: `spaced` puts a
SEPARATOR (a private-use character, never part of a token) on each side of them, and tantivy's
own `simple` tokenizer splits on it; a regex tokenizer did the same work 2.5 times slower. The
stored title and text keep the separators, and `unspaced` removes them on the way out.
Nothing is stemmed at index time (a stemmed copy of every text made indexing more than twice
as slow): a one-word query searches the word's regular English inflections instead
(`inflections.py`), so "regulations" finds "regulation".

Filters read keyword fields (`raw` tokenizer). Facet counts read fast columns: tantivy counts a
single-valued column several times faster than a multi-valued one, so a multi-valued tag
(jurisdictions, harm areas) is spread over FACET_SLOTS single-valued columns (`jurisdictions_1`,
`jurisdictions_2`, ...) plus a multi-valued `<field>_more` for the rare rest, and the counts are
summed per value. A column with nothing to hold holds EMPTY, since dense columns count fastest.
`month_1` (YYYY-MM) feeds the histogram the same way. Two more fast fields serve ordering without
fetching stored documents: `newest` (published time + id: the newest-first sort key and its
cursor) and `fingerprint` (id + content hash, in id order).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import tantivy

from index.records import FACET_FIELDS, StoredItem
from index.search.expansion import CHARACTER_SCRIPTS
from index.search.query import normalize_keyword

WORDS = "radar_words"
SEPARATOR = "\ue000"
LONG_TOKEN_BYTES = 60  # `words_analyzer` drops tokens this long
_CHARACTERS = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in CHARACTER_SCRIPTS) + "]+")
NO_DATE = "00000000000000"
STORED_KEYWORDS = ("id", "url", "story_id", "source", *FACET_FIELDS)
FACET_SLOTS = {"jurisdictions": 3, "harm_areas": 3, "doc_type": 1, "source_kind": 1, "language": 1, "month": 1}
EMPTY = "~"


def facet_columns(field: str) -> list[str]:
    """The fast columns that together hold a facet field's values."""
    slots = FACET_SLOTS[field]
    return [f"{field}_{number}" for number in range(1, slots + 1)] + ([f"{field}_more"] if slots > 1 else [])


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


def register_analyzers(index: tantivy.Index) -> None:
    """Analyzers are not stored in the index: register them every time one is opened."""
    index.register_tokenizer(WORDS, words_analyzer())


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in STORED_KEYWORDS:
        builder.add_text_field(name, stored=True, fast=name == "id", tokenizer_name="raw", index_option="basic")
    for field in FACET_SLOTS:
        for column in facet_columns(field):
            builder.add_text_field(column, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("source_key", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("stakeholders", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("concepts", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=WORDS)
    builder.add_text_field("text", stored=True, tokenizer_name=WORDS)
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
        text=text,
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
    if item.source:
        document.add_text("source", item.source)
        document.add_text("source_key", normalize_keyword("source", item.source))
    if item.source_kind:
        document.add_text("source_kind", facets["source_kind"][0])
    if published:
        document.add_date("published", published)
    for field, values in facets.items():
        _add_facet(document, field, [value for value in dict.fromkeys(values) if value])
    return document


def _add_facet(document: tantivy.Document, field: str, values: list[str]) -> None:
    slots = FACET_SLOTS[field]
    for column, value in zip(facet_columns(field), values[:slots] + [EMPTY] * (slots - len(values)), strict=False):
        document.add_text(column, value)
    for value in values[slots:]:
        document.add_text(f"{field}_more", value)
