"""Load and memory: `make bench` (after the API figures).

Issue 8's targets, measured and never asserted:
1. the API under LOAD_CLIENTS concurrent clients for LOAD_S seconds on loopback while the store
   and the index are written: no errors (not one answer but 200, no failed connection), and the
   search latency's p50 and p95. The server is bench/api_speed.py's (the real app under uvicorn
   in a child process, the rate limit off: every client here is 127.0.0.1), the clients and the
   query mix are its too (`paced_pass` offering far more than the server can take, so each client
   sends its next request as soon as the last is answered, until the time is up). Meanwhile, in
   child processes one after another, started until the load ends: `radar crawl` over a fixture
   site on loopback (FEEDS feeds of ARTICLES new article pages each, as bench/crawl_speed.py
   serves them; the site runs in this process, beside the clients), then `radar ingest` of
   INGEST_ITEMS synthetic items (new ones the first time, the same again after). The same
   clients run BASELINE_S seconds before the writers start, for comparison. After the load, one
   scrape of /metrics: the server's count of the searches against the clients', and the
   scrape's own time at this size. On 2 cores the writers (Scrapy, the tagger in two processes,
   the store and the index) and the 50 clients take most of the CPU from the server.
2. `radar up` idle resident memory <= 600 MB: a fresh data directory with the shipped examples
   ingested, a registry of MEMORY_FEEDS loopback feeds crawled every minute; `radar up` started,
   asked for a search, the page and /metrics (so the engine, the store and the templates are
   open), then left until each source has been crawled once (its job's line in the JSON log) and
   the process tree has used under IDLE_CPU of a core for IDLE_S seconds. Figures: VmRSS from
   /proc/<pid>/status of `radar up` and of its child processes, after the first requests (before
   any crawl) and idle after the crawls (the tagger's pipelines loaded by then).

Data for the load: a store and an index of RADAR_BENCH_ITEMS synthetic items (default 100,000
here, against api_speed's 1,000,000: the load is about writers beside readers, not size),
built by bench/api_speed.py's `data_directory`. With RADAR_BENCH_DIR set, the built directory
RADAR_BENCH_DIR/items-<count> is reused (or built and kept), and the load runs on a copy of it,
since the crawl and the ingest write to it (a copy of the 1,000,000-item directory is about
16 GB); without it, everything is in a temporary directory removed at the end. Figures go to
bench/results/load.json.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml

from bench.api_speed import (
    _children,
    cpu_seconds,
    data_directory,
    paced_pass,
    rotations,
    search_params,
    serving,
    wait_until_up,
)
from bench.index_speed import search_queries
from bench.measuring import ROOT, memory_status, save_figures
from bench.synthetic_items import ItemGenerator, write_ingest_lines

ITEMS = 100_000
LOAD_CLIENTS, LOAD_S = 50, 60
BASELINE_S = 30  # the same clients before the writers start: what the writers cost
OFFERED_PER_S = 100_000  # far above what the server can answer: a closed loop, bounded in time
FEEDS, ARTICLES = 100, 5
INGEST_ITEMS = 5_000
MEMORY_FEEDS = 3
MEMORY_TARGET_MB = 600
IDLE_S, IDLE_CPU, IDLE_DEADLINE_S = 5, 0.02, 240
RADAR = [sys.executable, "-m", "radar.cli"]


# --- the fixture site ---------------------------------------------------------------------------


def fixture_site(feeds: int, articles: int, registry: Path, interval_minutes: int = 60) -> Any:
    """The tests' fixture site on loopback serving `feeds` RSS feeds of `articles` article pages
    each, and a registry of them at `registry`; the site (close it)."""
    sys.path.insert(0, str(ROOT))
    from tests.crawlers.site import Route, Site

    site, texts = Site(), ItemGenerator(seed=31)
    sources = []
    for number in range(feeds):
        entries = []
        for entry in range(articles):
            path = f"/a/{number}-{entry}"
            generated = texts.item(number * articles + entry)
            paragraphs = "".join(f"<p>{part}.</p>" for part in generated.text.split(". "))
            site.routes[path] = Route(
                f"<html><head><title>{generated.title}</title></head><body><article><h1>{generated.title}</h1>"
                f"{paragraphs}</article></body></html>".encode()
            )
            entries.append(f"<item><title>{generated.title}</title><link>{site.url}{path}</link></item>")
        channel = f"<channel><title>Feed {number}</title>{''.join(entries)}</channel>"
        site.routes[f"/feed/{number}.xml"] = Route(
            f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode(), "application/rss+xml"
        )
        sources.append(
            {
                "id": f"load-{number:03d}",
                "name": f"Feed {number}",
                "url": f"{site.url}/feed/{number}.xml",
                "kind": "news",
                "jurisdiction": "SG",
                "language": "en",
                "family": "feed",
                "interval_minutes": interval_minutes,
            }
        )
    registry.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
    return site


def environment(data_dir: Path, **settings: str) -> dict[str, str]:
    """This environment without anyone's RADAR_ settings, on `data_dir`, with the fixture site allowed."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("RADAR_")}
    return {**env, "RADAR_DATA_DIR": str(data_dir), "RADAR_CRAWL_ALLOW_PRIVATE": "1", **settings}


