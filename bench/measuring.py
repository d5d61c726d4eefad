"""Measuring for the index bench: memory of a process and its children, runs in fresh processes
(optionally inside a cgroup memory limit), time per stage, medians and percentiles."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def memory_status(pid: int | str = "self") -> dict[str, float]:
    """A process's resident memory in MB from /proc/PID/status: VmHWM (its own peak; ru_maxrss
    would include the parent's from before exec), VmRSS (now), RssAnon (its own memory) and
    RssFile (mapped files)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return {name: int(fields[name].split()[0]) / 1024 for name in ("VmHWM", "VmRSS", "RssAnon", "RssFile")}


def child_pids() -> list[int]:
    found: list[int] = []
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that ended meanwhile
            found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


class MemorySampler:
    """Peaks of RssAnon and RssFile, sampled every 50 ms on a thread: VmHWM counts the pages of
    the index files tantivy maps (page cache the kernel can reclaim) with the process's own
    memory, and these tell the two apart. `peak_all_mb` adds the resident memory of child
    processes (the tagging worker) to this one's."""

    def __init__(self) -> None:
        self.peaks = {"RssAnon": 0.0, "RssFile": 0.0, "all": 0.0, "largest_child": 0.0}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:
            own = memory_status()
            for name in ("RssAnon", "RssFile"):
                self.peaks[name] = max(self.peaks[name], own[name])
            children = 0.0
            for pid in child_pids():
                with contextlib.suppress(FileNotFoundError, KeyError):  # ended, or a zombie
                    resident = memory_status(pid)["VmRSS"]
                    children += resident
                    self.peaks["largest_child"] = max(self.peaks["largest_child"], resident)
            self.peaks["all"] = max(self.peaks["all"], own["VmRSS"] + children)
            if self._stop.wait(0.05):
                return

    def figures(self) -> dict[str, float]:
        return {
            "peak_mb": memory_status()["VmHWM"],
            "peak_anon_mb": self.peaks["RssAnon"],
            "peak_file_mb": self.peaks["RssFile"],
            "peak_all_mb": self.peaks["all"],
            "peak_largest_child_mb": self.peaks["largest_child"],
        }


def child(*args: str, cgroup: Path | None = None) -> dict[str, Any]:
    """Run one of this module's child modes (see `CHILDREN`) in a fresh process; its JSON figures.
    With `cgroup`, the child runs in that (cgroup v1) memory group."""

    def join_group() -> None:
        if cgroup is not None:
            (cgroup / "cgroup.procs").write_text(str(os.getpid()))

    out = subprocess.run(
        [sys.executable, "-m", "bench.index_speed", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        preexec_fn=join_group if cgroup is not None else None,
    )
    if out.returncode != 0:
        if cgroup is not None:
            return {"failed": f"exit status {out.returncode}", "stderr": out.stderr[-2000:]}
        sys.exit(f"bench: child {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])


CGROUP_MEMORY = Path("/sys/fs/cgroup/memory")


def memory_limited_group(limit_mb: int) -> Path | None:
    """A cgroup v1 memory group limited to `limit_mb` (page cache of mapped index files counts
    against it and is reclaimed at the limit; the kernel kills the child if its own memory
    does not fit), or None where this process may not make one."""
    group = CGROUP_MEMORY / f"radar-bench-{os.getpid()}"
    try:
        group.mkdir(exist_ok=True)
        (group / "memory.limit_in_bytes").write_text(str(limit_mb * 1024 * 1024))
        swap_too = group / "memory.memsw.limit_in_bytes"  # no swapping out instead of fitting
        if swap_too.exists():
            swap_too.write_text(str(limit_mb * 1024 * 1024))
    except OSError:
        return None
    return group


def limited_run(args: tuple[str, ...], limit_mb: int) -> dict[str, Any] | None:
    """`child(*args)` inside a memory limit of `limit_mb`: its figures, whether it completed,
    and the group's peak usage; None where no limit can be set."""
    group = memory_limited_group(limit_mb)
    if group is None:
        return None
    try:
        figures = child(*args, cgroup=group)
        figures["limit_mb"] = limit_mb
        figures["group_peak_mb"] = int((group / "memory.max_usage_in_bytes").read_text()) / 2**20
        control = dict(line.split() for line in (group / "memory.oom_control").read_text().splitlines())
        figures["oom_kills"] = int(control.get("oom_kill", 0))
        return figures
    finally:
        with contextlib.suppress(OSError):
            group.rmdir()


class Stopwatch:
    """Seconds spent in the methods of wrapped objects, by name (`store`, `index`, ...)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, target: object, name: str) -> object:
        watch = self

        class Timed:
            def __getattr__(self, attribute: str) -> object:
                found = getattr(target, attribute)
                if not callable(found):
                    return found

                def timed(*args: object, **kwargs: object) -> object:
                    began = time.perf_counter()
                    try:
                        return found(*args, **kwargs)
                    finally:
                        watch.add(name, time.perf_counter() - began)

                return timed

        return Timed()

    def iterate(self, values: Iterable[object], name: str) -> Iterator[object]:
        """`values`, with the time spent producing each one counted under `name`."""
        iterator = iter(values)
        while True:
            began = time.perf_counter()
            try:
                value = next(iterator)
            except StopIteration:
                return
            finally:
                self.add(name, time.perf_counter() - began)
            yield value

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def median_of(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def memory_medians(runs: list[dict[str, Any]]) -> dict[str, float]:
    return {key: median_of(runs, key) for key in ("peak_mb", "peak_anon_mb", "peak_file_mb", "peak_all_mb")}


def memory_text(figures: dict[str, Any]) -> str:
    return (
        f"{figures['peak_mb']:,.0f} MB (anonymous {figures['peak_anon_mb']:,.0f}, "
        f"mapped files {figures['peak_file_mb']:,.0f}; with child processes {figures.get('peak_all_mb', 0):,.0f})"
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def disk_mb(directory: Path) -> float:
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file()) / 1e6


def save_figures(name: str, figures: dict[str, Any]) -> Path:
    """Write a bench's figures to bench/results/<name>.json (made if missing); the file."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, default=str) + "\n", encoding="utf-8")
    return path
