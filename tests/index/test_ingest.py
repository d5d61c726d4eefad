"""Ingest end to end on the embedded engines: tag, store, index; idempotent; crash-safe."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from index.ingest import Ingester, IngestReport, read_ingest_lines
from index.records import SearchQuery
from index.search.tantivy_engine import TantivyEngine
from index.store.sql_store import SqlStore
from nlp.tagger import Tagger

ROOT = Path(__file__).resolve().parents[2]


def item_line(n: int, **fields) -> bytes:
    obj = {
        "url": f"https://www.example.gov.sg/news/{n}?utm_source=feed",
        "title": f"IMDA warns of scam calls, advisory {n}",
        "text": f"The Infocomm Media Development Authority warned the public about scam calls (advisory {n}). "
        "Submissions close on 31 October 2025.",
        "published": "2025-10-02",
        "source": "sg-imda",
        "source_kind": "regulator",
        **fields,
    }
    return (json.dumps(obj) + "\n").encode()


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def ingest(tagger: Tagger, data_dir: Path, lines: list[bytes], commit_every: int = 2048) -> IngestReport:
    store = SqlStore.open(None, data_dir)
    engine = TantivyEngine(data_dir / "index")
    try:
        report = IngestReport()
        ingester = Ingester(tagger, store, engine, batch_size=4, commit_every=commit_every)
        ingester.ingest(read_ingest_lines(lines, report), report)
        return report
    finally:
        engine.close()
        store.close()


def test_items_are_tagged_stored_and_found(tagger, tmp_path):
    report = ingest(tagger, tmp_path, [item_line(n) for n in range(6)])
    assert (report.new, report.updated, report.unchanged, report.rejected) == (6, 0, 0, [])
    engine = TantivyEngine(tmp_path / "index")
    result = engine.search(SearchQuery(text="scam", jurisdictions=("SG",)))
    assert result.total == 6
    assert result.facets["harm_areas"]["scams_fraud"] == 6
    assert all("utm_source" not in hit.url for hit in result.hits)
    engine.close()


def test_the_same_items_twice_change_nothing(tagger, tmp_path):
    lines = [item_line(n) for n in range(5)]
    ingest(tagger, tmp_path, lines)
    again = ingest(tagger, tmp_path, lines)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    store = SqlStore.open(None, tmp_path)
    assert store.count() == 5
    store.close()


def test_a_changed_page_becomes_a_new_version(tagger, tmp_path):
    ingest(tagger, tmp_path, [item_line(1)])
    report = ingest(tagger, tmp_path, [item_line(1, text="The IMDA withdrew the advisory after a review.")])
    assert report.updated == 1
    store = SqlStore.open(None, tmp_path)
    [stored] = list(store.iter_items())
    versions = store.versions(stored.id)
    assert [v.version for v in versions] == [1, 2]
    assert "withdrew" in versions[1].diff
    store.close()


@pytest.mark.parametrize("commit_every", [1, 5, 2048])
def test_a_page_changed_later_in_the_same_input_is_indexed_as_changed(tagger, tmp_path, commit_every):
    changed = item_line(1, title="IMDA withdraws advisory", text="The IMDA withdrew the advisory after a review.")
    lines = [item_line(n) for n in range(1, 7)] + [changed] + [item_line(n) for n in range(7, 10)]
    report = ingest(tagger, tmp_path, lines, commit_every)
    assert (report.new, report.updated) == (9, 1)
    engine = TantivyEngine(tmp_path / "index")
    assert engine.search(SearchQuery(text="withdrew")).total == 1
    assert engine.search(SearchQuery(text='"advisory 1"')).total == 0  # the old text is gone
    assert engine.search(SearchQuery(text="scam")).total == 8
    engine.close()
    store = SqlStore.open(None, tmp_path)
    assert store.pending_index() == []  # all committed, the outbox empty
    store.close()


def test_bad_lines_are_rejected_by_number_and_the_rest_ingested(tagger, tmp_path):
    lines = [item_line(1), b"{broken\n", json.dumps({"title": "no url"}).encode() + b"\n", item_line(2)]
    report = ingest(tagger, tmp_path, lines)
    assert report.new == 2
    assert [number for number, _ in report.rejected] == [2, 3]
    assert "not valid JSON" in report.rejected[0][1]
    assert "url" in report.rejected[1][1]


def wait_until(condition: Callable[[], bool], deadline_s: float) -> bool:
    deadline = time.monotonic() + deadline_s
    pause = threading.Event()
    while time.monotonic() < deadline:
        if condition():
            return True
        pause.wait(0.02)
    return condition()


def stored_count(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM items").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie waiting to be reaped has finished)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_a_run_killed_mid_way_is_completed_by_the_next(tmp_path):
    items = tmp_path / "items.jsonl"
    total = 3000
    items.write_bytes(b"".join(item_line(n) for n in range(total)))
    env = {**os.environ, "RADAR_DATA_DIR": str(tmp_path / "data")}
    env.pop("RADAR_DATABASE_URL", None)
    env.pop("RADAR_ELASTICSEARCH_URL", None)
    database = tmp_path / "data" / "store.sqlite3"
    run = subprocess.Popen([sys.executable, "-m", "radar.cli", "ingest", str(items)], env=env, cwd=ROOT)
    try:
        assert wait_until(lambda: stored_count(database) > 0 or run.poll() is not None, 120)
        assert run.poll() is None, "the first run finished before it could be interrupted"
        workers = children(run.pid)
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait(timeout=60)
    assert 0 < stored_count(database) < total
    assert workers, "the run had no tagging process (3000 items are more than one batch)"
    assert wait_until(lambda: not any(map(running, workers)), 60), "the tagging process outlived the killed run"
    again = subprocess.run(
        [sys.executable, "-m", "radar.cli", "ingest", str(items)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert stored_count(database) == total
    check = subprocess.run(
        [sys.executable, "-m", "radar.cli", "check"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "store and index agree" in check.stdout
