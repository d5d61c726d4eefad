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

_CHILD = """
import json, resource, sys, time
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
print(json.dumps({"first_item_s": first, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def english_items(count: int, words: int) -> list[dict]:
    """Items of about `words` words, stitched from real English item texts."""
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
        items.append(
            {
                "id": str(number),
                "title": title,
                "text": " ".join(body[:words]),
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
    rates = [throughput(items) for _ in range(RUNS)]
    print(
        f"tagger, batch mode, one process: {statistics.median(rates):,.0f} English items of {WORDS} words/s "
        f"(median of {RUNS} runs of {ITEMS}; min {min(rates):,.0f}, max {max(rates):,.0f}; target >= 500)"
    )
    batch = ROOT / "bench" / "results" / "items.jsonl"
    batch.parent.mkdir(exist_ok=True)
    batch.write_text("".join(json.dumps(item) + "\n" for item in items[:500]), encoding="utf-8")
    starts, rss = [], []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, json.dumps(items[0]), str(batch)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        figures = json.loads(out.stdout)
        starts.append(figures["first_item_s"])
        rss.append(figures["max_rss_mb"])
    print(
        f"cold start to the first tagged item: {statistics.median(starts):.2f} s "
        f"(median of {RUNS} fresh processes; target < 2 s)"
    )
    print(f"resident memory after 500 items: {statistics.median(rss):.0f} MB (median; target <= 400 MB)")


if __name__ == "__main__":
    main()
