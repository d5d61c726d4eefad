"""API speed: `make bench` (after the crawl figures).

Issue 5's targets, measured and never asserted:
1. search through the API: p95 latency <= 50 ms at 1,000,000 items with 20 concurrent clients on
   loopback. The server is the real app (`api.app.create_app`) under uvicorn in a child process,
   as `radar serve` runs it (127.0.0.1, a free port), but with the API's rate limit off
   (RADAR_API_RATE_LIMIT=off: every client here is 127.0.0.1, one client to the limit). Clients
   run in this process (asyncio, httpx) and send the query mix of bench/index_speed.py's search
   figures (`search_queries`, 30 queries of each kind), each from its own place in the mix, with
   the filters as query parameters. Two loads:
   - a closed loop: each client sends its next request as soon as the last is answered. This is
     saturation: the mean wait is the number of clients over the requests a second the machine
     can serve, whatever the code does per request. Figures: latency p50, p95, max, requests a
     second, the server's own time (the `Server-Timing: app;dur=` header), the CPU of each side,
     the median over PASSES passes after a warm-up; and the mix one request at a time.
   - paced: the clients together offer PACED_RATES requests a second (each waits an exponential
     time before its next request), PACED_S seconds each: the load up to which p95 holds.
2. the search page (GET / with the same parameters; it also reads the store for the size of each
   shown story) renders in <= 200 ms server-side: its Server-Timing alone and under the closed
   loop. Not measured, with the reason, while GET / answers anything but 200.

What was measured once while writing this (issue 5's note has the figures): tantivy-py releases
the GIL, but one search already keeps 1.6 cores busy (facets run beside the ranking), so threads
or uvicorn's --workers 2 add nothing on 2 cores; httptools and uvloop add 2%.

Data: a store and an index of RADAR_BENCH_ITEMS synthetic items (default 1,000,000;
bench/synthetic_items.py). The store is filled with SqlStore.upsert, as ingest stores (stories
are the store's own), and the index is built from it as `radar reindex` builds it, so the
index's story ids are the store's and the page finds its stories: at 1,000,000 items about 20
minutes and 16 GB. With RADAR_BENCH_DIR set, the data directory is RADAR_BENCH_DIR/items-<count>,
built when missing or incomplete and kept for the next run; without it, a temporary directory
(TMPDIR) removed at the end. Figures go to bench/results/api_speed.json.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlencode

from bench.index_speed import QUERY_KINDS, search_queries
from bench.measuring import ROOT, disk_mb, percentile, save_figures
from bench.synthetic_items import ItemGenerator, stored_item

if TYPE_CHECKING:
    from index.records import SearchQuery

ITEMS = 1_000_000
STORE_BATCH = 1_000
# Written last: a data directory without it is incomplete. (-2: built since the build takes its
# items out of the outbox as `radar reindex` does; older builds left them all waiting for the index.)
BUILT = "BUILT-2.json"
CLIENTS = 20
PASSES = 3
PACED_RATES = (20, 40, 60, 80)  # requests a second offered by the CLIENTS together
PACED_S = 30
SEARCH_TARGET_MS, PAGE_TARGET_MS = 50, 200
START_DEADLINE_S = 120  # a first start opens (and may migrate) the store and the index


# --- the data directory ----------------------------------------------------------------------


def build_child(data_dir: str, count: str) -> dict[str, Any]:
    """Child mode: fill a store with `count` synthetic items as ingest stores them, then build
    the index from it as `radar reindex` does (emptying the outbox); the time of each."""
    from index.rebuild import rebuild_index
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=Path(data_dir), database_url=None, elasticsearch_url=None)
    store = open_store(settings)
    items = ItemGenerator(seed=5).items(int(count))
    began = time.perf_counter()
    while batch := [stored_item(item) for item in islice(items, STORE_BATCH)]:
        store.upsert(batch)
    store_s = time.perf_counter() - began
    engine = open_search_engine(settings)
    began = time.perf_counter()
    indexed = rebuild_index(store, engine).items
    index_s = time.perf_counter() - began
    engine.close()
    store.close()
    return {
        "items": indexed,
        "store_s": store_s,
        "index_s": index_s,
        "store_mb": disk_mb(settings.data_dir) - disk_mb(settings.data_dir / "index"),
        "index_mb": disk_mb(settings.data_dir / "index"),
    }


def data_directory(root: Path, count: int) -> tuple[Path, dict[str, Any]]:
    """`root`/items-`count`, built unless a complete one is there; its build figures."""
    data_dir = root / f"items-{count}"
    if (data_dir / BUILT).exists():
        return data_dir, {**json.loads((data_dir / BUILT).read_text(encoding="utf-8")), "reused": True}
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    print(f"(building a store and an index of {count:,} items in {data_dir})", flush=True)
    built = run_child("build-child", str(data_dir), str(count))
    (data_dir / BUILT).write_text(json.dumps(built, indent=2) + "\n", encoding="utf-8")
    return data_dir, {**built, "reused": False}


def run_child(*args: str) -> dict[str, Any]:
    """One of this module's child modes in a fresh process; its JSON figures."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.api_speed", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if out.returncode != 0:
        sys.exit(f"bench: child {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])


# --- the server and its clients --------------------------------------------------------------


def search_params(query: SearchQuery) -> list[tuple[str, str]]:
    """`query` as the query parameters of GET /api/search (and of the page)."""
    if query.sources or query.stakeholders or query.cursor:
        raise ValueError(f"{query} has filters the API does not take")
    params = [("q", query.text)]
    for name, values in (
        ("country", query.jurisdictions),
        ("harm", query.harm_areas),
        ("doc_type", query.doc_types),
        ("source_kind", query.source_kinds),
        ("lang", query.languages),
    ):
        params += [(name, value) for value in values]
    params += [(name, day.isoformat()) for name, day in (("since", query.since), ("until", query.until)) if day]
    return [*params, ("sort", query.sort), ("limit", str(query.limit))]


@dataclass(frozen=True)
class Server:
    url: str
    pids: Callable[[], list[int]]  # the server's processes (uvicorn's and its workers')


@contextmanager
def serving(data_dir: Path, workers: int) -> Iterator[Server]:
    """The app under uvicorn in a child process on a free loopback port, until the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--log-level", "info"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            # Every client here is 127.0.0.1, one client to the per-client rate limit.
            env={**os.environ, "RADAR_DATA_DIR": str(data_dir), "RADAR_API_RATE_LIMIT": "off"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url, process, log)
            yield Server(url, lambda: [process.pid, *_children(process.pid)])
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """Until `url`/health answers 200; the bench ends, with the end of `log`, if the process dies
    first or START_DEADLINE_S pass."""
    import httpx

    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        try:  # until it answers, or it has died
            process.wait(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            continue
    log.seek(0)
    sys.exit(f"bench: the server did not come up on {url}:\n{log.read().decode(errors='replace')[-3000:]}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            continue
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


Mix = list[tuple[str, str]]  # (kind of query, its query string)


def rotations(mix: Mix, clients: int) -> list[Mix]:
    """For each client, the whole mix, from its own place in it."""
    return [mix[start:] + mix[:start] for start in (len(mix) * client // clients for client in range(clients))]


def load_pass(server: Server, path: str, orders: list[Mix]) -> dict[str, Any]:
    """A closed-loop client for each order, all at once: latency, the server's own time,
    throughput, and the CPU used on each side."""
    pids = server.pids()
    server_cpu, client_cpu, began = cpu_seconds(pids), time.process_time(), time.perf_counter()
    samples = asyncio.run(_closed_loop(server.url, path, orders))
    seconds = time.perf_counter() - began
    server_cpu, client_cpu = cpu_seconds(pids) - server_cpu, time.process_time() - client_cpu
    served = [sample for sample in samples if sample[3] == 200]
    latency, server_ms = [sample[1] for sample in served], [sample[2] for sample in served]
    return {
        "requests": len(samples),
        "errors": len(samples) - len(served),
        "statuses": sorted({sample[3] for sample in samples}),
        "p50_ms": percentile(latency, 0.5),
        "p95_ms": percentile(latency, 0.95),
        "max_ms": max(latency),
        "per_s": len(samples) / seconds,
        "server_mean_ms": statistics.mean(server_ms),
        "server_p50_ms": percentile(server_ms, 0.5),
        "server_p95_ms": percentile(server_ms, 0.95),
        "server_max_ms": max(server_ms),
        "p95_ms_by_kind": {
            kind: percentile([s[1] for s in served if s[0] == kind], 0.95)
            for kind in QUERY_KINDS
            if any(s[0] == kind for s in served)
        },
        "server_cores": server_cpu / seconds,
        "client_cores": client_cpu / seconds,
    }


async def _closed_loop(url: str, path: str, orders: list[Mix]) -> list[tuple[str, float, float, int]]:
    """(kind, latency ms, Server-Timing ms, status) of each request; a client per order."""
    import httpx

    samples: list[tuple[str, float, float, int]] = []
    limits = httpx.Limits(max_connections=len(orders), max_keepalive_connections=len(orders))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:

        async def one_client(order: Mix) -> None:
            for kind, params in order:
                began = time.perf_counter()
                response = await client.get(f"{path}?{params}")
                latency = (time.perf_counter() - began) * 1000
                timing = response.headers.get("server-timing", "")
                server_ms = float(timing.split("dur=", 1)[1].split(",")[0]) if "dur=" in timing else float("nan")
                samples.append((kind, latency, server_ms, response.status_code))

        await asyncio.gather(*(one_client(order) for order in orders))
    return samples


def medians(passes: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the passes (and of each kind's p95)."""
    figures: dict[str, Any] = {
        key: statistics.median(run[key] for run in passes)
        for key, value in passes[0].items()
        if isinstance(value, float | int) and not isinstance(value, bool)
    }
    figures["p95_ms_by_kind"] = {
        kind: statistics.median(run["p95_ms_by_kind"][kind] for run in passes) for kind in passes[0]["p95_ms_by_kind"]
    }
    return {**figures, "passes": passes}


def served_figures(server: Server, path: str, mix: Mix, alone: bool) -> dict[str, Any]:
    """A warm-up pass, optionally the mix one request at a time, then PASSES passes of CLIENTS
    clients; the medians."""
    warm_up = load_pass(server, path, [mix[client::CLIENTS] for client in range(CLIENTS)])
    if warm_up["errors"]:
        sys.exit(f"bench: GET {path} answered {warm_up['statuses']} while warming up")
    figures = {"alone": load_pass(server, path, [mix])} if alone else {}
    return {**figures, **medians([load_pass(server, path, rotations(mix, CLIENTS)) for _ in range(PASSES)])}


def page_figures(server: Server, mix: Mix) -> dict[str, Any]:
    """The search page's figures, or why they were not measured."""
    import httpx

    status = httpx.get(f"{server.url}/?{mix[0][1]}", timeout=120).status_code
    if status != 200:
        return {"measured": False, "reason": f"GET / answered {status}" + (" (no page yet)" if status == 404 else "")}
    return {"measured": True, **served_figures(server, "/", mix, alone=True)}


# --- paced clients ----------------------------------------------------------------------------


def paced_pass(server: Server, path: str, orders: list[Mix], rate: float, seconds: float) -> dict[str, Any]:
    """CLIENTS clients that together offer `rate` requests a second (each waits an exponential
    time with the mean CLIENTS / rate before its next request, and for its answer) for `seconds`:
    latency at a load below saturation."""
    samples = asyncio.run(_paced(server.url, path, orders, rate, seconds))
    latency = [sample[1] for sample in samples if sample[3] == 200]
    return {
        "offered_per_s": rate,
        "requests": len(samples),
        "errors": len(samples) - len(latency),
        "p50_ms": percentile(latency, 0.5),
        "p95_ms": percentile(latency, 0.95),
        "max_ms": max(latency),
    }


async def _paced(
    url: str, path: str, orders: list[Mix], rate: float, seconds: float
) -> list[tuple[str, float, float, int]]:
    import httpx

    samples: list[tuple[str, float, float, int]] = []
    limits = httpx.Limits(max_connections=len(orders), max_keepalive_connections=len(orders))
    mean_gap = len(orders) / rate
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:

        async def one_client(number: int, order: Mix) -> None:
            pace = random.Random(number)
            ends = time.perf_counter() + seconds
            for kind, params in itertools.cycle(order):
                await asyncio.sleep(pace.expovariate(1 / mean_gap))
                if time.perf_counter() > ends:
                    return
                began = time.perf_counter()
                try:
                    status = (await client.get(f"{path}?{params}")).status_code
                except httpx.TransportError:  # no answer (a connection reset or closed): an error, status 0
                    status = 0
                samples.append((kind, (time.perf_counter() - began) * 1000, 0.0, status))

        await asyncio.gather(*(one_client(number, order) for number, order in enumerate(orders)))
    return samples


@contextmanager
def data_root(prefix: str) -> Iterator[Path]:
    """Where `data_directory` builds: RADAR_BENCH_DIR, kept for the next run, when set; else a
    temporary directory (TMPDIR) removed when the block ends."""
    kept = os.environ.get("RADAR_BENCH_DIR")
    root = Path(kept) if kept else Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        if not kept:
            shutil.rmtree(root, ignore_errors=True)


# --- the figures -----------------------------------------------------------------------------


def main() -> None:
    began = time.perf_counter()
    count = int(os.environ.get("RADAR_BENCH_ITEMS") or ITEMS)
    with data_root("radar-api-bench-") as root:
        data_dir, built = data_directory(root, count)
        figures: dict[str, Any] = {"items": count, "clients": CLIENTS, "data": built}
        mix = [(kind, urlencode(search_params(query))) for kind, query in search_queries()]
        with serving(data_dir, 1) as server:
            figures["search"] = served_figures(server, "/api/search", mix, alone=True)
            figures["paced"] = [
                paced_pass(server, "/api/search", rotations(mix, CLIENTS), rate, PACED_S) for rate in PACED_RATES
            ]
            figures["page"] = page_figures(server, mix)
    figures["bench_s"] = time.perf_counter() - began
    print(report(figures), flush=True)
    save_figures("api_speed", figures)
    print(f"(API bench: {figures['bench_s'] / 60:.1f} min; figures in bench/results/api_speed.json)")


def report(figures: dict[str, Any]) -> str:
    count, data, search = figures["items"], figures["data"], figures["search"]
    lines = [
        f"data: {count:,} items, store {data['store_mb']:,.0f} MB, index {data['index_mb']:,.0f} MB "
        + (
            "(reused from RADAR_BENCH_DIR)"
            if data["reused"]
            else f"(stored in {data['store_s'] / 60:.1f} min, indexed from the store in {data['index_s'] / 60:.1f} min)"
        ),
        served_line(f"GET /api/search, {CLIENTS} clients in a closed loop (saturation)", search, SEARCH_TARGET_MS),
        alone_line("GET /api/search", search["alone"]),
        f"GET /api/search, {CLIENTS} clients offering together (p95 against the target of {SEARCH_TARGET_MS} ms): "
        + "; ".join(
            f"{paced['offered_per_s']:.0f}/s: p50 {paced['p50_ms']:.0f} ms, p95 {paced['p95_ms']:.0f} ms"
            + (f" ({paced['errors']} errors)" if paced["errors"] else "")
            for paced in figures["paced"]
        ),
    ]
    page = figures["page"]
    if page["measured"]:
        lines += [alone_line("GET / (search page)", page["alone"]) + f" (target server-side <= {PAGE_TARGET_MS} ms)"]
        lines += [served_line(f"GET / (search page), {CLIENTS} clients in a closed loop", page, PAGE_TARGET_MS, True)]
    else:
        lines += [f"search page, server-side: not measured: {page['reason']} (target <= {PAGE_TARGET_MS} ms)"]
    return "\n".join(lines)


def served_line(what: str, figures: dict[str, Any], target_ms: int, server_side: bool = False) -> str:
    kinds = ", ".join(f"{kind} {ms:.0f}" for kind, ms in figures["p95_ms_by_kind"].items())
    errors = f"; {figures['errors']:.0f} errors" if figures["errors"] else ""
    target = f"target server-side p95 <= {target_ms} ms" if server_side else f"target p95 <= {target_ms} ms"
    return (
        f"{what}: p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, max {figures['max_ms']:.0f} ms, "
        f"{figures['per_s']:.0f} requests/s; server's own time p50 {figures['server_p50_ms']:.0f} ms, "
        f"p95 {figures['server_p95_ms']:.0f} ms, max {figures['server_max_ms']:.0f} ms "
        f"(median of {PASSES} passes of {figures['requests']:,.0f} requests; {target}; the server busy "
        f"{figures['server_cores']:.1f} cores, the clients {figures['client_cores']:.1f}){errors}; "
        f"p95 by kind, ms: {kinds}"
    )


def alone_line(what: str, figures: dict[str, Any]) -> str:
    return (
        f"{what}, one request at a time: p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
        f"max {figures['max_ms']:.0f} ms; server's own time p50 {figures['server_p50_ms']:.1f} ms, "
        f"p95 {figures['server_p95_ms']:.1f} ms"
    )


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {"build-child": build_child}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(CHILDREN[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
