"""`radar export` and `radar import` as a user runs them: a store moved to a new data directory."""

from __future__ import annotations

import json

from tests.radar.test_index_commands import ROOT, radar


def examples() -> bytes:
    lines = []
    for line in (ROOT / "examples" / "items.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        obj.setdefault("url", f"https://example.org/{obj['id']}")
        lines.append(json.dumps(obj, ensure_ascii=False))
    return "\n".join(lines).encode() + b"\n"


def test_a_store_moved_with_export_and_import_is_searchable_after_a_reindex(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    assert radar(old, "ingest", stdin=examples()).returncode == 0
    assert radar(old, "users", "add", "Wan Ling", "--role", "editor").returncode == 0
    done = radar(old, "export", "-o", str(tmp_path / "store.jsonl"))
    assert done.returncode == 0, done.stderr.decode()
    assert "exported 1 user records, 12 story records, 12 item records, 12 item version records" in done.stderr.decode()
    assert not list(tmp_path.glob(".store.jsonl*"))  # the partial file was renamed

    imported = radar(new, "import", str(tmp_path / "store.jsonl"))
    assert imported.returncode == 0, imported.stderr.decode()
    assert imported.stdout.decode().startswith("imported 1 user records, 12 story records, 12 item records")
    assert "run `radar reindex`" in imported.stderr.decode()
    assert radar(new, "export").stdout == (tmp_path / "store.jsonl").read_bytes()

    assert radar(new, "check").returncode == 1  # the new index has none of them yet
    assert radar(new, "reindex").returncode == 0
    checked = radar(new, "check")
    assert checked.returncode == 0 and "store and index agree" in checked.stdout.decode()
    found = json.loads(radar(new, "search", "scam", "--json").stdout)
    assert found["total"] >= 2


def test_import_refuses_a_store_in_use_and_a_malformed_file_with_nothing_imported(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    assert radar(old, "ingest", stdin=examples()).returncode == 0
    export = radar(old, "export").stdout
    again = radar(old, "import", "-", stdin=export)
    assert again.returncode == 1
    assert "Error: the store is not empty (12 story records, 12 item records" in again.stderr.decode()
    assert "Nothing was imported." in again.stderr.decode()

    lines = export.splitlines(keepends=True)
    broken = radar(new, "import", "-", stdin=b"".join([*lines[:3], b'{"type": "item", "id": \n', *lines[4:]]))
    assert broken.returncode == 1
    assert "Error: line 4: not a JSON record" in broken.stderr.decode()
    assert "Traceback" not in broken.stderr.decode()
    assert radar(new, "export").stdout.decode().count("\n") == 2  # header and end: nothing came in


def test_export_to_a_place_it_cannot_write_is_a_clear_error(tmp_path):
    done = radar(tmp_path / "data", "export", "-o", str(tmp_path / "missing" / "store.jsonl"))
    assert done.returncode == 1
    assert "Error: cannot write" in done.stderr.decode() and "Traceback" not in done.stderr.decode()
