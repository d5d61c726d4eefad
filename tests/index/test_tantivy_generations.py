"""The tantivy engine's generations on disk: handles starting together on a fresh directory."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from index.records import SearchQuery
from index.search.tantivy_engine import POINTER, TantivyEngine


def test_handles_starting_at_once_on_a_fresh_directory_make_one_generation(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    handles = [TantivyEngine(directory, writer_heap_bytes=20_000_000) for _ in range(6)]
    start = threading.Barrier(len(handles))

    def first_use(handle: TantivyEngine) -> int:
        start.wait()
        return handle.search(SearchQuery()).total

    with ThreadPoolExecutor(len(handles)) as pool:
        assert list(pool.map(first_use, handles)) == [0] * len(handles)
    pointed = (directory / POINTER).read_text(encoding="utf-8").strip()
    # The losers' empty generations and their pointer files are gone: nothing is left to grow stale.
    assert sorted(path.name for path in directory.iterdir()) == sorted([POINTER, pointed])
    assert {handle._generation for handle in handles} == {pointed}
    for handle in handles:
        handle.close()
