"""`radar ingest`, `search`, `reindex` and `check` as a user runs them, on the embedded engines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def radar(data_dir: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "RADAR_DATA_DIR": str(data_dir)}
    env.pop("RADAR_DATABASE_URL", None)
    env.pop("RADAR_ELASTICSEARCH_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "radar.cli", *args], input=stdin, capture_output=True, cwd=ROOT, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A data dir holding the example items, ingested once."""
    directory = tmp_path_factory.mktemp("radar-data")
    lines = []
    for line in (ROOT / "examples" / "items.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        obj.setdefault("url", f"https://example.org/{obj['id']}")
        lines.append(json.dumps(obj, ensure_ascii=False))
    done = radar(directory, "ingest", stdin="\n".join(lines).encode() + b"\n")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().startswith("12 new, 0 updated, 0 unchanged")
    return directory


def test_search_json_has_the_documented_shape(data_dir):
    done = radar(data_dir, "search", "scam", "--json")
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert result["total"] >= 2
    assert set(result["items"][0]) == {
        "id", "title", "url", "published", "language", "jurisdictions", "harm_areas",
        "doc_type", "source", "story_id", "snippet", "score",
    }  # fmt: skip
    assert set(result["facets"]) == {"jurisdictions", "harm_areas", "doc_type", "source_kind", "language"}


def test_filters_alone_list_items_newest_first(data_dir):
    result = json.loads(radar(data_dir, "search", "--country", "au", "--json").stdout)
    published = [item["published"] for item in result["items"]]
    assert published == sorted(published, reverse=True)
    assert all("AU" in item["jurisdictions"] for item in result["items"])


def test_an_english_term_finds_items_in_other_languages_and_says_so(data_dir):
    result = json.loads(radar(data_dir, "search", "deepfake", "--json").stdout)
    assert "ko" in {item["language"] for item in result["items"]}
    assert result["expanded_terms"]["deepfake"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", '"age assurance'], "never closed"),
        (["search", "colour:red"], "colour"),
        (["search", "x" * 10_000], "characters"),
        (["search", "scam", "--limit", "5000"], "--limit"),
        (["search", "--since", "March"], "--since"),
        (["search", "--sort", "oldest"], "--sort"),
    ],
)
def test_a_bad_search_is_a_clear_error(data_dir, args, message):
    done = radar(data_dir, *args)
    assert done.returncode == 2
    assert message in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()


def test_check_finds_a_lost_index_and_reindex_repairs_it(data_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    assert radar(copy, "check").returncode == 0
    shutil.rmtree(copy / "index")
    broken = radar(copy, "check")
    assert broken.returncode == 1
    assert "12 missing from the index" in broken.stdout.decode()
    rebuilt = radar(copy, "reindex")
    assert rebuilt.returncode == 0
    assert "reindexed 12 items" in rebuilt.stdout.decode()
    assert radar(copy, "check").returncode == 0


def test_an_index_of_another_schema_is_named_and_ingest_rebuilds_it(data_dir, tmp_path):
    import tantivy

    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy)
    # What an older version left behind: a live generation whose schema is not this one's.
    old = copy / "index" / "gen-old"
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True)
    builder.add_text_field("text_stem")
    old.mkdir()
    tantivy.Index(builder.build(), path=str(old))
    (copy / "index" / "CURRENT").write_text("gen-old\n", encoding="utf-8")
    for command in (["search", "--country", "AU"], ["check"]):
        refused = radar(copy, *command)
        assert refused.returncode == 1
        assert "built by another version" in refused.stderr.decode()
        assert "radar reindex" in refused.stderr.decode() and "Traceback" not in refused.stderr.decode()
    again = radar(copy, "ingest", stdin=b"")
    assert again.returncode == 0, again.stderr.decode()
    assert "Rebuilding it first" in again.stderr.decode() and "reindexed 12 items" in again.stderr.decode()
    assert radar(copy, "check").returncode == 0
    assert json.loads(radar(copy, "search", "--country", "AU", "--json").stdout)["total"] > 0
