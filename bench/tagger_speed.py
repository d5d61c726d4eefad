"""Tagger speed, cold start and memory: `make bench`.

Figures are medians over several runs (these machines are shared and noisy). Nothing here
is asserted; the targets are in the README of the tagger issue: 500 English items of about
600 words per second on one core, a cold start under 2 s, at most 400 MB resident.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT / "tests" / "nlp" / "data" / "holdout.jsonl"]
ITEMS = 2000
WORDS = 600
RUNS = 5
LONG_RUN = 8000

_CHILD = """
import json, sys, time
start = time.perf_counter()
from nlp.items import ItemIn
from nlp.tagger import Tagger
tagger = Tagger()
item = ItemIn.from_json(json.loads(sys.argv[1]))
tagger.tag(item)
first = time.perf_counter() - start
items = [ItemIn.from_json(json.loads(line)) for line in open(sys.argv[2], encoding="utf-8")]
for _ in tagger.tag_many(items):
    pass
# VmHWM is this process's own peak; ru_maxrss would include the parent's peak from before exec.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"first_item_s": first, "max_rss_mb": peak_kb / 1024}))
"""


def english_items(count: int, words: int, unseen_share: float = 0.0) -> list[dict]:
    """Items of about `words` words, stitched from real English item texts. A share of the
    words can be made unseen (a suffix unique to the item), as a crawl's names and numbers are,
    so that the tokenizer's cache does not flatter the figure."""
    texts = []
    for source in SOURCES:
        if source.exists():
            for line in source.read_text(encoding="utf-8").splitlines():
                obj = json.loads(line)
                if obj.get("lang") == "en":
                    texts.append((obj["title"], obj["text"], obj.get("source_kind")))
    if not texts:
        sys.exit("bench: no English items found in " + ", ".join(map(str, SOURCES)))
    rng = random.Random(7)
    items = []
    for number in range(count):
        title, text, kind = rng.choice(texts)
        body = text.split()
        while len(body) < words:
            body += rng.choice(texts)[1].split()
        body = [f"{w}{number}" if rng.random() < unseen_share else w for w in body[:words]]
        items.append(
            {
                "id": str(number),
                "title": title,
                "text": " ".join(body),
                "lang": "en",
                "source_kind": kind,
                "published": "2025-06-01",
            }
        )
    return items


def throughput(items: list[dict]) -> float:
    from nlp.items import ItemIn
    from nlp.tagger import Tagger

    tagger = Tagger()
    parsed = [ItemIn.from_json(item) for item in items]
    tagger.tag(parsed[0])  # build the English pipeline outside the timed part
    start = time.perf_counter()
    for _ in tagger.tag_many(parsed):
        pass
    return len(parsed) / (time.perf_counter() - start)


def main() -> None:
    items = english_items(ITEMS, WORDS)
    for label, batch_items in (("", items), (", 20% of words unseen", english_items(ITEMS, WORDS, 0.2))):
        rates = [throughput(batch_items) for _ in range(RUNS)]
        print(
            f"tagger, batch mode, one process{label}: {statistics.median(rates):,.0f} English items of {WORDS} "
            f"words/s (median of {RUNS} runs of {ITEMS}; min {min(rates):,.0f}, max {max(rates):,.0f}; target >= 500)"
        )
    batch = write_items("items.jsonl", items[:500])
    starts, rss = [], []
    for _ in range(RUNS):
        figures = child(items[0], batch)
        starts.append(figures["first_item_s"])
        rss.append(figures["max_rss_mb"])
    print(
        f"cold start to the first tagged item: {statistics.median(starts):.2f} s "
        f"(median of {RUNS} fresh processes; target < 2 s)"
    )
    print(f"peak resident memory over 500 items: {statistics.median(rss):.0f} MB (median; target <= 400 MB)")
    long_run = write_items("long-run.jsonl", english_items(LONG_RUN, WORDS, 0.2))
    peak = child(items[0], long_run)["max_rss_mb"]
    print(f"peak resident memory over {LONG_RUN:,} items with 20% of words unseen: {peak:.0f} MB (target <= 400 MB)")


def write_items(name: str, items: list[dict]) -> Path:
    path = ROOT / "bench" / "results" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def child(first: dict, batch: Path) -> dict:
    """Tag `first`, then every item of `batch`, in a fresh process; its timings and peak memory."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(first), str(batch)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout)


if __name__ == "__main__":
    main()