# --- 1. the API under load, beside the writers ---------------------------------------------------


@dataclass
class Writers:
    """`radar crawl`, then `radar ingest`, in child processes one after another until `stop` is set."""

    data_dir: Path
    registry: Path
    items_file: Path
    stop: threading.Event = field(default_factory=threading.Event)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def run(self) -> None:
        commands = [["crawl", "--sources", str(self.registry)], ["ingest", str(self.items_file)]]
        started = time.perf_counter()
        for command in itertools.cycle(commands):
            if self.stop.is_set():
                return
            began = time.perf_counter()
            done = subprocess.run(
                [*RADAR, *command], cwd=ROOT, env=environment(self.data_dir), capture_output=True, text=True
            )
            self.runs.append(
                {
                    "command": f"radar {command[0]}",
                    "started_s": began - started,  # after the load began
                    "seconds": time.perf_counter() - began,
                    "exit": done.returncode,
                    "said": _summary(command[0], done.stdout),
                    "stderr": done.stderr[-500:] if done.returncode else "",
                }
            )


def _summary(command: str, output: str) -> str:
    """What a crawl or an ingest did, in a line: the ingest's summary, or the crawl's new items."""
    lines = output.strip().splitlines()
    if command == "ingest":
        return lines[-1] if lines else ""
    rows = [line.split() for line in lines[1:]]
    new = sum(int(row[2]) for row in rows if len(row) > 2 and row[2].isdigit())
    return f"{len(rows)} sources, {new} new items"


def load_figures(data_dir: Path, work: Path) -> dict[str, Any]:
    registry, items_file = work / "load-sources.yaml", work / "load-items.jsonl"
    site = fixture_site(FEEDS, ARTICLES, registry)
    write_ingest_lines(items_file, INGEST_ITEMS, seed=77)
    mix = [(kind, urlencode(search_params(query))) for kind, query in search_queries()]
    try:
        with serving(data_dir, 1) as server:
            warm_up = paced_pass(server, "/api/search", rotations(mix, LOAD_CLIENTS), OFFERED_PER_S, 5)
            baseline = paced_pass(server, "/api/search", rotations(mix, LOAD_CLIENTS), OFFERED_PER_S, BASELINE_S)
            writers = Writers(data_dir, registry, items_file)
            writing = threading.Thread(target=writers.run, daemon=True)
            pids = server.pids()
            server_cpu, began = cpu_seconds(pids), time.perf_counter()
            writing.start()
            load = paced_pass(server, "/api/search", rotations(mix, LOAD_CLIENTS), OFFERED_PER_S, LOAD_S)
            seconds = time.perf_counter() - began
            server_cores = (cpu_seconds(pids) - server_cpu) / seconds
            writers.stop.set()
            writing.join()
            began = time.perf_counter()
            with urllib.request.urlopen(f"{server.url}/metrics", timeout=60) as answer:
                exposition = answer.read().decode()
            scrape_ms = (time.perf_counter() - began) * 1000
    finally:
        site.close()
    served = _searches_counted(exposition)
    return {
        "clients": LOAD_CLIENTS,
        "seconds": LOAD_S,
        "warm_up": warm_up,
        "baseline": {**baseline, "per_s": baseline["requests"] / BASELINE_S},
        **load,
        "per_s": load["requests"] / LOAD_S,
        "server_cores": server_cores,
        "writer_runs": writers.runs,
        "writer_failures": sum(1 for run in writers.runs if run["exit"] != 0),
        "metrics": {"scrape_ms": scrape_ms, "searches_counted": served, **_queues(exposition)},
    }


