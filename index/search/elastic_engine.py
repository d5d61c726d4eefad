"""The scale-out search engine: Elasticsearch 8 or 9, through the official client.

Items live in an index named `<alias>-<timestamp>` behind the alias `<alias>`; an index template
(`elastic_template.json`, for `<alias>-*`) gives every such index its analyzers and mappings.
`rebuild` fills a fresh index and moves the alias to it in one `update_aliases` call, so searches
never see a half-built index, then deletes the old one.

Text is analysed as Elasticsearch's `cjk` analyzer does (standard tokenizer, CJK bigrams) plus
ASCII folding; a `.en` subfield adds English stemming and a `.th` subfield indexes Thai a
character at a time (the standard tokenizer keeps a Thai run whole).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from index.records import (
    FACET_FIELDS,
    IndexUnavailableError,
    QueryError,
    SearchHit,
    SearchQuery,
    SearchResult,
    StoredItem,
)
from index.search.cursor import decode_cursor, encode_cursor, relevance_offset
from index.search.elastic_query import compile_node, filter_clauses
from index.search.expansion import Equivalents, search_tree
from index.search.query import normalize_keyword
from index.search.snippets import SNIPPET_CHARS

TEMPLATE_FILE = Path(__file__).with_name("elastic_template.json")
_FACET_SIZES = {"jurisdictions": 300, "harm_areas": 100, "doc_type": 50, "source_kind": 50, "language": 50}
_HIT_FIELDS = [
    "id",
    "title",
    "url",
    "published_at",
    "language",
    "jurisdictions",
    "harm_areas",
    "doc_type",
    "source",
    "source_kind",
    "story_id",
]
_INVALID_CURSOR = "The cursor is not valid for this search; start again from the first page."


def item_source(item: StoredItem) -> dict[str, Any]:
    """The document Elasticsearch stores for an item (keyword values normalized as in queries)."""
    published = item.published_at
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "language": normalize_keyword("language", item.language),
        "source": item.source,
        "source_key": normalize_keyword("source", item.source) if item.source else None,
        "source_kind": normalize_keyword("source_kind", item.source_kind) if item.source_kind else None,
        "published_at": published.isoformat() if published else None,
        "jurisdictions": [normalize_keyword("jurisdictions", code) for code in item.jurisdictions],
        "harm_areas": [normalize_keyword("harm_areas", harm) for harm in item.harm_areas],
        "doc_type": normalize_keyword("doc_type", item.doc_type),
        "stakeholders": [normalize_keyword("stakeholders", name) for name in item.stakeholders],
        "story_id": item.story_id,
        "content_hash": item.content_hash,
    }


class ElasticEngine:
    """A SearchEngine over an Elasticsearch alias. Connects on first use."""

    def __init__(
        self,
        url: str,
        alias: str = "radar-items",
        equivalents: Equivalents | None = None,
        request_timeout: float = 30.0,
    ) -> None:
        self.alias = alias
        self.equivalents = equivalents
        self.client = Elasticsearch(url, request_timeout=request_timeout)
        self._ready = False

    # --- lifecycle --------------------------------------------------------------------

    def _ensure(self) -> None:
        """Install the template and, on a fresh cluster, the first index behind the alias."""
        if self._ready:
            return
        template = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
        self.client.indices.put_index_template(
            name=f"{self.alias}-template", index_patterns=[f"{self.alias}-*"], template=template, priority=100
        )
        if not self.client.indices.exists_alias(name=self.alias):
            # Every process names the first index alike, so when the api and the scheduler start
            # together on a fresh cluster one creates it and the other is told it exists: the alias
            # never ends up over two indices (which would refuse every write).
            try:
                self.client.indices.create(index=f"{self.alias}-first", aliases={self.alias: {}})
            except ApiError as error:
                if _error_type(error) != "resource_already_exists_exception":
                    raise
        self._ready = True

    def _new_index_name(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dt%H%M%S")
        return f"{self.alias}-{stamp}-{secrets.token_hex(3)}"

    def close(self) -> None:
        self.client.close()

    # --- changes ----------------------------------------------------------------------

    def add(self, items: Iterable[StoredItem]) -> None:
        """See `SearchEngine.add`; raises IndexUnavailableError when the cluster cannot take writes."""
        with _writing():
            self._ensure()
            actions = (
                {"_op_type": "index", "_index": self.alias, "_id": item.id, "_source": item_source(item)}
                for item in items
            )
            helpers.bulk(self.client, actions, chunk_size=500)

    def delete(self, ids: Iterable[str]) -> None:
        with _writing():
            self._ensure()
            actions = ({"_op_type": "delete", "_index": self.alias, "_id": item_id} for item_id in ids)
            helpers.bulk(self.client, actions, chunk_size=500, ignore_status=(404,))

    def commit(self) -> None:
        """Make what was added searchable; raises IndexUnavailableError when the cluster cannot be reached."""
        with _writing():
            self._ensure()
            self.client.indices.refresh(index=self.alias)

    def rebuild(self, items: Iterable[StoredItem]) -> int:
        """Fill a new index, move the alias to it atomically, delete the old index."""
        self._ensure()
        name = self._new_index_name()
        self.client.indices.create(index=name, settings={"refresh_interval": "-1"})
        try:
            count = 0

            def actions() -> Iterator[dict[str, Any]]:
                nonlocal count
                for item in items:
                    count += 1
                    yield {"_op_type": "index", "_index": name, "_id": item.id, "_source": item_source(item)}

            helpers.bulk(self.client, actions(), chunk_size=500)
            self.client.indices.put_settings(index=name, settings={"refresh_interval": None})
            self.client.indices.refresh(index=name)
        except BaseException:
            self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        old = list(self.client.indices.get_alias(name=self.alias).body)
        swap: list[dict[str, Any]] = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        swap.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=swap)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)
        return count

    # --- reading ----------------------------------------------------------------------

    def fingerprints(self) -> Iterator[tuple[str, str]]:
        """(id, content_hash) of every item, in id order, from one point in time."""
        self._ensure()
        pit = self.client.open_point_in_time(index=self.alias, keep_alive="2m")["id"]
        try:
            after: list[Any] | None = None
            while True:
                response = self.client.search(
                    pit={"id": pit, "keep_alive": "2m"},
                    sort=[{"id": "asc"}],
                    search_after=after,
                    size=5000,
                    source_includes=["content_hash"],
                    track_total_hits=False,
                )
                pit = response.body.get("pit_id", pit)  # a cluster may hand back a new id
                hits = response["hits"]["hits"]
                for hit in hits:
                    yield hit["_id"], hit["_source"]["content_hash"]
                if len(hits) < 5000:
                    return
                after = hits[-1]["sort"]
        finally:
            self.client.close_point_in_time(id=pit)

    def search(self, query: SearchQuery) -> SearchResult:
        node, expanded = search_tree(query, self.equivalents)
        must = [compile_node(node)] if node is not None else [{"match_all": {}}]
        request: dict[str, Any] = {
            "query": {"bool": {"must": must, "filter": filter_clauses(query)}},
            "aggs": _aggregations(),
            "highlight": _highlight(),
            "size": query.limit + 1,  # one more than the page, to know whether another page follows
            "track_total_hits": True,
            "source_includes": _HIT_FIELDS,
        }
        position = decode_cursor(query)
        newest = node is None or query.sort == "newest"
        offset = 0
        if newest:
            request["sort"] = [{"published_at": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]
            if position is not None:
                request["search_after"] = _search_after(position)
        else:
            request["sort"] = ["_score", {"id": "asc"}]
            offset = request["from_"] = relevance_offset(query, position)
        self._ensure()
        response = self.client.search(index=self.alias, **request)
        found = response["hits"]["hits"]
        page = found[: query.limit]
        next_position: str | int | None = None
        if len(found) > query.limit:
            next_position = json.dumps(page[-1]["sort"]) if newest else offset + query.limit
        aggregations = response["aggregations"]
        return SearchResult(
            total=response["hits"]["total"]["value"],
            hits=tuple(_hit(hit, newest) for hit in page),
            facets={
                field: {bucket["key"]: bucket["doc_count"] for bucket in aggregations[field]["buckets"]}
                for field in FACET_FIELDS
            },
            histogram=tuple(
                (bucket["key_as_string"], bucket["doc_count"]) for bucket in aggregations["months"]["buckets"]
            ),
            next_cursor=encode_cursor(query, next_position) if next_position is not None else None,
            expanded_terms=expanded,
        )


@contextmanager
def _writing() -> Iterator[None]:
    """Turn the failures that mean the cluster cannot take writes now (unreachable, timing out,
    overloaded or not ready) into IndexUnavailableError; a request it refuses stays an error."""
    try:
        yield
    except TransportError as error:  # connection refused, timeouts, TLS: the client's own failures
        raise IndexUnavailableError(f"Elasticsearch cannot be reached: {error}") from error
    except ApiError as error:
        if error.status_code == 429 or error.status_code >= 500:
            raise IndexUnavailableError(f"Elasticsearch cannot take writes now: {error}") from error
        raise
    except helpers.BulkIndexError as error:
        statuses = {status for failed in error.errors for status in _statuses(failed)}
        if statuses and all(status == 429 or status >= 500 for status in statuses):
            raise IndexUnavailableError(
                f"Elasticsearch rejected {len(error.errors)} documents (HTTP {', '.join(map(str, sorted(statuses)))})"
            ) from error
        raise


def _error_type(error: ApiError) -> str | None:
    """The type Elasticsearch gives a refusal ({"error": {"type": "resource_already_exists_exception"}})."""
    body = error.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("type")
    return None


def _statuses(failed: Any) -> Iterator[int]:
    """The HTTP statuses of one failed bulk action ({"index": {"status": 429, ...}})."""
    if isinstance(failed, dict):
        for result in failed.values():
            if isinstance(result, dict) and isinstance(result.get("status"), int):
                yield result["status"]


def _aggregations() -> dict[str, Any]:
    aggregations: dict[str, Any] = {
        field: {"terms": {"field": field, "size": _FACET_SIZES[field]}} for field in FACET_FIELDS
    }
    months = {"field": "published_at", "calendar_interval": "month", "format": "yyyy-MM", "min_doc_count": 1}
    aggregations["months"] = {"date_histogram": months}
    return aggregations


def _highlight() -> dict[str, Any]:
    """Escaped text with <b> around matches; the start of the text when nothing matched."""
    fragment = {"number_of_fragments": 1, "fragment_size": SNIPPET_CHARS}
    return {
        "encoder": "html",
        "pre_tags": ["<b>"],
        "post_tags": ["</b>"],
        "type": "unified",
        "fields": {
            "text": {**fragment, "no_match_size": SNIPPET_CHARS},
            "text.en": fragment,
            "text.th": fragment,
        },
    }


def _search_after(position: str | int) -> list[Any]:
    try:
        values = json.loads(position) if isinstance(position, str) else None
    except ValueError as error:
        raise QueryError(_INVALID_CURSOR) from error
    if not (isinstance(values, list) and len(values) == 2 and isinstance(values[1], str)):
        raise QueryError(_INVALID_CURSOR)
    return values


def _hit(hit: dict[str, Any], newest: bool) -> SearchHit:
    source = hit["_source"]
    highlights = hit.get("highlight", {})
    snippet = ""
    for field in ("text", "text.en", "text.th"):
        fragments = highlights.get(field)
        if fragments and "<b>" in fragments[0]:
            snippet = fragments[0]
            break
    else:
        snippet = (highlights.get("text") or [""])[0]
    published = source.get("published_at")
    return SearchHit(
        id=source["id"],
        title=source.get("title") or "",
        url=source.get("url") or "",
        published_at=dt.datetime.fromisoformat(published).astimezone(dt.UTC) if published else None,
        language=source.get("language") or "",
        jurisdictions=tuple(source.get("jurisdictions") or ()),
        harm_areas=tuple(source.get("harm_areas") or ()),
        doc_type=source.get("doc_type") or "",
        source=source.get("source"),
        source_kind=source.get("source_kind"),
        story_id=source.get("story_id") or "",
        snippet=snippet.replace("</b><b>", "").strip(),
        score=0.0 if newest else float(hit.get("_score") or 0.0),
    )
