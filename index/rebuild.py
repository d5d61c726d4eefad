"""The index from the store: rebuilding it (`radar reindex`) and comparing the two (`radar check`).

A rebuild reads the store into a new index while other processes may go on ingesting into the
one it replaces, and what they write there would vanish with it at the swap. So once the new
index is live it is compared with the store: items it lacks or holds at an older version go back
into the store's outbox and are indexed at once (or by the next ingest, when the index cannot be
written now), and an item leaves the outbox only when the new index holds its stored version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from index.ingest import Outbox
from index.protocols import SearchEngine, Store


@dataclass
class Differences:
    """How the index stands against the store, by item id."""

    stored: int = 0
    missing: list[str] = field(default_factory=list)  # in the store, not in the index
    stale: list[str] = field(default_factory=list)  # in the index at another version
    extra: list[str] = field(default_factory=list)  # in the index, not in the store
    held: dict[str, str] = field(default_factory=dict, repr=False)  # in the index at the stored version: hashes

    @property
    def agree(self) -> bool:
        return not (self.missing or self.stale or self.extra)

    @property
    def indexed(self) -> int:
        return len(self.held) + len(self.stale) + len(self.extra)


@dataclass
class Rebuilt:
    items: int  # read from the store into the new index
    caught_up: int  # stored while the rebuild read the store (or waiting before), indexed afterwards
    waiting: int  # still waiting for the index (it could not be written after the swap)
    index_unavailable: str | None
    seconds: float

    def summary(self) -> str:
        line = f"reindexed {self.items} items in {self.seconds:.1f} s"
        if self.caught_up:
            line += f", then {self.caught_up} stored meanwhile"
        if self.index_unavailable is not None:
            line += f"; {self.waiting} wait for the index ({self.index_unavailable}): the next ingest indexes them"
        return line


def compare(store: Store, engine: SearchEngine) -> Differences:
    """The index's fingerprints against the store's. The index's are read whole (at 1,000,000
    items, one dictionary of some 200 MB), the store's stream past them; each one matched moves
    to `held`, so the dictionary never grows beyond the index's size."""
    unmatched = dict(engine.fingerprints())
    found = Differences()
    for item_id, digest in store.fingerprints():
        found.stored += 1
        in_index = unmatched.pop(item_id, None)
        if in_index is None:
            found.missing.append(item_id)
        elif in_index != digest:
            found.stale.append(item_id)
        else:
            found.held[item_id] = digest
    found.extra = sorted(unmatched)
    return found


def rebuild_index(store: Store, engine: SearchEngine) -> Rebuilt:
    """Rebuild the index from the store beside the live one and swap it in; then index what the
    store took meanwhile (see the module's docstring). The store never lets an item go, so the new
    index holds nothing the store lacks."""
    began = time.perf_counter()
    count = engine.rebuild(store.iter_items())
    found = compare(store, engine)
    store.mark_pending([*found.missing, *found.stale])
    _clear_marks_held(store, found.held)
    outbox = Outbox(store, engine)
    caught_up = outbox.drain_outbox()
    return Rebuilt(
        items=count,
        caught_up=caught_up,
        waiting=store.pending_index_count() if outbox.index_unavailable else 0,
        index_unavailable=outbox.index_unavailable,
        seconds=time.perf_counter() - began,
    )


def _clear_marks_held(store: Store, held: dict[str, str]) -> None:
    """Take out of the outbox the items the new index holds at their stored version (stored while
    an earlier index could not be written, say); the others, and any stored since the
    comparison, stay for the drain."""
    keep: set[str] = set()
    while pending := store.pending_index(1000, skip=keep):
        store.mark_indexed({item.id: item.version for item in pending if held.get(item.id) == item.content_hash})
        keep.update(item.id for item in pending if held.get(item.id) != item.content_hash)
