"""`radar sources` and `radar sources check`, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.radar.test_cli import radar


def test_sources_lists_the_enabled_sources_with_their_health(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    done = radar("sources")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert out.splitlines()[0].split() == [
        "id",
        "family",
        "where",
        "kind",
        "last",
        "success",
        "7d",
        "30d",
        "needs",
        "a",
        "look",
    ]
    assert "not crawled" in out.splitlines()[1]
    assert "au-esafety" in out
    assert "(off)" not in out
    assert "(off)" in radar("sources", "--all").stdout.decode()


def test_check_passes_the_shipped_registry_and_names_each_problem(tmp_path: Path) -> None:
    done = radar("sources", "check")
    assert done.returncode == 0 and "no problems" in done.stdout.decode()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "sources:\n"
        "- {id: sg-feed, name: A feed, kind: regulator, jurisdiction: SG, language: en, family: feed}\n"
        "- {id: sg-page, name: A page, kind: blog, jurisdiction: SG, language: en, family: page, url: 'https://x.sg/'}\n",
        encoding="utf-8",
    )
    done = radar("sources", "check", str(bad))
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "2 problem(s)" in err
    assert "sg-feed: url: is required" in err
    assert "sg-page: kind: 'blog' is not a kind" in err
    assert "Traceback" not in err


def test_disable_and_enable_switch_a_source_over_the_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    assert radar("sources", "disable", "au-esafety").returncode == 0
    assert "\nau-esafety " not in radar("sources").stdout.decode()
    assert "au-esafety (off)" in radar("sources", "--all").stdout.decode()
    enabled = radar("sources", "enable", "au-esafety")
    assert enabled.returncode == 0 and "enabled from the next pass on" in enabled.stderr.decode()
    assert "\nau-esafety " in radar("sources").stdout.decode()
    unknown = radar("sources", "disable", "xx-nowhere")
    assert unknown.returncode == 1 and "no source 'xx-nowhere'" in unknown.stderr.decode()
