"""`radar ingest` with an index that cannot be written: it stores everything, warns how many
items wait for the index and why, exits 0, and the next run indexes them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from index.search.expansion import Equivalents
from index.search.tantivy_engine import TantivyEngine
from radar.engines import EQUIVALENTS_FILE
from tests.index.conftest import make_item

ROOT = Path(__file__).resolve().parents[2]


def radar(data_dir: Path, *args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "RADAR_DATA_DIR": str(data_dir), **env}
    environment.pop("RADAR_DATABASE_URL", None)
    if "RADAR_ELASTICSEARCH_URL" not in env:
        environment.pop("RADAR_ELASTICSEARCH_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=environment,
        timeout=300,
    )


def items(first: int, count: int) -> bytes:
    lines = [
        {
            "url": f"https://www.example.gov.sg/news/{n}",
            "title": f"IMDA warns of scam calls, advisory {n}",
            "text": f"The Infocomm Media Development Authority warned the public about scam calls (advisory {n}).",
            "published": "2025-10-02",
        }
        for n in range(first, first + count)
    ]
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_ingest_with_elasticsearch_unreachable_stores_warns_and_exits_0(tmp_path):
    data = tmp_path / "data"
    done = radar(data, "ingest", stdin=items(0, 12), RADAR_ELASTICSEARCH_URL=f"http://127.0.0.1:{closed_port()}")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("12 new, 0 updated, 0 unchanged")
    # The last line says it all (above it, the logs may show the client's retries).
    last = done.stderr.decode().splitlines()[-1]
    assert last.startswith("warning: 12 items stored but waiting for the index (Elasticsearch cannot be reached")
    assert last.endswith("they will be indexed by the next ingest or `radar reindex`")

    check = radar(data, "check")  # on the embedded index, which has none of them yet
    assert check.returncode == 1
    assert "12 items wait for the index" in check.stdout.decode()
    caught_up = radar(data, "ingest")
    assert caught_up.returncode == 0
    assert "12 indexed that an earlier run stored but did not index" in caught_up.stdout.decode()
    assert "store and index agree" in radar(data, "check").stdout.decode()


def test_ingest_while_another_process_writes_the_tantivy_index(tmp_path):
    data = tmp_path / "data"
    assert radar(data, "ingest", stdin=items(0, 3)).returncode == 0
    holder = TantivyEngine(data / "index", equivalents=Equivalents.from_file(EQUIVALENTS_FILE))
    try:
        holder.add([make_item("held")])  # this process now holds the index's writer lock
        done = radar(data, "ingest", stdin=items(3, 9))
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.decode().startswith("9 new")
        assert "warning: 9 items stored but waiting for the index" in done.stderr.decode()
        assert "another writer holds its lock" in done.stderr.decode()
    finally:
        holder.close()
    caught_up = radar(data, "ingest")
    assert "9 indexed that an earlier run stored but did not index" in caught_up.stdout.decode()
    check = radar(data, "check")
    assert check.returncode == 0 and "12 items in the store, 12 in the index" in check.stdout.decode()
