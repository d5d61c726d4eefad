"""The query language on any text: a tree or a QueryError that says what is wrong, never another
exception, and quickly (a query is parsed on every search and every subscription saved)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.records import MAX_LIMIT, QueryError, SearchQuery
from index.search.expansion import Equivalents, default_equivalents_file, search_tree
from index.search.query import (
    EARLIEST_DAY,
    FIELDS,
    LATEST_DAY,
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    And,
    Node,
    Not,
    Or,
    Term,
    leaves,
    parse_query,
)
from tests.security.fuzzing import fuzzed, texts

# Pieces of the query language, so that the fuzzer builds queries that go deep into the parser.
PIECES = st.sampled_from(
    [
        "AND", "OR", "NOT", "and", "-", "+", "(", ")", '"', "*", "**", "-(", "((", "))", ":", "age", "assurance",
        "scam", "deepfake", "age assurance", "online safety", "misinformation", "e-safety", "10:30",
        "딥페이크", "ディープフェイク", "深度合成", "การพนัน", "lừa đảo", "regulat*", "re*", "ü*", "_*",
        *(f"{name}:" for name in FIELDS), "country:sg", "title:(", "harm:child*", "nope:", "-country:cn",
    ]
)  # fmt: skip


def queries() -> st.SearchStrategy[str]:
    """Query-shaped text: pieces of the language and arbitrary text, with or without spaces."""
    piece = st.one_of(PIECES, texts(12))
    return st.one_of(
        texts(80),
        st.lists(piece, max_size=30).map(" ".join),
        st.lists(piece, max_size=30).map("".join),
    )


@cache
def equivalents() -> Equivalents:
    return Equivalents.from_file(default_equivalents_file())


def depth(node: Node) -> int:
    if isinstance(node, Term):
        return 0
    if isinstance(node, Not):
        return 1 + depth(node.child)
    return 1 + max(depth(child) for child in node.children)


@fuzzed(max_examples=400)
@given(text=queries())
def test_any_text_is_a_tree_or_a_query_error(text: str) -> None:
    try:
        node = parse_query(text)
    except QueryError as error:
        assert str(error), "a QueryError says what is wrong"
        return
    if node is None:
        assert not text.strip()
        return
    found = leaves(node)
    assert 1 <= len(found) <= MAX_TERMS
    for term in found:
        assert term.text.strip() and (term.field is None or term.field in FIELDS.values())


@fuzzed()
@given(text=queries(), expand=st.booleans())
def test_any_text_searches_as_a_tree_or_a_query_error(text: str, expand: bool) -> None:
    try:
        node, added = search_tree(SearchQuery(text=text, expand=expand), equivalents())
    except QueryError:
        return
    assert node is not None or not text.strip()
    assert expand or not added
    if node is not None:
        assert isinstance(node, Term | And | Or | Not)


@fuzzed(max_examples=100)
@given(
    limit=st.integers(-(2**70), 2**70),
    since=st.none() | st.dates(),
    until=st.none() | st.dates(),
    sort=st.sampled_from(["relevance", "newest", "", "NEWEST", "random"]),
)
def test_any_search_settings_are_checked(limit: int, since: dt.date | None, until: dt.date | None, sort: str) -> None:
    search = SearchQuery(limit=limit, since=since, until=until, sort=sort)  # type: ignore[arg-type]
    usable = (
        1 <= limit <= MAX_LIMIT
        and sort in ("relevance", "newest")
        and all(day is None or EARLIEST_DAY <= day <= LATEST_DAY for day in (since, until))
        and not (since and until and since > until)
    )
    try:
        search_tree(search, None)
    except QueryError:
        assert not usable
        return
    assert usable


@pytest.mark.parametrize(
    "text",
    [
        "x" * MAX_QUERY_CHARS,  # the longest query allowed, one word
        "a1 " * (MAX_QUERY_CHARS // 3),  # 333 words: over the term limit
        "NOT " * (MAX_QUERY_CHARS // 4 - 1) + "x",  # NOT NOT NOT ... x
        "-" * (MAX_QUERY_CHARS - 1) + "x",
        "(" * (MAX_QUERY_CHARS // 2) + ")" * (MAX_QUERY_CHARS // 2),
        "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
        "(a1 OR " * 120 + "b2" + ")" * 120,
        '"' * MAX_QUERY_CHARS,
        " OR ".join(["x"] * 200),
    ],
    ids=["long-word", "many-words", "many-nots", "many-dashes", "parentheses", "deepest", "too-deep", "quotes", "ors"],
)
def test_worst_cases_are_parsed_quickly_and_bounded(text: str) -> None:
    assert len(text) <= MAX_QUERY_CHARS
    try:
        node = parse_query(text)
    except QueryError:
        return
    assert node is not None and depth(node) <= MAX_QUERY_CHARS
