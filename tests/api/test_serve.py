"""`radar serve` as a user runs it: on loopback without login; on any other address only once
accounts exist, and then every request needs one."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.radar.test_cli import ROOT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(data_dir: Path, *args: str) -> subprocess.Popen:
    env = {"RADAR_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "radar.cli", "serve", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)


@contextlib.contextmanager
def running(data_dir: Path, *args: str) -> Iterator[None]:
    server = serve(data_dir, *args)
    try:
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def get(url: str, token: str | None = None) -> tuple[int, dict]:
    """(status, JSON body) of a GET, waiting up to 30 s for the server to come up."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"radar serve did not answer {url} within 30 s")
            time.sleep(0.05)  # the server is starting; poll again until the deadline


def test_on_loopback_it_serves_without_login(data_dir: Path) -> None:
    port = free_port()
    with running(data_dir, "--port", str(port)):
        status, body = get(f"http://127.0.0.1:{port}/api/search?q=scam")
    assert status == 200 and body["total"] >= 1


def test_on_another_address_it_refuses_without_accounts_and_needs_one_with(
    data_dir: Path, add_user: Callable[[str, str], str]
) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "radar.cli", "serve", "--host", "0.0.0.0"],
        cwd=ROOT,
        env={"RADAR_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "will not listen on 0.0.0.0 without accounts" in refused.stderr.decode()
    assert "radar users add NAME --role admin" in refused.stderr.decode()
    token = add_user("lead", "viewer")
    port = free_port()
    with running(data_dir, "--host", "0.0.0.0", "--port", str(port)):
        status, body = get(f"http://127.0.0.1:{port}/api/search?q=scam")
        assert status == 401 and "Log in first" in body["error"]
        status, body = get(f"http://127.0.0.1:{port}/api/search?q=scam", token)
        assert status == 200 and body["total"] >= 1


def test_a_rate_limit_setting_that_is_not_one_is_named(data_dir: Path) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "radar.cli", "serve"],
        cwd=ROOT,
        env={"RADAR_DATA_DIR": str(data_dir), "RADAR_API_RATE_LIMIT": "lots", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "RADAR_API_RATE_LIMIT='lots' is not a rate limit" in refused.stderr.decode()
