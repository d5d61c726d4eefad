"""`radar sources` and `radar sources check`, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

from tests.radar.test_cli import radar


def test_sources_lists_the_enabled_sources() -> None:
    done = radar("sources")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    assert out.splitlines()[0].split()[:5] == ["id", "family", "where", "kind", "lang"]
    assert "au-esafety" in out and "eSafety Commissioner" in out
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
