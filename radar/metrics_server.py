"""`radar scheduler`'s own /metrics: the counters of its process (crawls, ingest, deliveries; see
index/metrics.py) on RADAR_METRICS_PORT, since the web processes beside it count only their own.

prometheus_client's small HTTP server on a thread, listening on loopback unless RADAR_METRICS_PORT
names another address. It asks nobody who they are: it shows counts, never items or settings,
and the address is the rule (a Prometheus on the same host, or on a private network the operator
chooses). The queue gauges are the web processes' to serve (they read the store)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import start_http_server

from index.metrics import REGISTRY
from radar.settings import Settings

log = logging.getLogger("radar.metrics")


@contextmanager
def metrics_served(settings: Settings) -> Iterator[str | None]:
    """Serve this process's metrics at http://HOST:PORT/metrics while the block runs; its URL, or
    None when `settings.metrics_port` is unset. OSError when the address cannot be listened on."""
    if settings.metrics_port is None:
        yield None
        return
    server, thread = start_http_server(settings.metrics_port, settings.metrics_host, registry=REGISTRY)
    host, port = str(server.server_address[0]), server.server_address[1]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/metrics"
    log.info("metrics served on %s", url)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
