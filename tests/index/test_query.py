"""The query language parser: trees for good queries, readable errors for bad ones."""

from __future__ import annotations

import pytest

from index.records import QueryError, SearchQuery
from index.search.cursor import decode_cursor, encode_cursor
from index.search.query import FIELDS, MAX_TERMS, And, Not, Or, Term, leaves, parse_query


def words(*texts: str) -> tuple[Term, ...]:
    return tuple(Term(text) for text in texts)


def test_empty_query_lists_by_filters() -> None:
    assert parse_query("") is None
    assert parse_query("   \t ") is None


def test_default_operator_is_and() -> None:
    assert parse_query("age assurance") == And(words("age", "assurance"))
    assert parse_query("age AND assurance") == And(words("age", "assurance"))


def test_and_binds_tighter_than_or() -> None:
    assert parse_query("a1 b2 OR c3") == Or((And(words("a1", "b2")), Term("c3")))
    assert parse_query("a1 (b2 OR c3)") == And((Term("a1"), Or(words("b2", "c3"))))


def test_lower_case_operators_are_words() -> None:
    assert parse_query("terms and conditions") == And(words("terms", "and", "conditions"))


def test_negation() -> None:
    assert parse_query("scam -crypto") == And((Term("scam"), Not(Term("crypto"))))
    assert parse_query("scam NOT crypto") == And((Term("scam"), Not(Term("crypto"))))
    assert parse_query("-(a1 OR b2)") == Not(Or(words("a1", "b2")))
    assert parse_query("e-safety") == Term("e-safety")  # a hyphen inside a word is not an operator


def test_phrases() -> None:
    assert parse_query('"age   assurance"') == Term("age assurance", phrase=True)
    assert parse_query('scam -"crypto scam"') == And((Term("scam"), Not(Term("crypto scam", phrase=True))))


def test_fields_map_to_indexed_names() -> None:
    assert parse_query("country:sg") == Term("sg", field="jurisdictions")
    assert parse_query("Jurisdiction:AU") == Term("AU", field="jurisdictions")
    assert parse_query("harm:child_safety") == Term("child_safety", field="harm_areas")
    assert parse_query("lang:ko") == Term("ko", field="language")
    assert parse_query('stakeholder:"eSafety Commissioner"') == Term(
        "eSafety Commissioner", field="stakeholders", phrase=True
    )
    assert parse_query("title:(deepfake OR synthetic)") == Or(
        (Term("deepfake", field="title"), Term("synthetic", field="title"))
    )
    assert parse_query("-country:cn") == Not(Term("cn", field="jurisdictions"))
    assert {"title", "text", "country", "harm", "doc_type", "source", "source_kind", "lang", "stakeholder"} <= set(
        FIELDS
    )


def test_colons_that_are_not_fields() -> None:
    assert parse_query("10:30") == Term("10:30")
    assert parse_query('"https://example.org"') == Term("https://example.org", phrase=True)


def test_prefix() -> None:
    assert parse_query("regulat*") == Term("regulat", prefix=True)
    assert parse_query("harm:child*") == Term("child", field="harm_areas", prefix=True)


def test_punctuation_only_words_are_ignored() -> None:
    assert parse_query("scams & fraud") == And(words("scams", "fraud"))
    assert parse_query("— scams —") == Term("scams")
    assert parse_query('scams ""') == Term("scams")


def test_leaves() -> None:
    node = parse_query('a1 (b2 OR -c3) "d4 e5"')
    assert node is not None
    assert [leaf.text for leaf in leaves(node)] == ["a1", "b2", "c3", "d4 e5"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('age "assurance', 'Unbalanced quote: the " at character 5 opens a phrase that is never closed'),
        ("(age OR (scam)", "the ( at character 1 is never closed"),
        ("age) OR scam", "the ) at character 4 has no matching ("),
        ("foo:bar", "Unknown field 'foo' at character 1. Known fields: title, text, country (or jurisdiction), harm"),
        ("https://example.org", 'put it in quotes: "https://example.org"'),
        ("age *", "'*' at character 5 is an empty prefix"),
        ("a*", "the prefix 'a' is too short: give at least 2 letters"),
        ("x" * 1001, "The query is 1,001 characters long; the limit is 1,000"),
        ("age AND", "AND at character 5 needs a term after it"),
        ("age AND OR scam", "AND at character 5 needs a term after it"),
        ("OR age", "OR at character 1 needs a term before it"),
        ("age NOT", "NOT at character 5 needs a term after it"),
        ("country: AU", "The field country: at character 1 has no value after the colon"),
        ("age ()", "Empty parentheses at character 5"),
        ("((((((((((age))))))))))", "nested more than 8 deep"),
        ("???", "Nothing to search for in '???'"),
        ("title:(a1 text:b2)", "contradicts it"),
    ],
)
def test_errors_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert message in str(raised.value)


def test_too_many_terms() -> None:
    parse_query(" ".join(f"w{number}" for number in range(MAX_TERMS)))
    with pytest.raises(QueryError, match=f"{MAX_TERMS + 1} terms; the limit is {MAX_TERMS}"):
        parse_query(" OR ".join(f"w{number}" for number in range(MAX_TERMS + 1)))


def test_a_thousand_characters_are_allowed() -> None:
    assert parse_query("x" * 1000) == Term("x" * 1000)


def test_cursor_round_trip_and_tampering() -> None:
    query = SearchQuery(text="scam", sort="newest", limit=10)
    cursor = encode_cursor(query, "2025abc")
    assert decode_cursor(SearchQuery(text="scam", sort="newest", limit=50, cursor=cursor)) == "2025abc"
    assert decode_cursor(query) is None
    for other in (SearchQuery(text="fraud", sort="newest", cursor=cursor), SearchQuery(text="scam", cursor=cursor)):
        with pytest.raises(QueryError, match="cursor is not valid"):
            decode_cursor(other)
    for garbage in ("%%%", "e30", cursor[:-3]):
        with pytest.raises(QueryError, match="cursor is not valid"):
            decode_cursor(SearchQuery(text="scam", sort="newest", cursor=garbage))
