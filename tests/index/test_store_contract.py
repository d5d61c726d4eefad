"""The `Store` contract, on every available engine (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from index.protocols import Store
from index.records import InvalidItemError, StoredItem
from index.store.models import item_versions, stories, story_bands
from index.store.sql_store import SqlStore
from index.store.stories import sketch
from tests.index.conftest import StoreEngine, article, make_item, reworded, with_content

REPO = Path(__file__).resolve().parents[2]


def rows_in(store: SqlStore, table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def as_stored(item: StoredItem, story_id: str, version: int = 1) -> StoredItem:
    return dataclasses.replace(item, story_id=story_id, version=version)


def test_sql_store_has_every_method_of_the_store_protocol() -> None:
    protocol_methods = {name for name in vars(Store) if not name.startswith("_")}
    assert protocol_methods == {
        *("upsert", "get", "versions", "story", "story_sizes", "iter_items", "pending_index", "mark_indexed"),
        "mark_pending",
        *("pending_index_count", "fingerprints", "count", "close"),
    }
    assert all(callable(getattr(SqlStore, name, None)) for name in protocol_methods)


# -- new, unchanged, updated ---------------------------------------------------------------------


def test_new_items_are_stored_and_read_back_as_given(store: SqlStore) -> None:
    first, second = make_item("a"), make_item("b", published_at=None, source=None, source_kind=None, evidence={})

    outcomes = store.upsert([first, second])

    assert [(o.id, o.status, o.story_id, o.joined_story) for o in outcomes] == [
        ("a", "new", "a", False),
        ("b", "new", "b", False),
    ]
    assert store.get("a") == as_stored(first, "a")
    assert store.get("b") == as_stored(second, "b")
    assert store.get("missing") is None
    assert store.count() == 2


def test_the_same_items_again_change_nothing(store: SqlStore) -> None:
    batch = [make_item("a"), make_item("b")]
    store.upsert(batch)
    store.mark_indexed({"a": 1, "b": 1})

    outcomes = store.upsert(batch)

    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert [o.story_id for o in outcomes] == ["a", "b"]
    assert store.pending_index() == []
    assert [v.version for v in store.versions("a")] == [1]
    assert rows_in(store, item_versions) == 2


def test_changed_content_becomes_a_new_version_beside_the_old(store: SqlStore) -> None:
    original = make_item("a", text="The bill was introduced today. It sets an age limit of 16. Fines apply.")
    store.upsert([original])
    changed = with_content(
        original,
        text="The bill was introduced today. It sets an age limit of 15. Fines apply.",
        fetched_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
        harm_areas=("age_assurance",),
    )

    [outcome] = store.upsert([changed])

    assert (outcome.status, outcome.story_id, outcome.joined_story) == ("updated", "a", False)
    assert store.get("a") == as_stored(changed, "a", version=2)
    first, second = store.versions("a")
    assert (first.version, first.text, first.content_hash, first.diff) == (1, original.text, original.content_hash, "")
    assert (second.version, second.text, second.fetched_at) == (2, changed.text, changed.fetched_at)
    assert second.diff.splitlines() == [
        "--- version 1",
        "+++ version 2",
        "@@ -1,4 +1,4 @@",
        f" title: {original.title}",
        " The bill was introduced today.",
        "-It sets an age limit of 16.",
        "+It sets an age limit of 15.",
        " Fines apply.",
    ]


def test_a_title_change_shows_in_the_diff(store: SqlStore) -> None:
    store.upsert([make_item("a", title="Draft code published")])
    store.upsert([with_content(make_item("a"), title="Final code published")])

    diff = store.versions("a")[1].diff
    assert "-title: Draft code published" in diff.splitlines()
    assert "+title: Final code published" in diff.splitlines()


def test_versions_of_an_unknown_item_are_empty(store: SqlStore) -> None:
    assert store.versions("nope") == []


def test_an_id_twice_in_a_batch_counts_once_and_the_last_wins(store: SqlStore) -> None:
    early = make_item("a", title="Early headline")
    late = with_content(early, title="Late headline")

    outcomes = store.upsert([early, make_item("b"), late])

    assert [(o.id, o.status) for o in outcomes] == [("a", "new"), ("b", "new")]
    assert store.get("a").title == "Late headline"
    assert [v.version for v in store.versions("a")] == [1]


def test_an_empty_batch_does_nothing(store: SqlStore) -> None:
    assert store.upsert([]) == []
    assert store.count() == 0


def test_items_come_from_any_iterable(store: SqlStore) -> None:
    outcomes = store.upsert(make_item(f"g{n}") for n in range(3))
    assert [o.status for o in outcomes] == ["new"] * 3


# -- times ---------------------------------------------------------------------------------------


def test_times_come_back_in_utc_and_a_naive_time_is_taken_as_utc(store: SqlStore) -> None:
    plus_eight = dt.timezone(dt.timedelta(hours=8))
    store.upsert(
        [
            make_item(
                "a",
                published_at=dt.datetime(2025, 3, 1, 8, 0, tzinfo=plus_eight),
                fetched_at=dt.datetime(2025, 3, 2, 12, 0, 0, 500),
            )
        ]
    )

    got = store.get("a")
    assert got.published_at == dt.datetime(2025, 3, 1, 0, 0, tzinfo=dt.UTC)
    assert got.published_at.utcoffset() == dt.timedelta(0)
    assert got.fetched_at == dt.datetime(2025, 3, 2, 12, 0, 0, 500, tzinfo=dt.UTC)


# -- the outbox ----------------------------------------------------------------------------------


def test_new_and_updated_items_wait_for_the_index_until_marked(store: SqlStore) -> None:
    store.upsert([make_item("b"), make_item("a"), make_item("c")])
    assert [i.id for i in store.pending_index()] == ["a", "b", "c"]
    assert [i.id for i in store.pending_index(limit=2)] == ["a", "b"]
    assert store.pending_index_count() == 3

    store.mark_indexed({"a": 1, "c": 1})
    assert [i.id for i in store.pending_index()] == ["b"]
    assert store.pending_index_count() == 1
    store.mark_indexed({"b": 1})
    assert store.pending_index() == []

    store.upsert([with_content(make_item("a"), title="Changed"), make_item("b")])
    [pending] = store.pending_index()
    assert (pending.id, pending.version, pending.title) == ("a", 2, "Changed")


def test_items_put_back_wait_for_the_index_again(store: SqlStore) -> None:
    store.upsert([make_item("a"), make_item("b"), make_item("c")])
    store.mark_indexed({"a": 1, "b": 1, "c": 1})
    store.mark_pending(iter(["c", "a", "c"]))
    assert [(i.id, i.version) for i in store.pending_index()] == [("a", 1), ("c", 1)]
    store.mark_pending(["a"])  # already waiting: still once
    assert store.pending_index_count() == 2


def test_an_older_version_indexed_leaves_the_newer_one_waiting(store: SqlStore) -> None:
    # Another process stored version 2 while this one's index writer held version 1.
    store.upsert([make_item("a")])
    [taken] = store.pending_index()
    store.upsert([with_content(make_item("a"), title="Changed")])
    store.mark_indexed({taken.id: taken.version})
    [waiting] = store.pending_index()
    assert (waiting.id, waiting.version, waiting.title) == ("a", 2, "Changed")
    store.mark_indexed({"a": 2})
    assert store.pending_index_count() == 0


def test_marking_unknown_or_no_ids_is_harmless(store: SqlStore) -> None:
    store.mark_indexed({})
    store.mark_indexed({"never-stored": 1})
    store.mark_pending([])
    store.mark_pending(["never-stored"])
    assert store.count() == 0


# -- reading everything --------------------------------------------------------------------------


def test_iter_items_and_fingerprints_cover_every_item_in_id_order(store: SqlStore) -> None:
    ids = ["b", "a", "B", "c-1", "c", "0", "é", "a-2"]
    store.upsert([make_item(i) for i in ids])
    store.upsert([with_content(make_item("c"), title="Changed")])

    for batch_size in (1, 3, 8, 1000):
        items = list(store.iter_items(batch_size=batch_size))
        assert [i.id for i in items] == sorted(ids)
    assert next(i for i in store.iter_items() if i.id == "c").version == 2
    fingerprints = list(store.fingerprints())
    assert fingerprints == sorted((i, store.get(i).content_hash) for i in ids)
    assert store.count() == len(ids)


def test_reading_an_empty_store(store: SqlStore) -> None:
    assert list(store.iter_items()) == []
    assert list(store.fingerprints()) == []
    assert store.pending_index() == []
    assert store.story("nothing") == []


def test_a_reopened_store_keeps_everything(store_engine: StoreEngine) -> None:
    store_engine.open().upsert([make_item("a")])
    reopened = store_engine.open()
    assert reopened.get("a") is not None
    assert [o.status for o in reopened.upsert([make_item("a")])] == ["unchanged"]


# -- stories -------------------------------------------------------------------------------------


def test_a_reworded_copy_joins_the_original_story(store: SqlStore) -> None:
    original = make_item("wire", text=article(1), published_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    store.upsert([original, make_item("other", text=article(2))])

    copy = make_item(
        "copy",
        title="Outlet rewrites the headline",
        text=reworded(original.text, seed=7),
        published_at=dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
    )
    [outcome] = store.upsert([copy])

    assert (outcome.status, outcome.story_id, outcome.joined_story) == ("new", "wire", True)
    assert [i.id for i in store.story("wire")] == ["wire", "copy"]
    assert [i.id for i in store.story("other")] == ["other"]
    assert rows_in(store, stories) == 2


def test_copies_in_one_batch_join_one_story(store: SqlStore) -> None:
    text = article(3)
    batch = [
        make_item(f"outlet-{n}", text=reworded(text, seed=n), published_at=dt.datetime(2025, 3, 1 + n, tzinfo=dt.UTC))
        for n in range(5)
    ]

    outcomes = store.upsert([*batch, make_item("unrelated", text=article(4))])

    assert [(o.story_id, o.joined_story) for o in outcomes] == [
        ("outlet-0", False),
        *[("outlet-0", True)] * 4,
        ("unrelated", False),
    ]
    assert [i.id for i in store.story("outlet-0")] == [f"outlet-{n}" for n in range(5)]
    assert store.story_sizes(["outlet-0", "unrelated", "no-such-story", "outlet-0"]) == {
        "outlet-0": 5,
        "unrelated": 1,
    }


def test_an_item_like_two_stories_joins_the_oldest_items_story(store: SqlStore) -> None:
    part_1, part_2, part_3 = article(11, 120), article(12, 120), article(13, 120)
    # Stored first but published later: age is by publication, not by arrival.
    newer = make_item("newer", text=f"{part_1} {part_2}", published_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    older = make_item("older", text=f"{part_2} {part_3}", published_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))
    store.upsert([newer])
    store.upsert([older])
    assert store.get("older").story_id == "older"  # a third in common: not the same story

    [outcome] = store.upsert([make_item("both", text=f"{part_1} {part_2} {part_3}")])

    assert (outcome.story_id, outcome.joined_story) == ("older", True)


def test_an_updated_item_keeps_its_story(store: SqlStore) -> None:
    text = article(5)
    store.upsert([make_item("first", text=text)])
    store.upsert([make_item("copy", text=reworded(text, seed=1))])
    assert store.get("copy").story_id == "first"

    [outcome] = store.upsert([with_content(make_item("copy"), text=article(6))])

    assert (outcome.status, outcome.story_id) == ("updated", "first")
    assert store.get("copy").story_id == "first"


def test_a_new_copy_matches_the_latest_version_of_a_stored_item(store: SqlStore) -> None:
    store.upsert([make_item("page", text=article(21))])
    store.upsert([with_content(make_item("page"), text=article(22))])

    stale = store.upsert([make_item("old-copy", text=reworded(article(21), seed=2))])
    fresh = store.upsert([make_item("new-copy", text=reworded(article(22), seed=2))])

    assert [o.story_id for o in stale + fresh] == ["old-copy", "page"]
    current = sketch(make_item("page").title, article(22))
    with store.engine.connect() as conn:
        query = select(story_bands.c.band).where(story_bands.c.item_id == "page")
        assert sorted(conn.execute(query).scalars()) == sorted(set(current.bands))  # the old ones are gone


def test_too_short_to_compare_means_a_story_of_its_own(store: SqlStore) -> None:
    outcomes = store.upsert(
        [make_item("x", title="Media release", text=""), make_item("y", title="Media release", text="")]
    )
    assert [(o.story_id, o.joined_story) for o in outcomes] == [("x", False), ("y", False)]
    assert rows_in(store, story_bands) == 0


def test_stories_are_the_same_whichever_engine_and_run(store_engine: StoreEngine, tmp_path: Path) -> None:
    batch = [make_item(f"i{n}", text=reworded(article(n % 4), seed=n)) for n in range(12)]
    here = [o.story_id for o in store_engine.open().upsert(batch)]
    elsewhere = [o.story_id for o in SqlStore.open(None, tmp_path / "again").upsert(batch)]
    assert here == elsewhere == [f"i{n % 4}" for n in range(12)]


# -- bad input -----------------------------------------------------------------------------------


def test_an_invalid_item_mid_batch_stores_nothing_and_is_named(store: SqlStore) -> None:
    batch = [make_item("ok-1"), make_item("bad one", fetched_at="yesterday"), make_item("ok-2")]

    with pytest.raises(
        InvalidItemError, match=r"item 1 \(id 'bad one'\): field 'fetched_at' must be a datetime"
    ) as err:
        store.upsert(batch)

    assert (err.value.item_id, err.value.position) == ("bad one", 1)
    assert store.count() == 0
    assert store.pending_index() == []
    assert rows_in(store, stories) == rows_in(store, item_versions) == rows_in(store, story_bands) == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": ""}, "field 'id' must not be empty"),
        ({"id": "x" * 65}, "field 'id' is 65 characters long; at most 64 fit"),
        ({"title": None, "content_hash": "h"}, "field 'title' must be a string, not NoneType"),
        ({"language": "a-very-long-language-tag"}, "field 'language' is 24 characters long"),
        ({"content_hash": ""}, "field 'content_hash' must not be empty"),
        ({"harm_areas": "csam"}, "field 'harm_areas' must be a sequence of strings"),
        ({"jurisdictions": ("AU", 3)}, r"field 'jurisdictions\[1\]' must be a string, not int"),
        ({"dates": ({"date": 20250101},)}, r"field 'dates\[0\].date' must be a string"),
        ({"evidence": {"score": float("nan")}}, "evidence.score is nan, which JSON cannot hold"),
        ({"evidence": {"when": dt.date(2025, 1, 1)}}, "evidence.when holds a date"),
        ({"evidence": {1: "x"}}, "evidence has a key of type int"),
        ({"published_at": dt.date(2025, 1, 1)}, "field 'published_at' must be a datetime, not date"),
    ],
)
def test_invalid_fields_are_named(store: SqlStore, fields: dict, message: str) -> None:
    with pytest.raises(InvalidItemError, match=message):
        store.upsert([make_item(**{"id": "x", **fields})])
    assert store.count() == 0


def test_something_other_than_an_item_is_refused(store: SqlStore) -> None:
    with pytest.raises(InvalidItemError, match="item 0: expected a StoredItem, got dict"):
        store.upsert([{"id": "a"}])  # type: ignore[list-item]


def test_awkward_text_is_kept_as_far_as_the_engines_allow(store: SqlStore) -> None:
    long_title = "Online safety " * 715  # 10,010 characters
    item = make_item(
        "odd",
        title=long_title,
        text="before\x00after \ud800 lone surrogate, 深度伪造 and 딥페이크 and emoji 🛡",
        stakeholders=("Null\x00Byte Agency",),
        evidence={"harm_areas": {"deepfakes\x00": ["deep\x00fake", "\udcff"]}, "n": [1, 2.5, True, None]},
        source="src\x00",
    )

    store.upsert([item])

    got = store.get("odd")
    assert got.title == long_title
    assert got.text == "beforeafter \ufffd lone surrogate, 深度伪造 and 딥페이크 and emoji 🛡"
    assert got.stakeholders == ("NullByte Agency",)
    assert got.evidence == {"harm_areas": {"deepfakes": ["deepfake", "\ufffd"]}, "n": [1, 2.5, True, None]}
    assert got.source == "src"
    assert store.versions("odd")[0].title == long_title


def test_an_item_without_a_url_is_stored(store: SqlStore) -> None:
    store.upsert([make_item("no-url", url="")])
    assert store.get("no-url").url == ""


# -- crashes and concurrency ---------------------------------------------------------------------

_CRASH_DURING_UPSERT = """
import os, signal, sys
from pathlib import Path
from sqlalchemy import event
from index.store.sql_store import SqlStore
from index.store.stories import sketch
from tests.index.conftest import make_item

