"""One crawl pass in a process of its own (Twisted's reactor cannot be restarted, so each pass
needs a fresh process): `python -m crawlers.process JOB RESULTS`.

JOB is a JSON file written by crawlers/crawl.py: the sources, the validators of their URLs
and the URLs already stored. RESULTS receives JSON Lines records as the pass goes (items,
validators, each source's outcome, problems), flushed one by one, so a pass that is killed
still leaves what it found.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawlers.fetching import SETTINGS
from crawlers.spider import SourceSpider


def run(job_file: Path, results_file: Path) -> None:
    job = json.loads(job_file.read_text(encoding="utf-8"))
    with results_file.open("a", encoding="utf-8") as results:

        def out(record: dict[str, Any]) -> None:
            results.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            results.flush()

        if job["sources"]:
            process = CrawlerProcess(settings={**SETTINGS, **job.get("settings", {})}, install_root_handler=True)
            process.crawl(
                SourceSpider, sources=job["sources"], validators=job["validators"], known=set(job["known"]), out=out
            )
            process.start()


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]))
