"""Compile the query tree and a search's filters into tantivy queries."""

from __future__ import annotations

import datetime as dt

import tantivy

from index.records import SearchQuery
from index.search.expansion import EXPANSION_WEIGHT
from index.search.inflections import inflections
from index.search.query import FILTER_FIELDS, KEYWORD_INDEX_FIELDS, TEXT_FIELDS, Node, Not, Or, Term, normalize_keyword
from index.search.tantivy_schema import character_pairs, character_runs, is_character_run, spaced, words_analyzer

# A match in the title counts more (on top of its match in the text field, which holds the
# title too); a match of another inflection, less.
TITLE_BOOST = 2.0
TITLE_BOOST_SHARE, TITLE_BOOST_ITEMS = 0.05, 50_000
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

    def title_boosts(self, node: Node, searcher: tantivy.Searcher) -> list[tantivy.Query]:
        """For ranking, not matching: each word or phrase typed (not negated), in the title, where
        a match counts more. Not for a word in more than TITLE_BOOST_SHARE of the items: its
        title postings are long, and it adds next to nothing to a score (below TITLE_BOOST_ITEMS
        items, the cost is small whatever the share)."""
        limit = max(searcher.num_docs * TITLE_BOOST_SHARE, TITLE_BOOST_ITEMS)
        boosts = []
        for term in _typed(node):
            tokens = self.words.analyze(spaced(term.text))
            if tokens and min(searcher.doc_freq("text", token) for token in tokens) < limit:
                boosts.append(tantivy.Query.boost_query(self._words("title", tokens, term.text), TITLE_BOOST))
        return boosts

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
            query = self._text(term, term.field or "text")  # the text field holds the title too
        else:
            query = self._keyword(term)
        if query is not None and term.weight != 1.0:
            query = tantivy.Query.boost_query(query, term.weight)
        return query

    def _text(self, term: Term, field: str) -> tantivy.Query | None:
        tokens = self.words.analyze(spaced(term.text))
        if not tokens:
            return None
        if term.prefix:
            return self._prefix(field, tokens)
        words = self._words(field, tokens, term.text)
        # A one-word term also finds the word's inflections; not an expansion's term (the
        # equivalents list the forms that matter, and every extra term costs query time).
        others = inflections(tokens[0])[1:] if len(tokens) == 1 and term.weight == 1.0 else ()
        if not others:
            return words
        variants = _should([tantivy.Query.term_query(self.schema, field, form) for form in others])
        return _should([words, tantivy.Query.boost_query(variants, INFLECTION_WEIGHT)])

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


def _typed(node: Node) -> list[Term]:
    """The words and phrases typed for title and text, not negated (an expansion's own terms aside)."""
    if isinstance(node, Term):
        return [node] if node.field is None and not node.prefix and node.weight == 1.0 else []
    if isinstance(node, Not):
        return []
    children = node.children[:1] if isinstance(node, Or) and node.concepts else node.children
    return [term for child in children for term in _typed(child)]


def boosted(query: tantivy.Query, boosts: list[tantivy.Query]) -> tantivy.Query:
    """`query`, its matches ranked higher for each of `boosts` they also match."""
    if not boosts:
        return query
    clauses = [(tantivy.Occur.Must, query)] + [(tantivy.Occur.Should, boost) for boost in boosts]
    return tantivy.Query.boolean_query(clauses)


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
