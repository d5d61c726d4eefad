"""GET /metrics (admins; on loopback without accounts, the local person as everywhere else): this
process's counters and the store's queues in Prometheus' text format.

Prometheus scrapes it with an admin's API token (`authorization: {credentials: <token>}` in its
scrape config): one rule for every route, rather than a scrape secret of its own. Left out of the
OpenAPI schema: it is Prometheus' format, not the JSON API's.

What it holds (index/metrics.py): items through ingest by outcome, crawl failures by class,
alert messages by channel kind and outcome, HTTP requests by route and status with their
latency, the process's CPU and memory; and, read from the store when scraped, the items waiting
for the index and for the alerts and the deliveries not yet sent, by status."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from api.access import Admin
from index.metrics import REGISTRY
from index.store.queues import QueueLengths, queue_lengths

router = APIRouter(tags=["metrics"])


class Scrape(Collector):
    """What one scrape exposes: the process's metrics, then the queues as the store has them now."""

    def __init__(self, queues: QueueLengths) -> None:
        self.queues = queues

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()
        yield from queue_families(self.queues)


def queue_families(queues: QueueLengths) -> Iterable[Metric]:
    outboxes = GaugeMetricFamily(
        "radar_outbox_items",
        "Item versions stored and waiting: for the search index (index) or for the alerts' matching (alerts).",
        labels=["outbox"],
    )
    outboxes.add_metric(["index"], queues.index_pending)
    outboxes.add_metric(["alerts"], queues.alert_pending)
    deliveries = GaugeMetricFamily(
        "radar_alert_deliveries",
        "Alert deliveries not sent, by status: pending (not yet due or due), sending (leased), failed (to be "
        "retried), abandoned (given up).",
        labels=["status"],
    )
    for status, count in queues.deliveries.items():
        deliveries.add_metric([status], count)
    return [outboxes, deliveries]


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, _admin: Admin) -> Response:
    queues = queue_lengths(request.app.state.store().engine)
    return Response(generate_latest(Scrape(queues)), media_type=CONTENT_TYPE_PLAIN_0_0_4)