def _searches_counted(exposition: str) -> float:
    """GET /api/search answers the server counted (200s), warm-up included."""
    from prometheus_client.parser import text_string_to_metric_families

    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "radar_http_requests_total"
        and sample.labels.get("route") == "/api/search"
        and sample.labels.get("status") == "200"
    )


def _queues(exposition: str) -> dict[str, float]:
    from prometheus_client.parser import text_string_to_metric_families

    return {
        f"{family.name}:{next(iter(sample.labels.values()))}": sample.value
        for family in text_string_to_metric_families(exposition)
        if family.name in ("radar_outbox_items", "radar_alert_deliveries")
        for sample in family.samples
    }


# --- 2. `radar up` at rest -------------------------------------------------------------------------


def tree_resident_mb(pid: int) -> dict[str, float]:
    """VmRSS of a process and of every process under it, in MB."""
    own = memory_status(pid)["VmRSS"]
    descendants, found = 0.0, list(_children(pid))
    while found:
        child = found.pop()
        with contextlib.suppress(FileNotFoundError, KeyError):  # ended meanwhile, or a zombie
            descendants += memory_status(child)["VmRSS"]
            found += _children(child)
    return {"own_mb": own, "children_mb": descendants, "total_mb": own + descendants}


def tree_cpu_seconds(pid: int) -> float:
    found, pids = [pid], []
    while found:
        each = found.pop()
        pids.append(each)
        found += _children(each)
    return cpu_seconds(pids)


