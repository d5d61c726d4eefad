"""Store, index and search speed and memory: `make bench` (after the tagger's figures).

Issue 3's targets, on synthetic items (bench/synthetic_items.py: 600-word items drawn from a Zipf-like
vocabulary of policy words, places, regulators and filler, some Chinese, Japanese and Korean
items, titles, sources, dates over 2019-2026, and about 5% near-duplicate copies):

1. ingest end to end (tag, store, index; the real Tagger, SQLite, tantivy): >= 500 items/s;
2. search: p95 <= 20 ms for ranked top-20 queries with all facets at 1,000,000 items;
   index size on disk;
3. reindex of 1,000,000 items in <= 5 minutes; ingest and reindex within 1 GB resident memory,
   flat as the input grows.

Figures are medians over several runs (these machines are shared and noisy); nothing here is
asserted. Engines are opened as `radar` opens them (`radar.engines`), in a temporary directory;
memory is each child process's own peak (VmHWM), with its anonymous and file-backed parts (the
index files tantivy maps) sampled apart, and for ingest the peak with its tagging process
added. When ingest is below its target, a cProfile of it goes to
bench/results/ingest-profile.txt. RADAR_BENCH_ITEMS sets the search index's size (default
200,000), RADAR_BENCH_REINDEX_ITEMS the store's for the reindex (default 100,000),
RADAR_BENCH_INGEST_LONG the longer ingest's (default 20,000), and
RADAR_BENCH_PARTS which parts run (default "ingest,search,reindex"). The figures also go to
bench/results/index_speed.json (index_speed-<parts>.json for a subset); the work files to a
temporary directory (TMPDIR), removed at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.records import SearchQuery
    from radar.settings import Settings

from bench.measuring import (
    RESULTS,
    MemorySampler,
    Stopwatch,
    child,
    disk_mb,
    limited_run,
    median_of,
    memory_medians,
    memory_text,
    percentile,
    save_figures,
)
from bench.synthetic_items import (
    CJK,
    DOC_TYPES,
    END,
    HARM_TERMS,
    PLACES,
    POLICY,
    SOURCES,
    START,
    WORDS,
    ItemGenerator,
    english_vocabulary,
    stored_item,
    write_ingest_lines,
)

# --- 1. ingest end to end --------------------------------------------------------------------

INGEST_ITEMS = 5_000
INGEST_LONG = 20_000  # a second size, to see whether memory grows with the input
INGEST_TARGET = 500
MARKS = 10
RUNS = 3
PROFILE_FILE = RESULTS / "ingest-profile.txt"
WARM_UP = {"en": "The regulator said.", "zh": "监管部门表示。", "ja": "政府は発表した。", "ko": "정부는 밝혔다."}


class TimedTagger:
    """The tagger, with the time spent tagging counted (its results come lazily, as a generator)."""

    def __init__(self, tagger: object, watch: Stopwatch) -> None:
        self.tagger, self.watch = tagger, watch

    def tag_many(self, items: Iterable[object], batch_size: int = 256) -> Iterator[object]:
        return self.watch.iterate(self.tagger.tag_many(items, batch_size), "tag")  # type: ignore[attr-defined]


def ingest_child(
    items_file: str, count: str, data_dir: str, profile_file: str = "", database_url: str = ""
) -> dict[str, Any]:
    """Child mode: ingest the first `count` lines of `items_file` as `radar ingest` does, into a
    fresh data directory (and the empty PostgreSQL database at `database_url`, when given), with the
    pipelines already built; its rate, time per stage and peak memory, and the seconds elapsed at
    each tenth of the items read (MARKS: to see whether the rate holds as the store grows)."""
    import cProfile
    import pstats
    from itertools import islice

    from index.ingest import Ingester, IngestReport, read_ingest_lines
    from nlp.background import tagger_for_ingest
    from nlp.items import ItemIn
    from nlp.tagger import Tagger
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=Path(data_dir), database_url=database_url or None, elasticsearch_url=None)
    store, engine = open_store(settings), open_search_engine(settings)
    tagger = Tagger()
    for lang, text in WARM_UP.items():
        tagger.tag(ItemIn(id="warm-up", title="", text=text, lang=lang))
    watch = Stopwatch()
    # As `radar ingest` does: tagging in a second process, ahead of storing and indexing; "tag"
    # is then the time spent waiting for tags.
    ingester = Ingester(
        TimedTagger(tagger_for_ingest(tagger), watch),  # type: ignore[arg-type]
        watch.wrap(store, "store"),  # type: ignore[arg-type]
        watch.wrap(engine, "index"),  # type: ignore[arg-type]
    )
    report = IngestReport()
    profiler = cProfile.Profile() if profile_file else None
    with open(items_file, "rb") as handle, MemorySampler() as memory:
        marks: list[tuple[int, float]] = []
        mark_every = max(int(count) // MARKS, 1)
        began = time.perf_counter()

        def marked(lines: Iterable[bytes]) -> Iterator[bytes]:
            for number, line in enumerate(lines, 1):
                if number % mark_every == 0:
                    marks.append((number, time.perf_counter() - began))
                yield line

        lines = read_ingest_lines(marked(islice(handle, int(count))), report)
        if profiler:
            profiler.runcall(ingester.ingest, lines, report)
        else:
            ingester.ingest(lines, report)
        seconds = time.perf_counter() - began
        engine.close()
        store.close()
    figures = {
        "items": int(count),
        "seconds": seconds,
        "items_per_s": int(count) / seconds,
        "stages_s": {
            **{stage: watch.seconds.get(stage, 0.0) for stage in ("tag", "store", "index")},
            "other": seconds - sum(watch.seconds.values()),  # reading lines, making records
        },
        **memory.figures(),
        "report": report.summary(),
        "marks": marks,
    }
    if profiler:
        with open(profile_file, "w", encoding="utf-8") as out:
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        own = sorted(stats.items(), key=lambda entry: -entry[1][2])[:8]
        figures["top_own_time"] = [(_function_label(*function), row[2]) for function, row in own]
    return figures


def _function_label(file: str, line: int, name: str) -> str:
    """A profiled function as `package/module.py:line(name)`, or a built-in method as `Class.method`."""
    if file == "~":
        method = re.fullmatch(r"<method '(\w+)' of '([\w.]+)' objects>", name)
        return f"{method.group(2).rsplit('.', 1)[-1]}.{method.group(1)}" if method else name.strip("<>")
    parts = Path(file).parts
    return f"{'/'.join(parts[-2:])}:{line}({name})"


def ingest_figures(workdir: Path) -> dict[str, Any]:
    """Median rate over RUNS fresh processes of INGEST_ITEMS items; memory at two sizes; a profile
    when below the target."""
    long_count = int(os.environ.get("RADAR_BENCH_INGEST_LONG") or INGEST_LONG)
    items = write_ingest_lines(workdir / "ingest.jsonl", max(long_count, INGEST_ITEMS))

    def run(count: int, *profile: str) -> dict[str, Any]:
        data_dir = workdir / "ingest-data"
        try:
            return child("ingest-child", str(items), str(count), str(data_dir), *profile)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    def run_limited(count: int) -> dict[str, Any] | None:
        data_dir = workdir / "ingest-data"
        try:
            return limited_run(("ingest-child", str(items), str(count), str(data_dir)), MEMORY_TARGET_MB)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    runs = [run(INGEST_ITEMS) for _ in range(RUNS)]
    stages = {name: statistics.median(r["stages_s"][name] for r in runs) for name in runs[0]["stages_s"]}
    figures: dict[str, Any] = {
        "items": INGEST_ITEMS,
        "runs": runs,
        "items_per_s": median_of(runs, "items_per_s"),
        "stage_share": {name: seconds / sum(stages.values()) for name, seconds in stages.items()},
        **memory_medians(runs),
        "long": run(long_count),
        "long_limited": run_limited(long_count),
    }
    if figures["items_per_s"] < INGEST_TARGET:
        RESULTS.mkdir(exist_ok=True)
        figures["profile"] = run(INGEST_ITEMS, str(PROFILE_FILE))
    return figures


# --- 2. search latency -----------------------------------------------------------------------

SEARCH_ITEMS = 200_000  # RADAR_BENCH_ITEMS; the figure is at 1,000,000
BUILD_BATCH = 10_000
PASSES = 3
SEARCH_TARGET_MS = 20
CJK_WORDS = {
    lang: [word for word in words if len(word) >= 2 and word not in ("です", "ます", "した")]
    for lang, words in CJK.items()
}
EXPANDED = (
    *("deepfake", "scam", "scams", "artificial intelligence", "generative AI", "age verification", "hate speech"),
    *("cyberbullying", "personal data", "online safety", "fake news", "data breach", "online gambling"),
    *("social media", "takedown", "election", "misinformation", "terrorism", "grooming", "sextortion"),
    *("synthetic media", "AI", "algorithms", "phishing", "investment fraud", "code of practice", "doxxing"),
    *("political advertising", "data localisation", "online harassment"),
)
QUERY_KINDS = ("common", "rare", "phrase", "filtered", "cjk", "expansion", "operators")


def search_queries(seed: int = 13) -> list[tuple[str, SearchQuery]]:
    """210 ranked top-20 queries, 30 of each kind in QUERY_KINDS (all with facets: every search
    counts them): the most common words; a rare word, maybe with a common one; a quoted phrase (a
    run of words from a generated item, or a harm area's term); words with filters; Chinese,
    Japanese or Korean words; policy terms that expand to other languages; OR, NOT, prefix* and
    field:value."""
    from index.records import SearchQuery

    rng = random.Random(seed)
    words = english_vocabulary().words
    common, rare = words[:120], words[10_000:]
    sample = ItemGenerator(seed=99).item(0).text.split()
    queries: list[tuple[str, SearchQuery]] = []
    for _ in range(30):
        queries.append(("common", SearchQuery(" ".join(rng.sample(common, rng.choice((1, 1, 2, 3)))))))
        rare_words = [rng.choice(rare), *rng.sample(common, rng.choice((0, 0, 1)))]
        queries.append(("rare", SearchQuery(" ".join(rare_words))))
        start = rng.randrange(len(sample) - 3)
        phrase = rng.choice(
            [
                " ".join(sample[start : start + rng.choice((2, 3))]).strip(".,"),
                *rng.choice(tuple(HARM_TERMS.values())),
            ]
        )
        queries.append(("phrase", SearchQuery(f'"{phrase}"')))
        queries.append(("filtered", _filtered(rng, " ".join(rng.sample(words[:400], rng.choice((0, 1, 1, 2)))))))
        lang = rng.choice(tuple(CJK))
        text = " ".join(rng.sample(CJK_WORDS[lang], rng.choice((1, 1, 2))))
        queries.append(("cjk", SearchQuery(text, languages=(lang,) if rng.random() < 0.3 else ())))
        expanded = rng.choice(EXPANDED)
        queries.append(("expansion", _filtered(rng, expanded) if rng.random() < 0.3 else SearchQuery(expanded)))
        queries.append(("operators", SearchQuery(_operators(rng, common, rare))))
    return [(kind, query) for kind, query in queries if query.text.strip()]


def _filtered(rng: random.Random, text: str) -> SearchQuery:
    """`text` with one to four random filters (an empty text becomes "online": every query here is ranked)."""
    from index.records import SearchQuery

    filters: dict[str, object] = {}
    for name in rng.sample(
        ("jurisdictions", "harm_areas", "doc_types", "dates", "source_kinds", "languages"), rng.randint(1, 4)
    ):
        if name == "jurisdictions":
            filters[name] = tuple(rng.sample(tuple(PLACES), rng.choice((1, 1, 2))))
        elif name == "harm_areas":
            filters[name] = tuple(rng.sample(tuple(HARM_TERMS), rng.choice((1, 2))))
        elif name == "doc_types":
            filters[name] = (rng.choice(DOC_TYPES),)
        elif name == "dates":
            since = START + dt.timedelta(days=rng.randrange((END - START).days))
            filters["since"], filters["until"] = since, since + dt.timedelta(days=rng.choice((30, 180, 365, 1000)))
        elif name == "source_kinds":
            filters[name] = (rng.choice(SOURCES)[1],)
        else:
            filters[name] = ("en",)
    return SearchQuery(text or "online", **filters)  # type: ignore[arg-type]


def _operators(rng: random.Random, common: tuple[str, ...], rare: tuple[str, ...]) -> str:
    a, b = rng.sample(POLICY, 2)
    return rng.choice(
        (
            f"{a} OR {b}",
            f"{a} -{b}",
            f"({a} OR {b}) AND {rng.choice(common)}",
            f"{a[:4]}*",
            f"title:{a}",
            f"country:{rng.choice(tuple(PLACES))} {a}",
            f"harm:{rng.choice(tuple(HARM_TERMS))} {b}",
            f"{rng.choice(rare)} OR {rng.choice(rare)}",
        )
    )


def build_search_index(settings: Settings, count: int) -> float:
    """Index `count` synthetic items directly (no tagging, no store), BUILD_BATCH to a commit, as
    ingest would; merges are waited for. Returns items per second, generation included."""
    from radar.engines import open_search_engine

    engine = open_search_engine(settings)
    began = time.perf_counter()
    batch = []
    for item in ItemGenerator(seed=5).items(count):
        batch.append(stored_item(item))
        if len(batch) == BUILD_BATCH:
            engine.add(batch)
            engine.commit()
            batch = []
    engine.add(batch)
    engine.commit()
    engine.close()  # waits for the merges
    return count / (time.perf_counter() - began)


def search_figures(workdir: Path, count: int) -> dict[str, Any]:
    """p50 and p95 latency of `search_queries` on an index of `count` items: the median over
    PASSES passes, after a first pass that opens the index and warms the page cache."""
    from radar.engines import open_search_engine
    from radar.settings import Settings

    settings = Settings(data_dir=workdir / "search", database_url=None, elasticsearch_url=None)
    build_rate = build_search_index(settings, count)
    queries = search_queries()
    engine = open_search_engine(settings)
    totals = [engine.search(query).total for _kind, query in queries]  # the warm-up pass
    passes = []
    for _ in range(PASSES):
        timings: dict[str, list[float]] = {kind: [] for kind in QUERY_KINDS}
        for kind, query in queries:
            began = time.perf_counter()
            engine.search(query)
            timings[kind].append((time.perf_counter() - began) * 1000)
        passes.append(timings)
    engine.close()
    every = [[ms for kind in QUERY_KINDS for ms in timings[kind]] for timings in passes]
    return {
        "items": count,
        "queries": len(queries),
        "build_items_per_s": build_rate,
        "index_mb": disk_mb(settings.data_dir / "index"),
        "p50_ms": statistics.median(percentile(ms, 0.5) for ms in every),
        "p95_ms": statistics.median(percentile(ms, 0.95) for ms in every),
        "max_ms": statistics.median(max(ms) for ms in every),
        "p95_ms_by_kind": {
            kind: statistics.median(percentile(timings[kind], 0.95) for timings in passes) for kind in QUERY_KINDS
        },
        "median_matches": statistics.median(totals),
        "matches_by_kind": {
            kind: statistics.median(total for (k, _q), total in zip(queries, totals, strict=True) if k == kind)
            for kind in QUERY_KINDS
        },
    }


# --- 3. reindex ------------------------------------------------------------------------------

REINDEX_ITEMS = 100_000  # RADAR_BENCH_REINDEX_ITEMS; measured at a quarter of it and at all of it
STORE_BATCH = 1_000
REINDEX_TARGET_S = 300
MILLION = 1_000_000
MEMORY_TARGET_MB = 1000


def reindex_child(data_dir: str) -> dict[str, Any]:
    """Child mode: `radar reindex` on the store in `data_dir` (the rebuild, then the comparison
    with the store and the outbox emptied: the first run at each size finds every item waiting,
    as after `radar import`); its time and peak memory."""
    from index.rebuild import rebuild_index
    from radar.engines import open_search_engine, open_store
    from radar.settings import Settings

    settings = Settings(data_dir=Path(data_dir), database_url=None, elasticsearch_url=None)
    store, engine = open_store(settings), open_search_engine(settings)
    with MemorySampler() as memory:
        began = time.perf_counter()
        count = rebuild_index(store, engine).items
        seconds = time.perf_counter() - began
        engine.close()
        store.close()
    return {"items": count, "seconds": seconds, "items_per_s": count / seconds, **memory.figures()}


def reindex_figures(workdir: Path, count: int) -> dict[str, Any]:
    """Fill an SQLite store (SqlStore.upsert, STORE_BATCH at a time) to a quarter of `count`, then
    to `count`; at each size, RUNS rebuilds in fresh processes."""
    from itertools import islice

    from radar.engines import open_store
    from radar.settings import Settings

    settings = Settings(data_dir=workdir / "reindex", database_url=None, elasticsearch_url=None)
    store = open_store(settings)
    items = ItemGenerator(seed=7).items(count)
    stored, fill_seconds = 0, 0.0
    sizes: dict[int, dict[str, Any]] = {}
    for size in (count // 4, count):
        began = time.perf_counter()
        while stored < size:
            batch = [stored_item(item) for item in islice(items, min(STORE_BATCH, size - stored))]
            store.upsert(batch)
            stored += len(batch)
        fill_seconds += time.perf_counter() - began
        runs = [child("reindex-child", str(settings.data_dir)) for _ in range(RUNS)]
        sizes[size] = {
            "runs": runs,
            "items_per_s": median_of(runs, "items_per_s"),
            "seconds": median_of(runs, "seconds"),
            **memory_medians(runs),
        }
    limited = limited_run(("reindex-child", str(settings.data_dir)), MEMORY_TARGET_MB)
    store.close()
    rate = sizes[count]["items_per_s"]
    return {
        "items": count,
        "sizes": sizes,
        "under_limit": limited,
        "store_items_per_s": count / fill_seconds,
        "store_mb": disk_mb(settings.data_dir) - disk_mb(settings.data_dir / "index"),
        "index_mb": disk_mb(settings.data_dir / "index"),
        "million_s": MILLION / rate,
    }


# --- the figures -----------------------------------------------------------------------------


def main() -> None:
    began = time.perf_counter()
    search_items = int(os.environ.get("RADAR_BENCH_ITEMS") or SEARCH_ITEMS)
    reindex_items = int(os.environ.get("RADAR_BENCH_REINDEX_ITEMS") or REINDEX_ITEMS)
    workdir = Path(tempfile.mkdtemp(prefix="radar-index-bench-"))
    parts = (os.environ.get("RADAR_BENCH_PARTS") or "ingest,search,reindex").split(",")
    figures: dict[str, Any] = {}
    try:
        if "ingest" in parts:
            figures["ingest"] = ingest = ingest_figures(workdir)
            print(ingest_lines(ingest), flush=True)
        if "search" in parts:
            figures["search"] = search = search_figures(workdir, search_items)
            print(search_lines(search), flush=True)
            shutil.rmtree(workdir / "search", ignore_errors=True)
        if "reindex" in parts:
            figures["reindex"] = reindex = reindex_figures(workdir, reindex_items)
            print(reindex_lines(reindex), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures["bench_s"] = time.perf_counter() - began
    results = save_figures(f"index_speed{'' if len(parts) == 3 else '-' + '-'.join(parts)}", figures)
    print(f"(index bench: {figures['bench_s'] / 60:.1f} min; figures in bench/results/{results.name})")


def ingest_lines(ingest: dict[str, Any]) -> str:
    shares = ", ".join(f"{name} {share:.0%}" for name, share in ingest["stage_share"].items())
    long = ingest["long"]
    rates = [run["items_per_s"] for run in ingest["runs"]]
    lines = [
        f"ingest end to end (tag, store, index; SQLite + tantivy): {ingest['items_per_s']:,.0f} items of {WORDS} "
        f"words/s (median of {RUNS} fresh processes of {ingest['items']:,}; "
        f"min {min(rates):,.0f}, max {max(rates):,.0f}; "
        f"target >= {INGEST_TARGET}); time: {shares}",
        f"ingest peak resident memory (VmHWM): {memory_text(ingest)} over {ingest['items']:,} items, "
        f"{memory_text(long)} over {long['items']:,} (at {long['items_per_s']:,.0f} items/s) "
        f"(target <= {MEMORY_TARGET_MB} MB, flat)",
        limited_line(ingest.get("long_limited"), f"ingest of {long['items']:,} items (tagging worker included)"),
    ]
    if "profile" in ingest:
        top = "; ".join(f"{name} {seconds:.1f} s" for name, seconds in ingest["profile"]["top_own_time"][:4])
        lines.append(f"ingest profile (own time, {ingest['items']:,} items; bench/results/{PROFILE_FILE.name}): {top}")
    return "\n".join(lines)


def search_lines(search: dict[str, Any]) -> str:
    kinds = ", ".join(f"{kind} {ms:.0f}" for kind, ms in search["p95_ms_by_kind"].items())
    return "\n".join(
        [
            f"search, ranked top 20 with all facets, {search['items']:,} items: p50 {search['p50_ms']:.1f} ms, "
            f"p95 {search['p95_ms']:.1f} ms, max {search['max_ms']:.0f} ms over {search['queries']} queries "
            f"(median of {PASSES} passes; target p95 <= {SEARCH_TARGET_MS} ms at 1,000,000); p95 by kind, ms: {kinds}",
            f"search index of {search['items']:,} items: {search['index_mb']:,.0f} MB on disk "
            f"(built at {search['build_items_per_s']:,.0f} items/s, generation included)",
        ]
    )


def reindex_lines(reindex: dict[str, Any]) -> str:
    small, large = (reindex["sizes"][size] for size in sorted(reindex["sizes"]))
    small_n, large_n = sorted(reindex["sizes"])
    return "\n".join(
        [
            f"reindex from the SQLite store: {large['seconds']:.0f} s for {large_n:,} items "
            f"({large['items_per_s']:,.0f} items/s, median of {RUNS}); 1,000,000 items extrapolated: "
            f"{reindex['million_s'] / 60:.1f} min (target <= {REINDEX_TARGET_S // 60} min)",
            f"reindex peak resident memory (VmHWM): {memory_text(small)} at {small_n:,} items, "
            f"{memory_text(large)} at {large_n:,} (target <= {MEMORY_TARGET_MB} MB, flat)",
            limited_line(reindex.get("under_limit"), f"reindex of {large_n:,} items"),
            f"(store for the reindex filled by SqlStore.upsert at {reindex['store_items_per_s']:,.0f} items/s: "
            f"{reindex['store_mb']:,.0f} MB of SQLite for {large_n:,} items)",
        ]
    )


def limited_line(limited: dict[str, Any] | None, what: str) -> str:
    if limited is None:
        return f"{what} under a {MEMORY_TARGET_MB} MB memory limit: not measured (no writable cgroup v1 memory group)"
    if "failed" in limited:
        return f"{what} under a {limited['limit_mb']} MB memory limit: FAILED ({limited['failed']})"
    return (
        f"{what} inside a {limited['limit_mb']} MB memory cgroup (mapped index pages reclaimed at the limit): "
        f"completed in {limited['seconds']:.0f} s, group peak {limited['group_peak_mb']:,.0f} MB, "
        f"process anonymous peak {limited['peak_anon_mb']:,.0f} MB"
    )


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {"ingest-child": ingest_child, "reindex-child": reindex_child}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(CHILDREN[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
