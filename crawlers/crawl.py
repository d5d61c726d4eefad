"""A crawl pass: fetch the sources in a child process (crawlers/process.py), then ingest what
it found (tag, store, index), keep each URL's validators and record each source's health.

Validators are kept only after the items are stored, and only from a pass that ran to its end:
a source page's validators come before the articles it links to are fetched, so keeping them
from a pass killed half-way (or a parent killed while ingesting) would make the next pass
find the page unchanged and never fetch the articles it missed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawlers.registry import Source
from crawlers.state import CrawlState, Validators
from index.ingest import Ingester, IngestReport, read_ingest_lines
from index.metrics import count_crawl_error

PASS_TIMEOUT_S = 1800

log = logging.getLogger("radar.crawl")


@dataclass
class SourceReport:
    source: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class PassError(RuntimeError):
    """The pass itself could not run (not one source failing)."""


def crawl_pass(
    sources: list[Source],
    state: CrawlState,
    ingester: Ingester,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    timeout_s: float = PASS_TIMEOUT_S,
    fetch_settings: dict[str, Any] | None = None,
) -> list[SourceReport]:
    """Crawl `sources` once; a report per source (in their order). `fetch_settings` override
    Scrapy's (crawlers/fetching.py), e.g. a shorter timeout."""
    reports = {source.id: SourceReport(source.id) for source in sources}
    validators = state.validators([source.id for source in sources])
    job = {
        "sources": [dataclasses.asdict(source) for source in sources],
        "validators": {url: dataclasses.asdict(found) for url, found in validators.items()},
        "known": sorted(state.known_urls([source.id for source in sources])),
        "settings": fetch_settings or {},
    }
    with tempfile.TemporaryDirectory(prefix="radar-crawl-") as work:
        job_file, results_file = Path(work) / "job.json", Path(work) / "results.jsonl"
        job_file.write_text(json.dumps(job), encoding="utf-8")
        results_file.touch()
        try:
            problem = _run_child(job_file, results_file, timeout_s)
        except PassError:
            count_crawl_error("crashed", "pass")
            raise
        records = _records(results_file)
    now = clock()
    outcomes, items, found_validators = _sort_records(records, reports)
    for source_id, lines in items.items():
        ingested = IngestReport()
        ingester.ingest(read_ingest_lines(lines, ingested), ingested)
        report = reports[source_id]
        report.new, report.updated, report.unchanged = ingested.new, ingested.updated, ingested.unchanged
        report.errors += [f"rejected: {reason}" for _line, reason in ingested.rejected]
    if problem is None:
        for source_id, url, found in found_validators:
            state.save_validators(source_id, url, found, now)
    else:
        log.warning("%s; what it found is stored, and the next pass fetches every source in full", problem)
    for source in sources:
        report, outcome = reports[source.id], outcomes.get(source.id)
        if outcome is None:
            error_class, message = "other", problem or "the pass ended before this source answered"
        elif outcome["outcome"] == "error":
            error_class, message = outcome["class"], outcome["error"]
        else:
            error_class, message = None, None
        if error_class:
            report.errors.insert(0, f"{error_class}: {message}")
            count_crawl_error(error_class, "source")
        state.record(source.id, now, error_class, message, new_items=report.new)
    return [reports[source.id] for source in sources]


def _sort_records(
    records: list[dict[str, Any]], reports: dict[str, SourceReport]
) -> tuple[dict[str, dict[str, Any]], dict[str, list[bytes]], list[tuple[str, str, Validators]]]:
    """Each source's outcome, its items as ingest lines, and the validators found (source, URL,
    validators); problems with single pages are added to the reports."""
    outcomes: dict[str, dict[str, Any]] = {}
    items: dict[str, list[bytes]] = {}
    validators: list[tuple[str, str, Validators]] = []
    for record in records:
        report = reports.get(record.get("source", ""))
        if report is None:
            continue
        kind = record["type"]
        if kind == "item":
            report.fetched += record.get("fetched", 0)
            line = {key: record[key] for key in ("url", "title", "text", "published", "source_kind")}
            items.setdefault(report.source, []).append(json.dumps({**line, "source": report.source}).encode())
        elif kind == "validators":
            found = Validators(record["etag"], record["last_modified"], record["content_hash"])
            validators.append((report.source, record["url"], found))
        elif kind == "source":
            report.fetched += record.get("fetched", 0)
            outcomes[report.source] = record
        elif kind == "problem":
            report.errors.append(f"{record['class']}: {record['url']}")
            count_crawl_error(record["class"], "page")
    return outcomes, items, validators


def _run_child(job_file: Path, results_file: Path, timeout_s: float) -> str | None:
    """Run the pass's process; what went wrong with it, if anything (its partial results stand)."""
    command = [sys.executable, "-m", "crawlers.process", str(job_file), str(results_file)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return f"the pass took longer than {timeout_s:.0f} s and was stopped"
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", errors="replace").strip().splitlines()[-3:]
        if not results_file.stat().st_size:
            raise PassError(f"the crawl process failed (exit {done.returncode}): {' / '.join(tail)}")
        return f"the crawl process stopped early (exit {done.returncode}): {' / '.join(tail)}"
    return None


def _records(results_file: Path) -> list[dict[str, Any]]:
    records = []
    for line in results_file.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a killed process
    return records
