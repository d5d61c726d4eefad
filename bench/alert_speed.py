"""Alert matching speed: `make bench`.

Issue 6's target, measured and never asserted: 10,000 subscriptions against 1,000 new items in
at most 2 s on this machine.

The subscriptions are distinct saved searches of the kinds a policy team keeps (bench data,
seeded): a third filters only (one or two countries, one or two harm areas, sometimes a document
type), half a query of one to three words or a phrase with filters, the rest a query alone
(policy terms that expand to other languages, CJK words, OR and NOT). Their query texts are
almost all distinct, so each is run on the batch (no help from repeats). The items are
bench/synthetic_items.py's (the index bench's mix of languages, harm areas and syndicated copies).

Figures (medians of RUNS runs): building the percolator (parsing and compiling every query),
matching the batch, and the whole `match_pending` into a real SQLite store (reading the outbox,
matching, recording the alerts and their deliveries, clearing the outbox), with the matches and
alerts counted. Written to bench/results/alert_speed.json.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from alerts.matching import Percolator
from alerts.runner import match_pending
from bench.index_speed import CJK_WORDS, EXPANDED
from bench.measuring import save_figures
from bench.synthetic_items import HARM_TERMS, ItemGenerator, english_vocabulary, stored_item
from index.search.expansion import Equivalents
from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscription, Subscriptions
from radar.engines import EQUIVALENTS_FILE

SUBSCRIPTIONS = 10_000
ITEMS = 1_000
RUNS = 5
TARGET_S = 2.0
COUNTRIES = ("AU", "SG", "MY", "ID", "PH", "TH", "VN", "JP", "KR", "IN", "NZ", "TW", "HK", "CN")
DOC_TYPES = ("consultation", "legislation", "regulation", "enforcement", "guidance", "press_release")


def subscriptions(count: int, seed: int = 7) -> list[NewSubscription]:
    rng = random.Random(seed)
    words = english_vocabulary().words
    policy = [term for terms in HARM_TERMS.values() for term in terms]
    harms = tuple(HARM_TERMS)
    made = []
    for number in range(count):
        kind = rng.random()
        filters: dict[str, tuple[str, ...]] = {}
        if kind < 0.85:
            filters["jurisdictions"] = tuple(rng.sample(COUNTRIES, rng.choice((1, 1, 2))))
            filters["harm_areas"] = tuple(rng.sample(harms, rng.choice((1, 1, 2))))
            if rng.random() < 0.3:
                filters["doc_types"] = (rng.choice(DOC_TYPES),)
        query = ""
        if kind >= 0.33:
            shape = rng.random()
            if shape < 0.4:
                query = " ".join(rng.sample(words[:2000], rng.choice((1, 2, 3))))
            elif shape < 0.6:
                query = f'"{rng.choice(policy)}"'
            elif shape < 0.75:
                query = f"{rng.choice(policy)} OR {rng.choice(words[:3000])}"
            elif shape < 0.85:
                query = f"{rng.choice(words[:2000])} NOT {rng.choice(words[:2000])}"
            elif shape < 0.93:
                query = rng.choice(EXPANDED)
            else:
                query = rng.choice(CJK_WORDS[rng.choice(tuple(CJK_WORDS))])
            if kind >= 0.85 and not query.strip():
                query = rng.choice(policy)
        made.append(
            NewSubscription(name=f"bench {number}", query=query, channels=("email:lead@example.org",), **filters)  # type: ignore[arg-type]
        )
    return made


def main() -> None:
    equivalents = Equivalents.from_file(EQUIVALENTS_FILE)
    made_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    wanted = subscriptions(SUBSCRIPTIONS)
    batch = [stored_item(item) for item in ItemGenerator(seed=11).items(ITEMS)]
    kept = [Subscription(id=n, created_at=made_at, **vars(s)) for n, s in enumerate(wanted, start=1)]
    distinct = len({s.query for s in kept if s.query})
    builds, matches_s, totals, counts = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="radar-alert-bench-") as work:
        for run in range(RUNS):
            began = time.perf_counter()
            percolator = Percolator(kept, equivalents)
            built = time.perf_counter()
            found = percolator.match(batch)
            builds.append(built - began)
            matches_s.append(time.perf_counter() - built)
            counts.append(len(found))
            store = SqlStore.open(None, Path(work) / f"run-{run}")
            book = Subscriptions(store.engine)
            for new in wanted:
                book.add(new, None, made_at)
            store.upsert(batch)
            began = time.perf_counter()
            report = match_pending(store, dt.datetime.now(dt.UTC), equivalents)
            totals.append(time.perf_counter() - began)
            store.close()
    figures = {
        "subscriptions": SUBSCRIPTIONS,
        "distinct_queries": distinct,
        "items": ITEMS,
        "runs": RUNS,
        "matches": statistics.median(counts),
        "alerts_recorded": report.alerts,
        "percolator_build_s": round(statistics.median(builds), 3),
        "match_s": round(statistics.median(matches_s), 3),
        "match_pending_s": round(statistics.median(totals), 3),
        "target_s": TARGET_S,
    }
    save_figures("alert_speed", figures)
    print(
        f"alert matching: {SUBSCRIPTIONS} subscriptions ({distinct} distinct queries) x {ITEMS} items: "
        f"build {figures['percolator_build_s']} s, match {figures['match_s']} s, "
        f"whole match_pending (store read, match, record) {figures['match_pending_s']} s "
        f"(target {TARGET_S} s); {figures['matches']} matches, {report.alerts} alerts (medians of {RUNS})"
    )


if __name__ == "__main__":
    main()
