"""Matching new item versions against every subscription (percolation).

The subscription side is indexed, so a batch is matched without running every subscription:
- each subscription is filed under one value of one of its filters (its anchor: a country,
  else a harm area, a document type, a language, a kind of source); an item is checked only
  against the subscriptions filed under its own values, plus those with no filter at all;
- the candidates' filters are checked as sets (OR within a field, AND across fields, as search
  filters are);
- a query is run once per distinct query text, on a small in-memory tantivy index of the batch
  built exactly as the search index is (same schema, analyzers and cross-language concepts), so
  a subscription matches what a search for it would find: stemming, phrases, CJK, NOT.

Each match says why: the query's terms found in the item and the filter values it matched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tantivy

from index.records import QueryError, SearchQuery, StoredItem
from index.search.expansion import Equivalents, search_tree
from index.search.query import Node, Not, Or, Term, normalize_keyword
from index.search.tantivy_concepts import ConceptFinder
from index.search.tantivy_query import TantivyQueries
from index.search.tantivy_schema import build_schema, item_document, register_analyzers
from index.store.subscriptions import Subscription

# Subscription filters, and the item attribute and search field each compares with.
_FILTERS = {
    "jurisdictions": ("jurisdictions", "jurisdictions"),
    "harm_areas": ("harm_areas", "harm_areas"),
    "doc_types": ("doc_type", "doc_type"),
    "languages": ("language", "language"),
    "source_kinds": ("source_kind", "source_kind"),
}
_BATCH_HEAP = 50_000_000


@dataclass(frozen=True)
class Match:
    subscription: Subscription
    item: StoredItem
    terms: tuple[str, ...]  # the query's terms found in the item
    tags: dict[str, tuple[str, ...]]  # filter -> the item's values it matched


@dataclass(frozen=True)
class _Prepared:
    subscription: Subscription
    filters: dict[str, frozenset[str]]  # only the filters in use
    query: str  # "" when it has none


class Percolator:
    """Matches batches of items against a fixed set of search subscriptions (trend
    subscriptions are not matched per item). Build one per set of subscriptions; reuse it for
    every batch."""

    def __init__(self, subscriptions: Iterable[Subscription], equivalents: Equivalents | None) -> None:
        self.equivalents = equivalents
        self.schema = build_schema()
        self.queries = TantivyQueries(self.schema)
        self.concepts = ConceptFinder(equivalents) if equivalents is not None else None
        self._compiled: dict[str, tuple[tantivy.Query | None, list[tuple[str, tantivy.Query]]]] = {}
        self._anchored: dict[tuple[str, str], list[_Prepared]] = defaultdict(list)
        self._unanchored: list[_Prepared] = []
        for subscription in subscriptions:
            if subscription.kind != "search":
                continue
            filters = {
                name: frozenset(normalize_keyword(field, value) for value in getattr(subscription, name))
                for name, (_attribute, field) in _FILTERS.items()
                if getattr(subscription, name)
            }
            prepared = _Prepared(subscription, filters, subscription.query.strip())
            if prepared.query:
                try:
                    self._compile(prepared.query)
                except QueryError:
                    continue  # refused when saved; a query the parser no longer takes matches nothing
            # Filed under the value of its first filter in _FILTERS order (countries narrow most).
            anchor = next(iter(filters), None)
            if anchor is None:
                self._unanchored.append(prepared)
            else:
                for value in filters[anchor]:
                    self._anchored[(anchor, value)].append(prepared)

    def _compile(self, text: str) -> tuple[tantivy.Query | None, list[tuple[str, tantivy.Query]]]:
        """The query for a subscription's text and, for its reasons, one query per term it
        looks for (not those under NOT)."""
        if text not in self._compiled:
            node, _added = search_tree(SearchQuery(text=text), self.equivalents)
            compiled = self.queries.compile(node) if node is not None else None
            terms = []
            for label, term_node in _wanted_terms(node):
                term_query = self.queries.compile(term_node)
                if term_query is not None:
                    terms.append((label, term_query))
            self._compiled[text] = (compiled, terms)
        return self._compiled[text]

    def match(self, batch: Sequence[StoredItem]) -> list[Match]:
        """Every (subscription, item) of the batch that matches, with its reasons. Sets of the
        batch's items are bit masks (bit i: the batch's item i), so a candidate's filters, its
        query and its creation time combine as a few integer ANDs."""
        if not batch:
            return []
        values = [_item_values(item) for item in batch]
        masks: dict[tuple[str, str], int] = defaultdict(int)
        for position, item_values in enumerate(values):
            for name, found in item_values.items():
                for value in found:
                    masks[(name, value)] |= 1 << position
        candidates = {id(prepared): prepared for prepared in self._unanchored}
        for key in masks:
            candidates.update((id(prepared), prepared) for prepared in self._anchored.get(key, ()))
        everything = (1 << len(batch)) - 1
        arrivals = _Arrivals(batch)
        searcher: _BatchSearcher | None = None
        matches = []
        for prepared in candidates.values():
            mask = everything & arrivals.since(prepared.subscription.created_at)
            for name, wanted in prepared.filters.items():
                either = 0
                for value in wanted:
                    either |= masks.get((name, value), 0)
                mask &= either
                if not mask:
                    break
            if not mask:
                continue
            term_masks: list[tuple[str, int]] = []
            if prepared.query:
                searcher = searcher or _BatchSearcher(batch, self.schema, self.concepts)
                query, term_queries = self._compile(prepared.query)
                mask &= searcher.mask(query) if query is not None else 0
                if not mask:
                    continue
                term_masks = [(label, searcher.mask(term)) for label, term in term_queries]
            for position in _positions(mask):
                bit = 1 << position
                tags = {
                    name: tuple(sorted(values[position][name] & wanted)) for name, wanted in prepared.filters.items()
                }
                terms = tuple(label for label, found in term_masks if found & bit)
                matches.append(Match(prepared.subscription, batch[position], terms, tags))
        return matches


class _Arrivals:
    """The batch's items fetched at or after a moment, as a mask (a subscription alerts on what
    arrives after it was made)."""

    def __init__(self, batch: Sequence[StoredItem]) -> None:
        self.batch = batch
        self.earliest = min(item.fetched_at for item in batch)
        self._since: dict[dt.datetime, int] = {}

    def since(self, moment: dt.datetime) -> int:
        if moment <= self.earliest:
            return -1  # every bit
        if moment not in self._since:
            self._since[moment] = sum(1 << i for i, item in enumerate(self.batch) if item.fetched_at >= moment)
        return self._since[moment]


class _BatchSearcher:
    """An in-memory tantivy index of one batch; the items each query finds as a mask, each query
    run once."""

    def __init__(self, batch: Sequence[StoredItem], schema: tantivy.Schema, concepts: ConceptFinder | None) -> None:
        index = tantivy.Index(schema)
        register_analyzers(index)
        writer = index.writer(_BATCH_HEAP, 1)
        for item in batch:
            writer.add_document(item_document(item, concepts.find if concepts is not None else None))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self.searcher = index.searcher()
        self.size = len(batch)
        position = {item.id: i for i, item in enumerate(batch)}
        every = self.searcher.search(tantivy.Query.all_query(), self.size, count=False).hits
        self.bits = {
            _address(address): 1 << position[self.searcher.doc(address).get_first("id") or ""]
            for _score, address in every
        }
        self._found: dict[int, int] = {}
        self._queries: list[tantivy.Query] = []  # keeps each query alive, so its id() stays its own

    def mask(self, query: tantivy.Query) -> int:
        key = id(query)
        if key not in self._found:
            self._queries.append(query)
            found = 0
            for _score, address in self.searcher.search(query, self.size, count=False).hits:
                found |= self.bits[_address(address)]
            self._found[key] = found
        return self._found[key]


def _positions(mask: int) -> list[int]:
    """The set bits of a mask, lowest first."""
    found = []
    while mask:
        lowest = mask & -mask
        found.append(lowest.bit_length() - 1)
        mask ^= lowest
    return found


def _address(address: tantivy.DocAddress) -> tuple[int, int]:
    return (address.segment_ord, address.doc)


def _item_values(item: StoredItem) -> dict[str, frozenset[str]]:
    values = {}
    for name, (attribute, field) in _FILTERS.items():
        raw = getattr(item, attribute)
        listed = raw if isinstance(raw, tuple) else ((raw,) if raw else ())
        values[name] = frozenset(normalize_keyword(field, value) for value in listed)
    return values


def _wanted_terms(node: Node | None) -> list[tuple[str, Node]]:
    """(label, node) for each term a query looks for: words, phrases, prefixes and field:value
    terms, with their cross-language equivalents as one (labelled by the term typed); none under NOT."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term):
        label = f"{node.field}:{node.text}" if node.field else node.text
        return [(label + ("*" if node.prefix else ""), node)]
    if isinstance(node, Or) and node.concepts:
        typed = _wanted_terms(node.children[0])
        label = " ".join(found for found, _ in typed) or "expansion"
        return [(label, node)]
    wanted = []
    for child in node.children:
        wanted.extend(_wanted_terms(child))
    return wanted
