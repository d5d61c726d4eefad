"""Briefing speed: `make bench` (after the API figures).

Issue 7's target, measured and never asserted: a briefing over 90 days of data is produced in at
most 2 s. Measured here: `briefings.pack.build_briefing` as the CLI and the API call it (the
store and the index open and warm, the registry and the gazetteer read), then the Markdown and
the HTML, for three requests over the last 90 days:
- one country (SG), all harm areas;
- a meeting: AU and SG, child safety and scams, with a stakeholder (IMDA);
- everything: no country, no harm area (the pack reads the newest 2,000 items of the window).
Each is built RUNS times after one cold run (the first in this process: the index's pages and
the store's rows not yet cached); figures are the cold time and the median, min and max of the
warm ones, with how many items, stories and sources the briefing holds.

Data: the store and the index of bench/api_speed.py (RADAR_BENCH_ITEMS synthetic items, default
1,000,000, dated evenly over 2019-2026: about 340 a day, so some 31,000 in a 90-day window; with
RADAR_BENCH_DIR set, RADAR_BENCH_DIR/items-<count> is built when missing and kept, so this bench
and the API's share one). The clock is set to NOW, well inside the synthetic dates. The synthetic
items' key dates are all past (`event` on the day published), so section 4 is empty, but its two
searches and reads still run. Figures go to bench/results/briefing_speed.json.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.api_speed import ITEMS, data_directory, data_root
from bench.measuring import save_figures

RUNS = 5
TARGET_S = 2.0
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.UTC)
REQUESTS = {
    "one country (SG)": {"countries": ("SG",)},
    "meeting (AU, SG, 2 harm areas, IMDA)": {
        "countries": ("AU", "SG"),
        "harm_areas": ("child_safety", "scams_fraud"),
        "stakeholder": "IMDA",
    },
    "everything": {},
}


def measure(data_dir: Path) -> dict[str, Any]:
    """The figures of each request over the store and index in `data_dir`."""
    from api.vocabulary import Vocabulary
    from briefings.html import render_html
    from briefings.markdown import render_markdown
    from briefings.pack import build_briefing
    from briefings.request import BriefingRequest, References
    from briefings.stakeholders import StakeholderDirectory
    from crawlers.registry import load_registry
    from nlp.resources import load_gazetteer
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=None, elasticsearch_url=None)
    store, engine = open_store(settings), open_search_engine(settings)
    vocabulary = Vocabulary.load()
    references = References(
        harm_labels=vocabulary.labels["harm_areas"],
        jurisdictions=vocabulary.labels["jurisdictions"],
        sources=load_registry(),
        stakeholders=StakeholderDirectory(load_gazetteer()),
    )
    figures: dict[str, Any] = {}
    try:
        for name, wanted in REQUESTS.items():
            request = BriefingRequest(days=90, **wanted)  # type: ignore[arg-type]
            times = []
            for _run in range(RUNS + 1):
                began = time.perf_counter()
                briefing = build_briefing(
                    store, engine, request, references=references, public_url="http://127.0.0.1:8000", now=NOW
                )
                times.append(time.perf_counter() - began)
            began = time.perf_counter()
            markdown = render_markdown(briefing)
            markdown_s = time.perf_counter() - began
            began = time.perf_counter()
            render_html(briefing)
            html_s = time.perf_counter() - began
            warm = times[1:]
            figures[name] = {
                "cold_s": times[0],
                "median_s": statistics.median(warm),
                "min_s": min(warm),
                "max_s": max(warm),
                "markdown_s": markdown_s,
                "html_s": html_s,
                "stories": len({d.story_id for section in briefing.developments for d in section.developments}),
                "sources": len(briefing.sources),
                "comparisons": len(briefing.neighbours),
                "truncated": "the newest" in (briefing.summary[0].text if briefing.summary else ""),
                "markdown_kb": len(markdown.encode()) / 1000,
            }
    finally:
        engine.close()
        store.close()
    return figures


def main() -> None:
    began = time.perf_counter()
    count = int(os.environ.get("RADAR_BENCH_ITEMS") or ITEMS)
    with data_root("radar-briefing-bench-") as root:
        data_dir, built = data_directory(root, count)
        figures: dict[str, Any] = {"items": count, "data": built, "now": NOW.isoformat(), "runs": RUNS}
        figures["briefings"] = measure(data_dir)
    figures["bench_s"] = time.perf_counter() - began
    print(report(figures), flush=True)
    save_figures("briefing_speed", figures)
    print(f"(briefing bench: {figures['bench_s'] / 60:.1f} min; figures in bench/results/briefing_speed.json)")


def report(figures: dict[str, Any]) -> str:
    lines = [f"briefings over the 90 days to {figures['now'][:10]} of {figures['items']:,} synthetic items:"]
    for name, each in figures["briefings"].items():
        lines.append(
            f"  {name}: median {each['median_s']:.2f} s (min {each['min_s']:.2f}, max {each['max_s']:.2f}, "
            f"cold {each['cold_s']:.2f}; target <= {TARGET_S:.0f} s), "
            f"then Markdown {each['markdown_s'] * 1000:.0f} ms, "
            f"HTML {each['html_s'] * 1000:.0f} ms; {each['stories']:,} stories, {each['sources']:,} sources, "
            f"{each['comparisons']} comparison tables{', window capped' if each['truncated'] else ''}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