@contextlib.contextmanager
def radar_up(data_dir: Path, registry: Path, log_file: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`radar up` on a free loopback port until the block ends (SIGTERM): the process, its URL."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = environment(data_dir, RADAR_SOURCES_FILE=str(registry), RADAR_LOG_FORMAT="json")
    with log_file.open("wb") as log:
        process = subprocess.Popen([*RADAR, "up", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        with log_file.open("rb") as log:
            wait_until_up(url, process, log)
        yield process, url
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def crawled_sources(log_file: Path) -> set[str]:
    """Sources whose crawl job has run, from the scheduler's JSON log lines."""
    done = set()
    for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            record = json.loads(line)
            if record.get("logger") == "scheduler" and record.get("message", "").startswith("crawl:"):
                done.add(record["message"].split(":")[1])
    return done


def wait_until_idle(pid: int) -> float:
    """Until the process tree used under IDLE_CPU of a core for IDLE_S seconds; how long it took."""
    began = time.perf_counter()
    while time.perf_counter() - began < IDLE_DEADLINE_S:
        before = tree_cpu_seconds(pid)
        time.sleep(IDLE_S)
        if (tree_cpu_seconds(pid) - before) / IDLE_S < IDLE_CPU:
            break
    return time.perf_counter() - began


def memory_figures(work: Path) -> dict[str, Any]:
    data_dir, registry, log_file = work / "up-data", work / "up-sources.yaml", work / "up.log"
    ingested = subprocess.run(
        [*RADAR, "ingest", str(ROOT / "examples" / "items.jsonl")],
        cwd=ROOT,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        check=True,
    )
    site = fixture_site(MEMORY_FEEDS, 2, registry, interval_minutes=1)
    try:
        with radar_up(data_dir, registry, log_file) as (process, url):
            for path in ("/api/search?q=scam", "/?q=age+assurance", "/metrics"):
                urllib.request.urlopen(url + path, timeout=60).close()
            wait_until_idle(process.pid)
            before_crawls = tree_resident_mb(process.pid)
            began, expected = time.perf_counter(), {f"load-{number:03d}" for number in range(MEMORY_FEEDS)}
            while not expected <= crawled_sources(log_file) and time.perf_counter() - began < IDLE_DEADLINE_S:
                time.sleep(1)
            crawled = sorted(crawled_sources(log_file))
            idle_s = wait_until_idle(process.pid)
            after_crawls = tree_resident_mb(process.pid)
            peak_mb = memory_status(process.pid)["VmHWM"]
    finally:
        site.close()
    return {
        "examples": ingested.stdout.strip(),
        "before_crawls": before_crawls,
        "after_crawls": after_crawls,
        "crawled": crawled,
        "waited_for_idle_s": idle_s,
        "own_peak_mb": peak_mb,
        "target_mb": MEMORY_TARGET_MB,
    }


# --- the figures ---------------------------------------------------------------------------------


def main() -> None:
    began = time.perf_counter()
    count = int(os.environ.get("RADAR_BENCH_ITEMS") or ITEMS)
    kept = os.environ.get("RADAR_BENCH_DIR")
    work = Path(tempfile.mkdtemp(prefix="radar-load-bench-"))
    try:
        if kept:
            built_dir, built = data_directory(Path(kept), count)
            data_dir = Path(shutil.copytree(built_dir, work / "data"))  # the writers change it
        else:
            data_dir, built = data_directory(work, count)
        figures: dict[str, Any] = {"items": count, "data": built}
        figures["load"] = load_figures(data_dir, work)
        figures["memory"] = memory_figures(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["bench_s"] = time.perf_counter() - began
    print(report(figures), flush=True)
    save_figures("load", figures)
    print(f"(load bench: {figures['bench_s'] / 60:.1f} min; figures in bench/results/load.json)")


def report(figures: dict[str, Any]) -> str:
    load, memory, baseline = figures["load"], figures["memory"], figures["load"]["baseline"]
    writers = "; ".join(
        f"{run['command']} from {run['started_s']:.0f} s for {run['seconds']:.0f} s ({run['said']})"
        + ("" if run["exit"] == 0 else f" FAILED (exit {run['exit']}): {run['stderr'][-200:]}")
        for run in load["writer_runs"]
    )
    answered = sum(run["requests"] - run["errors"] for run in (load, baseline, load["warm_up"]))
    before, after = memory["before_crawls"], memory["after_crawls"]
    return "\n".join(
        [
            f"GET /api/search, {load['clients']} clients for {load['seconds']} s on {figures['items']:,} items "
            f"while the store and index are written: {load['requests']:,} requests ({load['per_s']:.0f}/s), "
            f"{load['errors']} errors (target 0), p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms, "
            f"max {load['max_ms']:.0f} ms; the server busy {load['server_cores']:.1f} cores",
            f"the same clients before the writers started ({BASELINE_S} s): {baseline['per_s']:.0f}/s, "
            f"{baseline['errors']} errors, p50 {baseline['p50_ms']:.0f} ms, p95 {baseline['p95_ms']:.0f} ms",
            f"writers, one after another from the load's start: {writers}",
            f"/metrics after the load: scraped in {load['metrics']['scrape_ms']:.0f} ms; the server counted "
            f"{load['metrics']['searches_counted']:,.0f} searches answered 200 (the clients: {answered:,})",
            f"radar up at rest (examples ingested, {len(memory['crawled'])} loopback sources crawled once): "
            f"{after['total_mb']:.0f} MB resident ({after['own_mb']:.0f} MB its own, {after['children_mb']:.0f} MB "
            f"child processes; target <= {MEMORY_TARGET_MB} MB); before any crawl {before['total_mb']:.0f} MB; "
            f"its own peak {memory['own_peak_mb']:.0f} MB",
        ]
    )


if __name__ == "__main__":
    main()
