"""`radar serve` as a user runs it: on loopback without login; on any other address only once
accounts exist, and then every request needs one."""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.api.conftest import own_environment, radar_serve
from tests.radar.test_cli import RADAR, ROOT


def get(url: str, token: str | None = None) -> tuple[int, dict]:
    """(status, JSON body) of a GET."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_on_loopback_it_serves_without_login(data_dir: Path, tmp_path: Path) -> None:
    with radar_serve(data_dir, log_path=tmp_path / "serve.log") as base:
        status, body = get(f"{base}/api/search?q=scam")
    assert status == 200 and body["total"] >= 1


def test_on_another_address_it_refuses_without_accounts_and_needs_one_with(
    data_dir: Path, tmp_path: Path, add_user: Callable[[str, str], str]
) -> None:
    refused = subprocess.run(
        [*RADAR, "serve", "--host", "0.0.0.0"],
        cwd=ROOT,
        env=own_environment(data_dir),
        capture_output=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "will not listen on 0.0.0.0 without accounts" in refused.stderr.decode()
    assert "radar users add NAME --role admin" in refused.stderr.decode()
    token = add_user("lead", "viewer")
    with radar_serve(data_dir, "--host", "0.0.0.0", log_path=tmp_path / "serve.log") as base:
        status, body = get(f"{base}/api/search?q=scam")
        assert status == 401 and "Log in first" in body["error"]
        status, body = get(f"{base}/api/search?q=scam", token)
        assert status == 200 and body["total"] >= 1


def test_a_rate_limit_setting_that_is_not_one_is_named(data_dir: Path) -> None:
    refused = subprocess.run(
        [*RADAR, "serve"],
        cwd=ROOT,
        env=own_environment(data_dir, RADAR_API_RATE_LIMIT="lots"),
        capture_output=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "RADAR_API_RATE_LIMIT='lots' is not a rate limit" in refused.stderr.decode()
