"""Compile the query tree and a search's filters into tantivy queries."""

from __future__ import annotations

import datetime as dt

import tantivy

from index.records import SearchQuery
from index.search.expansion import EXPANSION_WEIGHT
from index.search.inflections import inflections
from index.search.query import FILTER_FIELDS, KEYWORD_INDEX_FIELDS, TEXT_FIELDS, Node, Not, Or, Term, normalize_keyword
from index.search.tantivy_schema import character_pairs, character_runs, is_character_run, spaced, words_analyzer

# A match in the title counts more than one in the text; a match of another inflection, less.
_BOOSTS = {"title": 2.0, "text": 1.0}
INFLECTION_WEIGHT = 0.4
_REGEX_SPECIAL = set('\\.+*?()|[]{}^$#&-~"<>@')


class TantivyQueries:
    """Builds tantivy queries for one schema. With `shortcuts`, an expansion searches its
    concepts (`tantivy_concepts.py`) and a run of CJK, Hangul or Thai characters their pairs
    (the `*_cjk` fields); without, the terms and characters themselves, which is what a snippet
    generator needs to highlight them. Both find the same items."""

    def __init__(self, schema: tantivy.Schema, shortcuts: bool = True) -> None:
        self.schema = schema
        self.shortcuts = shortcuts
        self.words = words_analyzer()

    def compile(self, node: Node) -> tantivy.Query | None:
        """The query for a tree; None if no part of it has a searchable token."""
        if isinstance(node, Term):
            return self._term(node)
        if isinstance(node, Not):
            negated = self.compile(node.child)
            return None if negated is None else _all_but([negated])
        if isinstance(node, Or):
            if self.shortcuts and node.concepts:
                typed = self.compile(node.children[0])
                found = _should([tantivy.Query.term_query(self.schema, "concepts", name) for name in node.concepts])
                expanded = tantivy.Query.boost_query(found, EXPANSION_WEIGHT)
                return expanded if typed is None else _should([typed, expanded])
            compiled = [query for query in map(self.compile, node.children) if query is not None]
            if not compiled:
                return None
            return compiled[0] if len(compiled) == 1 else _should(compiled)
        musts: list[tantivy.Query] = []
        must_nots: list[tantivy.Query] = []
        for child in node.children:
            if isinstance(child, Not):
                excluded = self.compile(child.child)
                if excluded is not None:
                    must_nots.append(excluded)
            elif (included := self.compile(child)) is not None:
                musts.append(included)
        if not musts and not must_nots:
            return None
        if not musts:
            return _all_but(must_nots)
        clauses = [(tantivy.Occur.Must, query) for query in musts]
        clauses += [(tantivy.Occur.MustNot, query) for query in must_nots]
        return tantivy.Query.boolean_query(clauses)

    def filters(self, search: SearchQuery) -> list[tantivy.Query]:
        """One query per filter in use: OR within a field, each must match (scoring nothing)."""
        queries = []
        for attribute, field in FILTER_FIELDS.items():
            values = getattr(search, attribute)
            if values:
                normalized = sorted({normalize_keyword(field, value) for value in values})
                index_field = KEYWORD_INDEX_FIELDS.get(field, field)
                queries.append(tantivy.Query.term_set_query(self.schema, index_field, normalized))
        if search.since or search.until:
            lower = _midnight(search.since) if search.since else None
            upper = _midnight(search.until + dt.timedelta(days=1)) if search.until else None
            queries.append(
                tantivy.Query.range_query(
                    self.schema, "published", tantivy.FieldType.Date, lower, upper, include_upper=upper is None
                )
            )
        return [tantivy.Query.const_score_query(query, 0.0) for query in queries]

    def _term(self, term: Term) -> tantivy.Query | None:
        if term.field is None or term.field in TEXT_FIELDS:
            fields = ("title", "text") if term.field is None else (term.field,)
            query = self._text(term, fields)
        else:
            query = self._keyword(term)
        if query is not None and term.weight != 1.0:
            query = tantivy.Query.boost_query(query, term.weight)
        return query

    def _text(self, term: Term, fields: tuple[str, ...]) -> tantivy.Query | None:
        tokens = self.words.analyze(spaced(term.text))
        if not tokens:
            return None
        queries = []
        for field in fields:
            if term.prefix:
                queries.append(self._prefix(field, tokens))
                continue
            queries.append(tantivy.Query.boost_query(self._words(field, tokens, term.text), _BOOSTS[field]))
            # A one-word term also finds the word's inflections; not an expansion's term (the
            # equivalents list the forms that matter, and every extra term costs query time).
            others = inflections(tokens[0])[1:] if len(tokens) == 1 and term.weight == 1.0 else ()
            if others:
                variants = _should([tantivy.Query.term_query(self.schema, field, form) for form in others])
                queries.append(tantivy.Query.boost_query(variants, _BOOSTS[field] * INFLECTION_WEIGHT))
        return queries[0] if len(queries) == 1 else _should(queries)

    def _words(self, field: str, tokens: list[str], text: str) -> tantivy.Query:
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        runs = character_runs(text) if self.shortcuts and all(len(token) == 1 for token in tokens) else []
        if len(runs) == 1 and is_character_run("".join(tokens)):  # characters only, in one run
            pairs = character_pairs(runs[0])
            if len(pairs) == 1:
                return tantivy.Query.term_query(self.schema, f"{field}_cjk", pairs[0])
            return tantivy.Query.phrase_query(self.schema, f"{field}_cjk", list[str | tuple[int, str]](pairs))
        return tantivy.Query.phrase_query(self.schema, field, list(tokens))

    def _prefix(self, field: str, tokens: list[str]) -> tantivy.Query:
        if len(tokens) == 1:  # analysed tokens hold only letters, marks and digits: nothing to escape
            return tantivy.Query.regex_query(self.schema, field, tokens[0] + ".*")
        return tantivy.Query.phrase_prefix_query(self.schema, field, list(tokens))

    def _keyword(self, term: Term) -> tantivy.Query:
        assert term.field is not None
        value = normalize_keyword(term.field, term.text)
        field = KEYWORD_INDEX_FIELDS.get(term.field, term.field)
        if term.prefix:
            escaped = "".join("\\" + char if char in _REGEX_SPECIAL else char for char in value)
            return tantivy.Query.regex_query(self.schema, field, escaped + ".*")
        return tantivy.Query.term_query(self.schema, field, value)


def _should(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, query) for query in queries])


def _all_but(excluded: list[tantivy.Query]) -> tantivy.Query:
    clauses = [(tantivy.Occur.Must, tantivy.Query.all_query())]
    clauses += [(tantivy.Occur.MustNot, query) for query in excluded]
    return tantivy.Query.boolean_query(clauses)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def combine(text_query: tantivy.Query | None, filters: list[tantivy.Query]) -> tantivy.Query:
    """The text query (or every item) narrowed by the filters."""
    if not filters:
        return text_query if text_query is not None else tantivy.Query.all_query()
    clauses = [(tantivy.Occur.Must, query) for query in filters]
    if text_query is not None:
        clauses.insert(0, (tantivy.Occur.Must, text_query))
    return tantivy.Query.boolean_query(clauses)
