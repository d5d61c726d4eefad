"""`radar subscriptions add|list|remove`, as an operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.radar.test_cli import radar

MY_SCAMS = ("subscriptions", "add", "--name", "MY scams", "--query", "", "--country", "my", "--harm", "scams_fraud")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_add_list_and_remove() -> None:
    added = radar(*MY_SCAMS, "--channel", "email:lead@example.org", "--cadence", "instant")
    assert added.returncode == 0, added.stderr.decode()
    number = added.stdout.decode().strip()
    assert number.isdigit() and "Subscribed: MY scams (instant, to email:lead@example.org)" in added.stderr.decode()
    digest = radar(
        "subscriptions", "add", "--name", "SG deepfakes", "--query", "deepfake", "--country", "SG",
        "--channel", "email:a@example.org", "--channel", "slack:https://hooks.slack.example/T/B",
        "--cadence", "daily", "--digest-time", "07:30", "--time-zone", "Asia/Singapore",
    )  # fmt: skip
    assert digest.returncode == 0, digest.stderr.decode()
    listed = radar("subscriptions", "list").stdout.decode().splitlines()
    assert listed[0].split("\t") == [
        number,
        "MY scams",
        "instant",
        "country=MY harm=scams_fraud",
        "email:lead@example.org",
    ]
    assert listed[1].split("\t")[2:4] == ["daily 07:30 Asia/Singapore", "'deepfake' country=SG"]
    assert radar("subscriptions", "remove", number).returncode == 0
    assert [line.split("\t")[1] for line in radar("subscriptions", "list").stdout.decode().splitlines()] == [
        "SG deepfakes"
    ]
    again = radar("subscriptions", "remove", number)
    assert again.returncode == 1 and f"no subscription {number}" in again.stderr.decode()
    huge = radar("subscriptions", "remove", str(2**64))
    assert huge.returncode == 1 and "no subscription" in huge.stderr.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--channel", "email:lead@example.org", "--query", '"unbalanced'), "Its query cannot be run"),
        (("--channel", "fax:123"), "is not KIND:ADDRESS"),
        (("--channel", "email:x@example.org", "--harm", "spam"), "Unknown harm spam"),
        (("--channel", "email:x@example.org", "--time-zone", "Asia/Nowhere"), "Unknown time zone"),
        (("--channel", "email:x@example.org", "--owner", "nobody"), "No user called 'nobody'"),
    ],
)
def test_a_subscription_that_could_not_be_delivered_is_refused(extra: tuple[str, ...], message: str) -> None:
    refused = radar(*MY_SCAMS, *extra)
    assert refused.returncode == 1 and message in refused.stderr.decode()
    assert radar("subscriptions", "list").stdout.decode() == ""
