"""`radar users`: add (the token printed once, stored hashed), list, new token, remove."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.radar.test_cli import radar


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_add_prints_the_token_once_and_keeps_only_its_hash(data_dir: Path) -> None:
    added = radar("users", "add", "lead", "--role", "editor")
    assert added.returncode == 0, added.stderr.decode()
    token = added.stdout.decode().strip()
    assert token.startswith("radar_") and len(token) > 40
    assert "Added lead (editor)" in added.stderr.decode()
    assert token.encode() not in b"".join(path.read_bytes() for path in data_dir.glob("store.sqlite3*"))
    listed = radar("users", "list").stdout.decode()
    assert listed.startswith("lead\teditor\t") and token not in listed


def test_mistakes_are_named(data_dir: Path) -> None:
    assert radar("users", "add", "lead").returncode == 0
    twice = radar("users", "add", "lead")
    assert twice.returncode == 1 and "already a user called 'lead'" in twice.stderr.decode()
    bad_role = radar("users", "add", "other", "--role", "owner")
    assert bad_role.returncode == 1 and "Unknown role 'owner'" in bad_role.stderr.decode()
    missing = radar("users", "remove", "nobody")
    assert missing.returncode == 1 and "No user called 'nobody'" in missing.stderr.decode()


def test_a_new_token_replaces_the_old_and_remove_removes(data_dir: Path) -> None:
    from index.store.accounts import Accounts
    from index.store.sql_store import SqlStore

    old = radar("users", "add", "lead").stdout.decode().strip()
    new = radar("users", "token", "lead").stdout.decode().strip()
    assert new.startswith("radar_") and new != old
    store = SqlStore.open(None, data_dir)
    try:
        accounts = Accounts(store.engine)
        assert accounts.by_token(old) is None and accounts.by_token(new).name == "lead"
        assert radar("users", "remove", "lead").returncode == 0
        assert accounts.by_token(new) is None
    finally:
        store.close()
