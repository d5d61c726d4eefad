"""Fixtures for the API and the web page: a data directory holding the shipped example items
(ingested once, as `radar ingest` does, then copied for each test that changes it) and apps over
it, in the single-user mode or with accounts."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from index.store.accounts import Accounts
from radar.engines import open_store
from radar.settings import Settings
from tests.radar.test_cli import RADAR, ROOT

EXAMPLES = ROOT / "examples" / "items.jsonl"


def own_environment(data_dir: Path, **settings: str) -> dict[str, str]:
    """This environment without any RADAR_ setting of whoever runs the tests (their database or
    cluster is left alone), pointed at `data_dir`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("RADAR_")}
    return {**env, "RADAR_DATA_DIR": str(data_dir), **settings}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def radar_serve(data_dir: Path, *args: str, log_path: Path) -> Iterator[str]:
    """`radar serve --port P ARGS` on `data_dir` until the block ends: its URL on loopback, once
    /health answers. Fails the test with the server's log if it exits or is not up in 30 s."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*RADAR, "serve", "--port", str(port), *args],
            cwd=ROOT,
            env=own_environment(data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                    assert json.load(answer) == {"status": "ok"}
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"radar serve did not answer within 30 s: {log_path.read_text()[-1000:]}")
                with contextlib.suppress(subprocess.TimeoutExpired):  # until it is up, or it has died
                    process.wait(timeout=0.1)
                    pytest.fail(f"radar serve exited: {log_path.read_text()[-1000:]}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def ingest(data_dir: Path, jsonl: bytes) -> None:
    """Tag, store and index JSON Lines items into `data_dir`, through `radar ingest`, and only
    there: a database or cluster named in the environment of whoever runs the tests is left alone."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("RADAR_")}
    done = subprocess.run(
        [*RADAR, "ingest"],
        input=jsonl,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        env={**env, "RADAR_DATA_DIR": str(data_dir)},
    )
    assert done.returncode == 0, done.stderr.decode()


@pytest.fixture(scope="session")
def example_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("examples") / "data"
    ingest(data_dir, EXAMPLES.read_bytes())
    return data_dir


@pytest.fixture
def data_dir(example_data: Path, tmp_path: Path) -> Path:
    """A copy of the example data this test may change."""
    return Path(shutil.copytree(example_data, tmp_path / "data"))


def settings_for(data_dir: Path, **changes: str) -> Settings:
    return Settings(data_dir=data_dir, database_url=None, elasticsearch_url=None, **changes)  # type: ignore[arg-type]


@pytest.fixture
def client_for(data_dir: Path) -> Iterator[Callable[..., TestClient]]:
    """Apps over this test's data: client_for(public=False, **settings)."""
    opened: list[TestClient] = []

    def open_client(public: bool = False, **changes: str) -> TestClient:
        client = TestClient(create_app(settings_for(data_dir, **changes), public=public)).__enter__()
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def add_user(data_dir: Path) -> Callable[[str, str], str]:
    """add_user(name, role) -> their API token."""

    def add(name: str, role: str) -> str:
        import datetime as dt

        store = open_store(settings_for(data_dir))
        try:
            return Accounts(store.engine).add(name, role, dt.datetime.now(dt.UTC))[1]  # type: ignore[attr-defined]
        finally:
            store.close()

    return add


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
