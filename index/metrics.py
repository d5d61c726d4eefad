"""The tracker's Prometheus metrics: what each process has counted since it started.

Every metric is defined here, in `index/`, because the stages that count import `index/` already
and nothing after it: the crawl pass (crawlers/crawl.py ingests through index.ingest), ingest
(index/ingest.py), alert delivery (alerts/delivery.py) and the API's middleware
(api/http_metrics.py). A module in `radar/` or `api/` would make the earlier stages import a later one.

Defining them is the only thing done at import: prometheus_client registers a metric with a
registry when it is made, so the metrics are made once, with the module, on `REGISTRY`, a
registry of our own (the library's global one is left alone, so importing this module touches
no other code's state). Counting itself is a lock and an addition, cheap enough for every item.

Counters are per process: `radar up` counts its crawls, deliveries and requests in the one
process that serves /metrics; beside `radar serve`, `radar scheduler` serves its own on
RADAR_METRICS_PORT. The queues are not counted here: /metrics reads them from the store when
scraped (index/store/queues.py), so every process sees the same figures."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)

# The process's CPU, memory and open files (process_*), read from /proc when scraped.
ProcessCollector(registry=REGISTRY)

INGEST_OUTCOMES = ("new", "updated", "unchanged", "rejected")
ITEMS_INGESTED = Counter(
    "radar_items_ingested",
    "Items through ingest (radar ingest and crawls), by outcome: new, updated, unchanged, rejected.",
    ["outcome"],
    registry=REGISTRY,
)

CRAWL_ERRORS = Counter(
    "radar_crawl_errors",
    "Crawl failures by class (dns, timeout, server, ...) and scope: 'source' for a source's pass that failed, "
    "'page' for one page of a source (an article, a listing's next page), 'pass' for a crawl process that died.",
    ["error_class", "scope"],
    registry=REGISTRY,
)

DELIVERY_OUTCOMES = ("sent", "failed", "abandoned")
ALERT_MESSAGES = Counter(
    "radar_alert_messages",
    "Alert messages (an instant alert or a digest part: one delivery per alert it carries) by channel kind "
    "(email, webhook, ...) and outcome: sent, failed (to be retried), abandoned.",
    ["channel", "outcome"],
    registry=REGISTRY,
)

HTTP_REQUESTS = Counter(
    "radar_http_requests",
    "HTTP requests answered, by method, route template (such as /api/items/{item_id}) and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "radar_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)

# Every outcome shows from the start (at 0): a rate over a series that appears late misses its first step.
for _outcome in INGEST_OUTCOMES:
    ITEMS_INGESTED.labels(_outcome)


def count_ingested(outcome: str, amount: int = 1) -> None:
    """Count `amount` items through ingest with `outcome` (one of INGEST_OUTCOMES)."""
    if amount:
        ITEMS_INGESTED.labels(outcome).inc(amount)


def count_crawl_error(error_class: str, scope: str) -> None:
    """Count one crawl failure of `error_class`, of a whole source's pass or of one page."""
    CRAWL_ERRORS.labels(error_class, scope).inc()


def count_alert_message(channel: str, outcome: str) -> None:
    """Count one alert message on `channel` (its kind is what comes before the colon: never the
    address, which may hold a webhook's secret path) that was sent, failed or abandoned."""
    ALERT_MESSAGES.labels(channel.partition(":")[0], outcome).inc()
