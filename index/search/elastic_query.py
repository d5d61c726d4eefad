"""Compile the query tree and a search's filters into Elasticsearch query DSL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from index.records import SearchQuery
from index.search.query import (
    FILTER_FIELDS,
    KEYWORD_INDEX_FIELDS,
    TEXT_FIELDS,
    And,
    Node,
    Not,
    Or,
    Term,
    normalize_keyword,
)

Clause = dict[str, Any]

# Boosts as in the tantivy engine: title over text, a match only after stemming counts less.
_TEXT_FIELDS = {"title": ("title^2", "title.en^0.6"), "text": ("text", "text.en^0.3")}
_THAI_FIELDS = {"title": "title.th^2", "text": "text.th"}


def _has_thai(text: str) -> bool:
    return any(0x0E00 <= ord(char) <= 0x0E7F for char in text)


def compile_node(node: Node) -> Clause:
    """The DSL clause for a query tree."""
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Not):
        return {"bool": {"must_not": [compile_node(node.child)]}}
    if isinstance(node, Or):
        return {"bool": {"should": [compile_node(child) for child in node.children], "minimum_should_match": 1}}
    assert isinstance(node, And)
    must = [compile_node(child) for child in node.children if not isinstance(child, Not)]
    must_not = [compile_node(child.child) for child in node.children if isinstance(child, Not)]
    clause: dict[str, list[Clause]] = {"must": must} if must else {}
    if must_not:
        clause["must_not"] = must_not
    return {"bool": clause}


def _term(term: Term) -> Clause:
    if term.field is not None and term.field not in TEXT_FIELDS:
        field = KEYWORD_INDEX_FIELDS.get(term.field, term.field)
        value = normalize_keyword(term.field, term.text)
        if term.prefix:
            return {"prefix": {field: {"value": value, "boost": term.weight}}}
        return {"term": {field: {"value": value, "boost": term.weight}}}
    names = ("title", "text") if term.field is None else (term.field,)
    if term.prefix:
        return {
            "multi_match": {
                "query": term.text,
                "type": "phrase_prefix",
                "fields": list(names),
                "max_expansions": 200,
                "boost": term.weight,
            }
        }
    fields = [field for name in names for field in _TEXT_FIELDS[name]]
    if _has_thai(term.text):
        fields += [_THAI_FIELDS[name] for name in names]
    # A word the analyzer reduces to nothing ("_") is dropped, as the tantivy engine drops it.
    return {
        "multi_match": {
            "query": term.text,
            "type": "phrase",
            "fields": fields,
            "boost": term.weight,
            "zero_terms_query": "all",
        }
    }


def filter_clauses(search: SearchQuery) -> list[Clause]:
    """One clause per filter in use: OR within a field, every clause must match."""
    clauses: list[Clause] = []
    for attribute, field in FILTER_FIELDS.items():
        values = getattr(search, attribute)
        if values:
            normalized = sorted({normalize_keyword(field, value) for value in values})
            clauses.append({"terms": {KEYWORD_INDEX_FIELDS.get(field, field): normalized}})
    if search.since or search.until:
        bounds: dict[str, str] = {"format": "strict_date"}
        if search.since:
            bounds["gte"] = search.since.isoformat()
        if search.until:
            bounds["lt"] = (search.until + dt.timedelta(days=1)).isoformat()
        clauses.append({"range": {"published_at": bounds}})
    return clauses
