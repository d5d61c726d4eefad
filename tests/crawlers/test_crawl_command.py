"""`radar crawl`, run as a user runs it, against the fixture site."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import ARTICLE, rss
from tests.radar.test_cli import radar


def test_crawl_prints_a_row_per_source_and_exits_0_when_some_fail(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"), "application/rss+xml")
    site.routes["/news/1"] = Route(ARTICLE)
    base = {"name": "Example", "kind": "regulator", "jurisdiction": "SG", "language": "en", "family": "feed"}
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {**base, "id": "sg-feed", "url": f"{site.url}/feed.xml"},
                    {**base, "id": "sg-gone", "url": f"{site.url}/gone.xml"},
                    {**base, "id": "sg-off", "url": f"{site.url}/off.xml", "enabled": False},
                ]
            }
        ),
        encoding="utf-8",
    )
    done = radar("crawl", "--sources", str(sources))
    assert done.returncode == 0, done.stderr.decode()
    rows = [line.split() for line in done.stdout.decode().splitlines()]
    assert rows[0] == ["source", "fetched", "new", "updated", "unchanged", "errors"]
    assert rows[1][:5] == ["sg-feed", "2", "1", "0", "0"]
    assert rows[2][:5] == ["sg-gone", "0", "0", "0", "0"] and rows[2][5] == "not_found:"
    assert len(rows) == 3  # the disabled source is not crawled
    found = radar("search", "scam ads", "--json")
    assert '"url": "' + site.url + '/news/1"' in found.stdout.decode()
    again = radar("crawl", "--sources", str(sources), "--source", "sg-feed")
    assert again.stdout.decode().splitlines()[1].split()[:5] == ["sg-feed", "1", "0", "0", "0"]
    listed = radar("sources", "--sources", str(sources)).stdout.decode().splitlines()
    assert listed[1].split()[0] == "sg-feed" and listed[1].split()[-2:] == ["1", "1"]  # items in 7 and 30 days
    assert "sg-gone" in listed[2] and listed[2].split()[4] == "never"
    assert radar("sources", "disable", "sg-gone", "--sources", str(sources)).returncode == 0
    switched = radar("crawl", "--sources", str(sources)).stdout.decode().splitlines()
    assert [row.split()[0] for row in switched[1:]] == ["sg-feed"]  # paused, as an editor could from the page
    unknown = radar("crawl", "--sources", str(sources), "--source", "nope")
    assert unknown.returncode == 1 and "no source nope in the registry" in unknown.stderr.decode()
