"""Build crawlers/sources.yaml from the researched reference list (../shared/reference/apac-sources.yaml).

    python scripts/build_registry.py [REFERENCE] [OUTPUT]

Each reference source becomes a registry entry: a news-search feed (news.google.com) is a
`search_feed`, any other feed a `feed`, a listing page without a feed a `listing`, and a source
with only a homepage a `page` entry left disabled until someone finds its listing (one with
no URL at all is left out). The crawl
notes set the flags the crawler and its health report use: `blocks_datacenters` (Akamai, a WAF,
HTTP 000 or 403 from datacenter addresses), `needs_javascript`, and a feed's `encoding` when
the notes name one (Shift_JIS). Low-confidence sources start disabled. `rhythm_days`, how often
a source usually publishes, comes from its kind. The output is checked with the registry loader.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawlers.registry import DEFAULT_REGISTRY, load_registry  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "apac-sources.yaml"
RHYTHM_DAYS = {"news": 3, "regulator": 14, "ministry": 21, "legislature": 14, "court": 30}
_BLOCKS = re.compile(r"datacenter|data-center|akamai|\bwaf\b|http 000|bot protection|blocks", re.IGNORECASE)
_JAVASCRIPT = re.compile(r"javascript|js-rendered|render=true|client-side", re.IGNORECASE)
_ENCODING = re.compile(r"\b(shift_jis|euc-jp|euc-kr|gb2312|gbk|big5|tis-620)\b", re.IGNORECASE)
URLS = ("feed_url", "listing_url", "homepage")
HEADER = """\
# The sources radar crawls. Built by scripts/build_registry.py from the researched reference list
# (../shared/reference/apac-sources.yaml); edit that list, or this file by hand, and check it with
# `radar sources check`. Fields and families: crawlers/registry.py.
"""


def entry(source: dict[str, Any]) -> dict[str, Any]:
    notes = " ".join(str(source.get("notes") or "").split())
    feed, listing = source.get("feed_url"), source.get("listing_url")
    built: dict[str, Any] = {key: source[key] for key in ("id", "name", "kind", "jurisdiction", "language")}
    if feed:
        built["family"] = "search_feed" if "news.google." in feed else "feed"
        built["url"] = feed
        encoding = _ENCODING.search(notes)
        if encoding and built["family"] == "feed":
            built["encoding"] = encoding.group(1).lower().replace("_", "-")
    elif listing:
        built["family"], built["url"] = "listing", listing
    else:
        built["family"], built["url"] = "page", source["homepage"]
    enabled = source.get("confidence") != "low" and built["family"] != "page"
    built["enabled"] = enabled
    if source.get("homepage") and source["homepage"] != built["url"]:
        built["homepage"] = source["homepage"]
    built["confidence"] = source.get("confidence", "medium")
    built["rhythm_days"] = RHYTHM_DAYS.get(source["kind"], 30)
    if _BLOCKS.search(notes):
        built["blocks_datacenters"] = True
    if _JAVASCRIPT.search(notes):
        built["needs_javascript"] = True
    if notes:
        built["notes"] = notes
    return built


def main(reference: Path = REFERENCE, output: Path = DEFAULT_REGISTRY) -> None:
    sources = yaml.safe_load(reference.read_text(encoding="utf-8"))["sources"]
    entries = [entry(source) for source in sources if any(source.get(key) for key in URLS)]
    for source in sources:
        if not any(source.get(key) for key in URLS):
            print(f"left out {source['id']}: no URL in the reference list")
    text = yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False, width=110)
    output.write_text(HEADER + text, encoding="utf-8")
    loaded = load_registry(output)
    enabled = [source for source in loaded if source.enabled]
    places = {source.jurisdiction for source in enabled}
    print(f"{output}: {len(loaded)} sources, {len(enabled)} enabled, across {len(places)} jurisdictions and regions")


if __name__ == "__main__":
    main(*(Path(argument) for argument in sys.argv[1:3]))
