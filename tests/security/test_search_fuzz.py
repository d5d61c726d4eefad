"""The search engines on any query text and any filters: results or a QueryError, never another
exception. Tantivy always (a small index of the contract tests' corpus); Elasticsearch when
RADAR_ELASTICSEARCH_URL points at a cluster, and its query DSL compiled from any tree always."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from index.protocols import SearchEngine
from index.records import QueryError, SearchQuery
from index.search.cursor import encode_cursor
from index.search.elastic_query import compile_node, filter_clauses
from index.search.expansion import search_tree
from tests.index.search_fixtures import CORPUS, ENGINES, engine_opener
from tests.security.fuzzing import fuzzed, texts
from tests.security.test_query_fuzz import equivalents, queries

# Filter values: the corpus' own, near misses, and anything.
VALUES = st.one_of(
    st.sampled_from(["AU", "sg", "child_safety", "news", "regulator", "ko", "eSafety Commissioner", "", " ", "*"]),
    texts(20),
)
# Mostly days a search can have, sometimes any day at all.
DAYS = st.one_of(
    st.none(), st.none(), st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)), st.dates()
)


@st.composite
def searches(draw: st.DrawFn) -> SearchQuery:
    """A search with any text, filters, window, page size, sort and cursor (a real one or junk)."""
    filters = {
        name: tuple(draw(st.lists(VALUES, max_size=3)))
        for name in ("jurisdictions", "harm_areas", "doc_types", "sources", "source_kinds", "languages", "stakeholders")
    }
    search = SearchQuery(
        text=draw(queries()),
        since=draw(DAYS),
        until=draw(DAYS),
        sort=draw(st.sampled_from(["relevance", "newest"])),
        limit=draw(st.sampled_from([1, 2, 3, 20, 20, 1000, 0, 1001])),
        expand=draw(st.booleans()),
        **filters,
    )
    cursor = draw(
        st.one_of(
            st.none(),
            texts(40),
            st.sampled_from([0, 1, 5, -1, 2**70, "0" * 14, "f" * 20, "x", [], None, True]).map(
                lambda position: encode_cursor(search, position)  # type: ignore[arg-type]
            ),
        )
    )
    return SearchQuery(**{**search.__dict__, "cursor": cursor})


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    """Each engine available, holding the corpus (searched, never changed, by every example)."""
    opened = engine_opener(request.param, tmp_path_factory.mktemp(request.param))
    opener = next(opened)
    engine = opener()
    engine.add(CORPUS)
    engine.commit()
    yield engine
    next(opened, None)  # closes and removes the index


@fuzzed(max_examples=200, deadline_ms=2000)
@given(search=searches())
def test_any_search_answers_or_says_why_not(engine: SearchEngine, search: SearchQuery) -> None:
    try:
        result = engine.search(search)
    except QueryError as error:
        assert str(error)
        event("refused")
        return
    event("answered")
    assert len(result.hits) <= search.limit
    assert result.total >= len(result.hits)
    assert {hit.id for hit in result.hits} <= {item.id for item in CORPUS}


@fuzzed(max_examples=200)
@given(search=searches())
def test_any_tree_compiles_to_elasticsearch_json(search: SearchQuery) -> None:
    try:
        node, _added = search_tree(search, equivalents())
    except QueryError:
        return
    clauses = [compile_node(node)] if node is not None else []
    clauses += filter_clauses(search)
    json.dumps(clauses)  # what the client sends: plain JSON types only


# Found by the fuzzer: each was a crash (a 500 from the API) before it was a QueryError.
@pytest.mark.parametrize(
    "search",
    [
        # A cursor anyone can make, at offset 2**32: tantivy asked for 64 GB and aborted the process.
        SearchQuery(text="age", cursor=encode_cursor(SearchQuery(text="age"), 2**32)),
        SearchQuery(text="age", cursor=encode_cursor(SearchQuery(text="age"), 2**70)),  # OverflowError
        SearchQuery(text="age \udc80"),  # a lone surrogate (a command line that is not UTF-8): UnicodeEncodeError
        SearchQuery(stakeholders=("\udc80",)),  # ValueError from tantivy's term set
    ],
    ids=["offset-2**32", "offset-2**70", "surrogate-in-text", "surrogate-in-filter"],
)
def test_what_crashed_is_a_query_error(engine: SearchEngine, search: SearchQuery) -> None:
    with pytest.raises(QueryError):
        engine.search(search)