store = SqlStore.open(sys.argv[1] or None, Path(sys.argv[2]))

@event.listens_for(store.engine, "after_cursor_execute")
def die_after_the_items_are_written(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO ITEM_VERSIONS"):
        os.kill(os.getpid(), signal.SIGKILL)

store.upsert([make_item(f"crash-{n}") for n in range(50)])
"""


def test_a_process_killed_mid_transaction_leaves_nothing_half_written(store_engine: StoreEngine) -> None:
    store = store_engine.open()
    store.upsert([make_item("before")])
    store.mark_indexed({"before": 1})

    child = subprocess.run(
        [sys.executable, "-c", _CRASH_DURING_UPSERT, store_engine.url or "", str(store_engine.data_dir)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert child.returncode == -signal.SIGKILL, child.stderr
    reopened = store_engine.open()
    assert [i.id for i in reopened.iter_items()] == ["before"]
    assert reopened.pending_index() == []
    assert rows_in(reopened, stories) == rows_in(reopened, item_versions) == 1
    outcomes = reopened.upsert([make_item(f"crash-{n}") for n in range(50)])
    assert {o.status for o in outcomes} == {"new"}
    assert reopened.count() == 51


def test_concurrent_writers_queue_and_lose_nothing(store_engine: StoreEngine) -> None:
    stores = [store_engine.open(), store_engine.open()]
    errors: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            for batch in range(5):
                stores[writer].upsert([make_item(f"w{writer}-{batch}-{n}") for n in range(20)])
                stores[writer].mark_indexed({f"w{writer}-{batch}-0": 1})
        except BaseException as exc:  # reported below, with the thread's traceback lost otherwise
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(writer,)) for writer in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert stores[0].count() == 200
    assert len(stores[1].pending_index(limit=1000)) == 190
