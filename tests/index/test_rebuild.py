"""Rebuilding the index while another process ingests (index/rebuild.py), and the outbox while
another process stores (index/ingest.Outbox), on every store engine
and a real tantivy index with two handles on it, as `radar reindex` and the scheduler hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index.ingest import Outbox
from index.rebuild import compare, rebuild_index
from index.records import SearchQuery, StoredItem
from index.search.tantivy_engine import TantivyEngine
from index.store.sql_store import SqlStore
from tests.index.conftest import make_item


class StoreWithAWriterBeside:
    """The store as `radar reindex` sees it, with another process's ingest run at a given moment:
    `during_read` once the rebuild has read its first item, `after_swap` when the new index is
    first compared with the store."""

    def __init__(self, store: SqlStore, during_read: Any = None, after_swap: Any = None) -> None:
        self.store, self.during_read, self.after_swap = store, during_read, after_swap

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def iter_items(self, batch_size: int = 1000) -> Iterator[StoredItem]:
        for number, item in enumerate(self.store.iter_items(batch_size)):
            if number == 1 and self.during_read is not None:
                self.during_read()
            yield item

    def fingerprints(self) -> Iterator[tuple[str, str]]:
        if self.after_swap is not None:
            self.after_swap()
            self.after_swap = None
        return self.store.fingerprints()


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def handle(index_dir: Path) -> TantivyEngine:
    return TantivyEngine(index_dir, writer_heap_bytes=20_000_000)


def found(engine: TantivyEngine, text: str) -> set[str]:
    return {hit.id for hit in engine.search(SearchQuery(text)).hits}


def test_an_item_ingested_while_the_rebuild_reads_is_in_the_new_index(store: SqlStore, index_dir: Path) -> None:
    engine = handle(index_dir)
    store.upsert([make_item("a", title="Age assurance code"), make_item("b"), make_item("c")])
    Outbox(store, engine).drain_outbox()
    engine.close()  # the writer's turn passes to the other process
    store.upsert([make_item("waiting", title="Wombat notice, stored while the index was down")])  # left in the outbox

    def other_process_ingests() -> None:  # into the index the rebuild is about to replace
        scheduler = handle(index_dir)
        store.upsert([make_item("late", title="Quokka scam notice")])
        assert Outbox(store, scheduler).drain_outbox() == 2  # "waiting" and "late"
        scheduler.close()
        assert store.pending_index_count() == 0

    rebuilt = rebuild_index(StoreWithAWriterBeside(store, during_read=other_process_ingests), engine)  # type: ignore[arg-type]

    assert (rebuilt.items, rebuilt.caught_up, rebuilt.index_unavailable) == (4, 1, None)  # "late" came after the read
    assert "then 1 stored meanwhile" in rebuilt.summary()
    assert found(engine, "quokka") == {"late"}
    assert found(engine, "wombat") == {"waiting"}
    assert store.pending_index_count() == 0
    assert compare(store, engine).agree


def test_what_cannot_be_indexed_after_the_swap_waits_in_the_outbox(store: SqlStore, index_dir: Path) -> None:
    engine = handle(index_dir)
    store.upsert([make_item("a"), make_item("b")])
    Outbox(store, engine).drain_outbox()
    engine.close()
    scheduler = handle(index_dir)

    def ingest_into_the_old_index() -> None:
        store.upsert([make_item("late", title="Quokka scam notice")])
        assert Outbox(store, scheduler).drain_outbox() == 1
        scheduler.close()

    def hold_the_new_index_writer() -> None:  # the other process's next run has begun
        scheduler.add([make_item("b")])

    store_seen = StoreWithAWriterBeside(store, ingest_into_the_old_index, hold_the_new_index_writer)
    rebuilt = rebuild_index(store_seen, engine)  # type: ignore[arg-type]

    assert (rebuilt.caught_up, rebuilt.waiting) == (0, 1)
    assert rebuilt.index_unavailable is not None and "lock" in rebuilt.index_unavailable
    assert "1 wait for the index" in rebuilt.summary()
    assert [item.id for item in store.pending_index()] == ["late"]  # back in the outbox, not lost
    scheduler.close()  # its run ends; the next one drains the outbox
    next_run = handle(index_dir)
    assert Outbox(store, next_run).drain_outbox() == 1
    assert found(next_run, "quokka") == {"late"}
    assert compare(store, next_run).agree


class CommitWithAWriterBeside:
    """An engine whose first commit lets another process store first (`meanwhile`)."""

    def __init__(self, engine: TantivyEngine, meanwhile: Any) -> None:
        self.engine, self.meanwhile = engine, meanwhile

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def commit(self) -> None:
        if self.meanwhile is not None:
            self.meanwhile()
            self.meanwhile = None
        self.engine.commit()


def test_a_version_stored_elsewhere_while_the_index_commits_stays_waiting(store: SqlStore, index_dir: Path) -> None:
    engine = handle(index_dir)
    store.upsert([make_item("a", title="Quokka first draft")])

    def other_process_updates() -> None:
        store.upsert([make_item("a", title="Wombat final text")])

    assert Outbox(store, CommitWithAWriterBeside(engine, other_process_updates)).drain_outbox() == 1  # type: ignore[arg-type]
    [waiting] = store.pending_index()  # the index holds version 1: version 2 is not marked indexed
    assert (waiting.id, waiting.version) == ("a", 2)
    assert Outbox(store, engine).drain_outbox() == 1
    assert found(engine, "wombat") == {"a"} and found(engine, "quokka") == set()
    assert store.pending_index_count() == 0
