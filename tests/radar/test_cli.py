"""The `radar` command line, run as a user runs it: a real process on real files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RADAR = [sys.executable, "-m", "radar.cli"]


def radar(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*RADAR, *args], input=stdin, capture_output=True, cwd=ROOT, timeout=120)


def line(**fields) -> bytes:
    return (json.dumps(fields, ensure_ascii=False) + "\n").encode()


def test_tag_reads_standard_input_and_writes_one_line_per_item():
    stdin = line(id="a", title="Scam centre raided", text="Police raided a scam centre in Myanmar.") + line(
        id="b", title="", text="IMDA issued a code of practice for app stores on age assurance."
    )
    done = radar("tag", stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()
    results = [json.loads(x) for x in done.stdout.decode().splitlines()]
    assert [r["id"] for r in results] == ["a", "b"]
    assert results[0]["harm_areas"] == ["scams_fraud"]
    assert results[1]["jurisdictions"] == ["SG"]
    assert set(results[0]) >= {
        "id", "language", "harm_areas", "jurisdictions", "mentioned_jurisdictions",
        "doc_type", "stakeholders", "dates", "evidence",
    }  # fmt: skip


def test_bad_lines_are_named_by_number_and_the_rest_are_tagged():
    stdin = (
        line(id="1", title="t", text="The eSafety Commissioner fined the platform.")
        + b"{not json\n"
        + b"\n"
        + line(title="no id", text="x")
        + b"\xff\xfe bad bytes\n"
        + line(id="6", title="t", text="Komdigi memblokir situs judi online.")
    )
    done = radar("tag", stdin=stdin)
    assert done.returncode == 1
    errors = done.stderr.decode()
    assert re.search(r"line 2: not valid JSON", errors)
    assert re.search(r"line 4: missing field 'id'", errors)
    assert re.search(r"line 5: not UTF-8", errors)
    assert "Traceback" not in errors
    assert [json.loads(x)["id"] for x in done.stdout.decode().splitlines()] == ["1", "6"]


def test_tag_reads_a_file_and_a_missing_file_is_a_clear_error(tmp_path):
    source = tmp_path / "items.jsonl"
    source.write_bytes(line(id="x", title="t", text="The Dewan Rakyat passed the Online Safety Bill."))
    done = radar("tag", str(source))
    assert done.returncode == 0
    assert json.loads(done.stdout)["jurisdictions"] == ["MY"]
    missing = radar("tag", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2
    assert "nope.jsonl" in missing.stderr.decode()
    assert "Traceback" not in missing.stderr.decode()


def test_summary_prints_a_readable_line_per_example():
    done = radar("tag", "--summary", str(ROOT / "examples" / "items.jsonl"))
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert len(lines) == len((ROOT / "examples" / "items.jsonl").read_text().splitlines())
    assert lines[0].startswith("ex01")


def test_eval_prints_scores_per_field(tmp_path):
    labelled = tmp_path / "gold.jsonl"
    gold = {
        "id": "g1", "lang": "en", "source_kind": "regulator", "published": "2025-01-01",
        "title": "ACMA directs internet providers to block illegal gambling websites",
        "text": "The ACMA has directed internet service providers to block more illegal online gambling websites.",
        "labels": {"harm_areas": ["gambling"], "jurisdictions": ["AU"], "mentioned_jurisdictions": [],
                   "doc_type": "enforcement", "stakeholders": ["ACMA"], "dates": []},
    }  # fmt: skip
    labelled.write_text(json.dumps(gold) + "\n")
    done = radar("eval", str(labelled), "--json")
    assert done.returncode == 0, done.stderr.decode()
    rows = {row["field"]: row for row in json.loads(done.stdout)["scores"]}
    assert rows["harm_areas"]["en"]["f1"] == 1.0
    assert rows["jurisdictions"]["en"]["f1"] == 1.0
    text = radar("eval", str(labelled)).stdout.decode()
    assert "harm_areas" in text and "stakeholders" in text


def test_eval_refuses_a_file_that_is_not_labelled(tmp_path):
    unlabelled = tmp_path / "items.jsonl"
    unlabelled.write_bytes(line(id="1", title="t", text="x"))
    done = radar("eval", str(unlabelled))
    assert done.returncode == 2
    assert "not a labelled item" in done.stderr.decode()


@pytest.mark.parametrize("command", [[], ["tag"], ["eval"]])
def test_every_command_has_help(command):
    done = radar(*command, "--help")
    assert done.returncode == 0
    assert "Usage" in done.stdout.decode()


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    from radar.cli import app

    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"radar {name}" in readme, f"`radar {name}` is not documented in README.md"
    for group in app.registered_groups:
        assert f"radar {group.name}" in readme, f"`radar {group.name}` is not documented in README.md"
        for command in group.typer_instance.registered_commands:
            name = f"radar {group.name} {command.name or command.callback.__name__}"
            assert re.search(re.escape(name).replace(r"\ ", r"\s+"), readme), f"`{name}` is not documented in README.md"
