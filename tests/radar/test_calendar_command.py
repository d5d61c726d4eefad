"""`radar calendar`, run as a user runs it, over a store built from items with key dates."""

from __future__ import annotations

import subprocess
from pathlib import Path

import icalendar

from index.store.sql_store import SqlStore
from tests.api.conftest import own_environment
from tests.index.conftest import make_item
from tests.radar.test_cli import RADAR, ROOT

PUBLIC_URL = "https://radar.example.org"
WINDOW = ("--from", "2026-01-01", "--to", "2026-12-31")


def stored(data_dir: Path) -> Path:
    store = SqlStore.open(None, data_dir)
    try:
        store.upsert(
            [
                make_item(
                    "sg-consult",
                    title="IMDA consults on a code against scam calls",
                    jurisdictions=("SG",),
                    harm_areas=("scams_fraud",),
                    dates=({"date": "2026-01-30", "kind": "deadline", "text": "30 January 2026"},),
                ),
                make_item(
                    "au-ban",
                    title="Social media minimum age takes effect",
                    jurisdictions=("AU",),
                    harm_areas=("child_safety",),
                    dates=({"date": "2026-03-10", "kind": "commencement", "text": "10 March 2026"},),
                ),
            ]
        )
    finally:
        store.close()
    return data_dir


def calendar(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*RADAR, "calendar", *args],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        env=own_environment(data_dir, RADAR_PUBLIC_URL=PUBLIC_URL),
    )


def summaries(body: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def test_it_writes_the_calendar_to_standard_output_narrowed_by_country_and_harm_area(tmp_path: Path) -> None:
    data_dir = stored(tmp_path / "data")

    everything = calendar(data_dir, *WINDOW)
    assert everything.returncode == 0, everything.stderr.decode()
    assert summaries(everything.stdout) == [
        "Deadline: IMDA consults on a code against scam calls (SG)",
        "Commencement: Social media minimum age takes effect (AU)",
    ]
    (event,) = icalendar.Calendar.from_ical(calendar(data_dir, *WINDOW, "--country", "sg").stdout).walk("VEVENT")
    assert str(event["URL"]) == f"{PUBLIC_URL}/items/sg-consult"
    narrowed = calendar(data_dir, *WINDOW, "--country", "SG", "--country", "AU", "--harm", "child_safety")
    assert summaries(narrowed.stdout) == ["Commencement: Social media minimum age takes effect (AU)"]


def test_it_writes_a_file_with_o(tmp_path: Path) -> None:
    data_dir = stored(tmp_path / "data")
    target = tmp_path / "deadlines.ics"

    done = calendar(data_dir, *WINDOW, "-o", str(target))

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""
    assert target.read_bytes() == calendar(data_dir, *WINDOW).stdout
    assert len(summaries(target.read_bytes())) == 2


def test_bad_options_are_refused_saying_why(tmp_path: Path) -> None:
    data_dir = stored(tmp_path / "data")

    unknown = calendar(data_dir, "--harm", "scams")
    assert unknown.returncode == 1 and "Unknown harm scams" in unknown.stderr.decode()
    bad_date = calendar(data_dir, "--from", "30/01/2026")
    assert bad_date.returncode == 2 and "--from" in bad_date.stderr.decode()
    backwards = calendar(data_dir, "--from", "2026-02-01", "--to", "2026-01-01")
    assert backwards.returncode == 2 and "is before --from" in backwards.stderr.decode()
    assert not any(b"Traceback" in done.stderr for done in (unknown, bad_date, backwards))
