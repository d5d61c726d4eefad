"""The tantivy engine's generations on disk: handles starting together on a fresh directory."""

from __future__ import annotations

from pathlib import Path

from index.search.tantivy_engine import POINTER, TantivyEngine
from tests.index.search_fixtures import searched_at_once


def test_handles_starting_at_once_on_a_fresh_directory_make_one_generation(tmp_path: Path) -> None:
    directory = tmp_path / "index"
    handles = [TantivyEngine(directory, writer_heap_bytes=20_000_000) for _ in range(6)]
    assert searched_at_once(handles) == [0] * len(handles)
    pointed = (directory / POINTER).read_text(encoding="utf-8").strip()
    # The losers' empty generations and their pointer files are gone: nothing is left to grow stale.
    assert sorted(path.name for path in directory.iterdir()) == sorted([POINTER, pointed])
    assert {handle._generation for handle in handles} == {pointed}
    for handle in handles:
        handle.close()
