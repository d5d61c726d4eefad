"""Moving a store as JSON Lines: every table there and back, ids kept, line for line; a bad file
or a store already in use refused with nothing imported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawlers.state import CrawlState, Validators
from index.store.accounts import Accounts
from index.store.alert_log import AlertLog, NewAlert
from index.store.models import login_sessions, story_bands
from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscriptions
from index.store.transfer import KINDS, TransferError, export_lines, import_lines
from tests.index.conftest import make_item, reworded, with_content

NOW = dt.datetime(2025, 3, 4, 8, 15, 30, 250000, tzinfo=dt.UTC)


def populate(store: SqlStore) -> str:
    """A store with a row in every table an export carries (and a login session it leaves out);
    returns the API token made, which must never appear in an export."""
    first = make_item("a", text="Héllo — 深度伪造 " + make_item("a").text)
    store.upsert([first, make_item("b", source=None, published_at=None), make_item("short", text="Too short.")])
    store.upsert([with_content(first, title="Changed title"), make_item("c", text=reworded(make_item("b").text, 3))])
    accounts = Accounts(store.engine)
    owner, token = accounts.add("Wan Ling", "editor", NOW)
    accounts.add("admin", "admin", NOW)
    assert accounts.log_in("Wan Ling", token, NOW) is not None
    subscriptions = Subscriptions(store.engine)
    watched = subscriptions.add(
        NewSubscription("AU scams", "scam", jurisdictions=("AU",), channels=("email:lead@example.org",)), owner.id, NOW
    )
    subscriptions.add(
        NewSubscription("digest", harm_areas=("child_safety",), channels=("webhook:https://hooks.example.org/x",)),
        None,
        NOW,
    )
    alert = NewAlert(
        watched.id, "a", 1, "new", "a", 2, {"terms": ["scam"]}, ("first seen",), {"harm_areas": ["scams"]},
        ("email:lead@example.org",), NOW,
    )  # fmt: skip
    AlertLog(store.engine).record([alert], [], NOW)
    state = CrawlState(store.engine)
    state.save_validators("au-esafety", "https://www.esafety.gov.au/feed", Validators('"e1"', None, "ab" * 32), NOW)
    state.save_validators("au-esafety", "https://www.esafety.gov.au/Zed", Validators(None, "Tue, 04 Mar", None), NOW)
    state.record("au-esafety", NOW, new_items=2)
    state.record("sg-imda", NOW, "timeout", "no answer in 30 s")
    state.switch("sg-imda", False, "Wan Ling", NOW)
    return token


def export(store: SqlStore) -> list[str]:
    return list(export_lines(store.engine))


def rows_in(store: SqlStore, table) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def assert_empty(store: SqlStore) -> None:
    assert {kind.name: rows_in(store, kind.table) for kind in KINDS} == {kind.name: 0 for kind in KINDS}


@pytest.fixture
def source(tmp_path: Path) -> SqlStore:
    """An SQLite store with something in every table."""
    store = SqlStore.open(None, tmp_path / "source")
    populate(store)
    yield store
    store.close()


def test_an_export_imported_and_exported_again_is_the_same_line_for_line(source, store, tmp_path):
    lines = export(source)
    counts = import_lines(store.engine, (line.encode() + b"\n" for line in lines))
    assert export(store) == lines
    back = SqlStore.open(None, tmp_path / "back")  # and from there (PostgreSQL too) into SQLite again
    import_lines(back.engine, (line.encode() for line in export(store)))
    assert export(back) == lines
    back.close()

    assert counts == {kind.name: rows_in(source, kind.table) for kind in KINDS}
    assert set(counts) == {kind.name for kind in KINDS}  # every kind of record was exercised
    assert json.loads(lines[0]) == {"type": "header", "format": "policy-radar-store", "version": 1, "schema": "0005"}
    assert json.loads(lines[-1])["counts"]["item_version"] == 5


def test_an_import_keeps_ids_versions_stories_and_what_was_alerted(source, store):
    import_lines(store.engine, (line.encode() for line in export(source)))
    assert [v.title for v in store.versions("a")] == [v.title for v in source.versions("a")]
    assert store.get("c").story_id == source.get("c").story_id == "b"  # the reworded copy joined b's story
    assert AlertLog(store.engine).counts() == {"pending": 1}
    assert Subscriptions(store.engine).all() == Subscriptions(source.engine).all()  # with unsubscribe keys
    assert CrawlState(store.engine).health(NOW) == CrawlState(source.engine).health(NOW)
    assert CrawlState(store.engine).switches() == CrawlState(source.engine).switches()


def test_every_imported_item_waits_for_the_index(source, store):
    source.mark_indexed({item.id: item.version for item in source.iter_items()})
    import_lines(store.engine, (line.encode() for line in export(source)))
    assert store.pending_index_count() == store.count() == 4


def test_users_keep_their_token_hashes_but_no_token_or_login_session_travels(tmp_path, store):
    origin = SqlStore.open(None, tmp_path / "origin")
    token = populate(origin)
    text = "\n".join(export(origin))
    assert token not in text
    import_lines(store.engine, (line.encode() for line in text.splitlines()))
    assert Accounts(store.engine).by_token(token).name == "Wan Ling"  # the same token still works
    assert rows_in(store, login_sessions) == 0  # but everyone logs in again
    origin.close()


def test_new_rows_after_an_import_get_new_ids_and_join_imported_stories(source, store):
    import_lines(store.engine, (line.encode() for line in export(source)))
    assert rows_in(store, story_bands) == rows_in(source, story_bands) > 0
    user, _token = Accounts(store.engine).add("newcomer", "viewer", NOW)
    assert user.id == 3  # past the imported ids (PostgreSQL's sequence was moved on)
    again = Subscriptions(store.engine).add(NewSubscription("new", "x", channels=("email:x@example.org",)), None, NOW)
    assert again.id == 3
    [outcome] = store.upsert([make_item("d", text=reworded(make_item("b").text, 9))])
    assert (outcome.story_id, outcome.joined_story) == ("b", True)


def test_an_empty_store_exports_and_imports(tmp_path, store):
    empty = SqlStore.open(None, tmp_path / "empty")
    lines = export(empty)
    assert [json.loads(line)["type"] for line in lines] == ["header", "end"]
    assert import_lines(store.engine, (line.encode() for line in lines)) == {}
    empty.close()


def corrupt(lines: list[bytes], number: int, change) -> list[bytes]:
    """The lines with line `number`'s record changed by `change`."""
    record = json.loads(lines[number - 1])
    change(record)
    return [*lines[: number - 1], json.dumps(record).encode(), *lines[number:]]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: [*lines[:5], b"{not json", *lines[6:]], "line 6: not a JSON record"),
        (lambda lines: [*lines[:5], b"\xff\xfe", *lines[6:]], "line 6: not a JSON record"),
        (lambda lines: [*lines[:5], b"[1, 2]", *lines[6:]], 'line 6: not a record (a JSON object with a "type")'),
        (lambda lines: corrupt(lines, 6, lambda r: r.update(type="nonsense")), "line 6: unknown record type"),
        (lambda lines: corrupt(lines, 6, lambda r: r.pop("id")), "line 6: a story record with the wrong fields"),
        (lambda lines: corrupt(lines, 6, lambda r: r.update(colour="red")), "(unknown colour)"),
        (lambda lines: corrupt(lines, 6, lambda r: r.update(first_seen_at="March")), "field 'first_seen_at'"),
        (lambda lines: corrupt(lines, 6, lambda r: r.update(first_seen_at="2025-03-04T08:15:30")), "no time zone"),
        (lambda lines: corrupt(lines, 2, lambda r: r.update(id="2")), "line 2: user field 'id': expected an integer"),
        (lambda lines: corrupt(lines, 1, lambda r: r.update(schema="0001")), "line 1: the export is of store schema"),
        (lambda lines: corrupt(lines, 1, lambda r: r.update(version=2)), "line 1: export format version 2"),
        (lambda lines: lines[1:], "line 1: not a radar export"),
        (lambda lines: lines[:-1], "the file ends before its end record: it was cut short"),
        (lambda lines: [*lines, lines[3]], "a record after the end record"),
        (lambda lines: [*lines[:-2], lines[-1]], "the end record counts"),  # a fetch_state line lost
        (lambda lines: [], "the file is empty"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line_and_nothing_is_imported(source, store, damage, message):
    lines = [line.encode() for line in export(source)]
    with pytest.raises(TransferError) as refused:
        import_lines(store.engine, damage(lines))
    assert message in str(refused.value)
    assert_empty(store)


def test_rows_the_database_refuses_are_named_by_their_lines_and_nothing_is_imported(source, store):
    lines = [line.encode() for line in export(source)]
    item_line = next(i for i, line in enumerate(lines) if line.startswith(b'{"type":"item"'))
    twice = [*lines[: item_line + 1], lines[item_line], *lines[item_line + 1 :]]
    # The counts still agree, so only the database can tell: the same id twice.
    end = json.loads(twice[-1])
    end["counts"]["item"] += 1
    twice[-1] = json.dumps(end).encode()
    with pytest.raises(TransferError, match=rf"lines {item_line + 1}-\d+ \(item records\): the database refused them"):
        import_lines(store.engine, twice)
    assert_empty(store)


def test_a_store_that_is_not_empty_is_refused(source, store):
    Accounts(store.engine).add("someone", "viewer", NOW)
    with pytest.raises(TransferError, match=r"the store is not empty \(1 user records\): import only into an empty"):
        import_lines(store.engine, (line.encode() for line in export(source)))
    assert store.count() == 0


def test_the_export_is_one_moment_of_a_store_being_written(source, tmp_path):
    lines = export_lines(source.engine)
    taken = [next(lines), next(lines)]  # the read transaction has begun
    source.upsert([make_item("late")])
    taken += list(lines)
    assert not any('"id":"late"' in line for line in taken)
    assert json.loads(taken[-1])["counts"]["item"] == 4
