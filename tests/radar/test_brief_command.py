"""`radar brief`, run as a user runs it: a real process over a real store and index of the
briefing tests' fixed items, dated from today."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from briefings import request
from radar import brief_command
from tests.api.conftest import own_environment
from tests.briefings.items import build_data_dir
from tests.radar.test_cli import RADAR, ROOT


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_data_dir(tmp_path_factory.mktemp("brief-command") / "data", dt.datetime.now(dt.UTC).date())


def brief(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*RADAR, "brief", *args], capture_output=True, cwd=ROOT, timeout=120, env=own_environment(data_dir)
    )


def test_markdown_goes_to_standard_output(data_dir: Path) -> None:
    done = brief(data_dir, "--country", "SG", "--stakeholder", "IMDA", "--days", "90")
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode()
    assert text.startswith("# Briefing: All harm areas in Singapore, for Infocomm Media Development Authority\n")
    assert "## 5. Stakeholder: Infocomm Media Development Authority" in text and "## 7. Sources" in text
    assert "IMDA requires app stores to check users' ages" in text


def test_o_writes_the_file_in_the_format_its_name_says(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "imda.html"
    done = brief(data_dir, "--country", "SG", "--harm", "child_safety", "--days", "90", "-o", str(target))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert f"wrote {target} (" in done.stderr.decode()
    markdown = tmp_path / "imda.txt"
    done = brief(data_dir, "--country", "SG", "--format", "md", "-o", str(markdown))
    assert done.returncode == 0 and markdown.read_text(encoding="utf-8").startswith("# Briefing")


def test_errors_are_clear_and_name_the_closest_values(data_dir: Path, tmp_path: Path) -> None:
    cases = {
        ("--harm", "child-safty"): "Unknown harm area 'child-safty': did you mean child_safety?",
        ("--country", "Singapore"): "countries are codes; did you mean SG?",
        ("--stakeholder", "eSafty Commisioner"): "did you mean eSafety Commissioner,",
        ("--days", "400"): "days must be between 1 and 366, not 400.",
        ("-o", str(tmp_path / "missing" / "brief.md")): f"the directory {tmp_path / 'missing'} does not exist",
        ("--format", "rtf"): "--format must be one of md, html, docx, pdf",
    }
    for args, message in cases.items():
        done = brief(data_dir, *args)
        errors = done.stderr.decode()
        assert done.returncode == 2, (args, errors)
        assert message in " ".join(errors.split()), (args, errors)  # click wraps its messages
        assert "Traceback" not in errors and done.stdout == b""


def test_an_empty_window_still_gives_a_briefing_that_says_so(data_dir: Path) -> None:
    done = brief(data_dir, "--harm", "gambling", "--days", "7")
    assert done.returncode == 0
    assert "Nothing was published in this window." in done.stdout.decode()
    assert "Nothing was published from" in done.stderr.decode()


def test_the_default_window_is_the_briefings_default() -> None:
    assert brief_command.DEFAULT_DAYS == request.DEFAULT_DAYS
