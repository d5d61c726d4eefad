"""Open the store and the search engine the settings name: the embedded default (SQLite and
tantivy under the data directory) or the scale-out pair (PostgreSQL and Elasticsearch)."""

from __future__ import annotations

from index.protocols import SearchEngine, Store
from index.search.expansion import Equivalents
from index.store.sql_store import SqlStore
from nlp.resources import DEFAULT_DATA_DIR
from radar.settings import Settings

EQUIVALENTS_FILE = DEFAULT_DATA_DIR / "equivalents.jsonl"


def open_store(settings: Settings) -> Store:
    return SqlStore.open(settings.database_url, settings.data_dir)


def open_search_engine(settings: Settings) -> SearchEngine:
    equivalents = Equivalents.from_file(EQUIVALENTS_FILE)
    if settings.elasticsearch_url:
        from index.search.elastic_engine import ElasticEngine  # the client loads only when used

        return ElasticEngine(settings.elasticsearch_url, equivalents=equivalents)
    from index.search.tantivy_engine import TantivyEngine

    return TantivyEngine(settings.data_dir / "index", equivalents=equivalents)
