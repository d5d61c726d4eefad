"""Ingest with a search index that cannot be written: every item is stored and waits for the
index, which is tried once per run, and the next run indexes what waited.

The engines fail for real: an ElasticEngine pointed at a closed loopback port (the official
client failing to connect) and a TantivyEngine whose writer lock another engine holds."""

from __future__ import annotations

import socket
from collections.abc import Iterable

import pytest

from index.ingest import Ingester, IngestReport, read_ingest_lines
from index.records import IndexUnavailableError, SearchQuery, StoredItem
from index.search.elastic_engine import ElasticEngine
from index.search.tantivy_engine import TantivyEngine
from index.store.sql_store import SqlStore
from nlp.tagger import Tagger
from tests.index.conftest import make_item
from tests.index.test_ingest import item_line


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingElastic(ElasticEngine):
    """The real engine, counting the writes asked of it."""

    attempts = 0

    def add(self, items: Iterable[StoredItem]) -> None:
        self.attempts += 1
        super().add(items)

    def commit(self) -> None:
        self.attempts += 1
        super().commit()


def run(tagger: Tagger, store: SqlStore, engine, lines: list[bytes]) -> IngestReport:
    report = IngestReport()
    Ingester(tagger, store, engine, batch_size=4).ingest(read_ingest_lines(lines, report), report)
    return report


def test_an_unreachable_elasticsearch_stops_no_item_from_being_stored(tagger, store, tmp_path):
    engine = CountingElastic(f"http://127.0.0.1:{closed_port()}", request_timeout=5)
    with pytest.raises(IndexUnavailableError, match="Elasticsearch cannot be reached"):
        engine.add([make_item("x")])
    engine.attempts = 0

    report = run(tagger, store, engine, [item_line(n) for n in range(10)])  # three batches
    engine.close()
    assert (report.new, report.rejected) == (10, [])
    assert report.index_unavailable is not None and "Connection refused" in report.index_unavailable
    assert engine.attempts == 1  # tried once, then left alone for the rest of the run
    assert report.waiting_for_index == store.pending_index_count() == store.count() == 10
    assert report.index_warning().startswith("warning: 10 items stored but waiting for the index (Elasticsearch")
    assert report.index_warning().endswith("they will be indexed by the next ingest or `radar reindex`")

    index = TantivyEngine(tmp_path / "index")  # an index that can be written, for the next run
    again = run(tagger, store, index, [item_line(n) for n in range(12)])
    assert (again.new, again.unchanged, again.repaired, again.index_unavailable) == (2, 10, 10, None)
    assert store.pending_index_count() == 0
    assert index.search(SearchQuery(text="scam")).total == 12
    index.close()


def test_a_tantivy_index_held_by_another_writer_waits_and_is_caught_up(tagger, store, tmp_path):
    holder = TantivyEngine(tmp_path / "index")
    holder.add([make_item("held")])  # holds the writer lock until closed
    engine = TantivyEngine(tmp_path / "index")

    report = run(tagger, store, engine, [item_line(n) for n in range(10)])
    assert report.new == 10
    assert "another writer holds its lock" in (report.index_unavailable or "")
    assert store.pending_index_count() == 10

    holder.close()  # the other writer goes (without committing)
    again = run(tagger, store, engine, [])
    assert (again.repaired, again.index_unavailable) == (10, None)
    assert dict(engine.fingerprints()) == dict(store.fingerprints())
    engine.close()


def test_an_index_failing_mid_run_keeps_what_it_did_not_commit_waiting(tagger, tmp_path):
    store = SqlStore.open(None, tmp_path / "data")
    engine = TantivyEngine(tmp_path / "index")
    ingester = Ingester(tagger, store, engine, batch_size=4, commit_every=4)
    report = IngestReport()

    def lines() -> Iterable[bytes]:
        yield from (item_line(n) for n in range(8))
        # After two batches: another writer takes the lock the moment this one lets it go.
        engine.close()
        nonlocal holder
        holder = TantivyEngine(tmp_path / "index")
        holder.add([make_item("held")])
        yield from (item_line(n) for n in range(8, 12))

    holder: TantivyEngine | None = None
    ingester.ingest(read_ingest_lines(lines(), report), report)
    assert report.new == 12 and report.index_unavailable is not None
    assert store.pending_index_count() == report.waiting_for_index == 4  # committed before the failure: 8
    assert holder is not None
    holder.close()
    engine.close()
    store.close()


def test_an_index_directory_that_cannot_be_written_is_unavailable_not_fatal(tagger, store, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the index directory should be")
    report = run(tagger, store, TantivyEngine(blocked / "index"), [item_line(n) for n in range(5)])
    assert report.new == 5
    assert "cannot be written" in (report.index_unavailable or "")
    assert store.pending_index_count() == 5
