"""GET /metrics: Prometheus' text format, parsed by Prometheus' own client parser; the counters
move when items are ingested, pages fail to crawl, alerts are delivered and requests answered;
the queue gauges are the store's; admins only (or the local person); and `radar scheduler`
serves its own counters on RADAR_METRICS_PORT.

Counters belong to the process and the tests share one, so each test compares a scrape after
with a scrape before."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from alerts.runner import run_alerts
from crawlers.crawl import crawl_pass
from crawlers.registry import load_registry
from crawlers.state import CrawlState
from index.ingest import Ingester, IngestReport, read_ingest_lines
from index.store.models import subscriptions
from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscriptions
from nlp.tagger import Tagger
from radar.engines import open_search_engine, open_store
from tests.alerts.receivers import WebhookReceiver
from tests.api.conftest import EXAMPLES, bearer, settings_for
from tests.crawlers.site import Route, Site
from tests.radar.test_cli import RADAR, ROOT
from tests.scheduler.conftest import write_registry
from tests.scheduler.test_commands import environment, free_port, running

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]

FAMILIES = {
    "radar_items_ingested": "counter",
    "radar_crawl_errors": "counter",
    "radar_alert_messages": "counter",
    "radar_http_requests": "counter",
    "radar_http_request_duration_seconds": "histogram",
    "radar_outbox_items": "gauge",
    "radar_alert_deliveries": "gauge",
    "process_resident_memory_bytes": "gauge",
}


def parse(text: str) -> tuple[dict[str, str], Samples]:
    """(type of each family, value of each sample by name and labels) of an exposition."""
    types, samples = {}, {}
    for family in text_string_to_metric_families(text):
        types[family.name] = family.type
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return types, samples


def scrape(client: TestClient) -> Samples:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(answer.text)[1]


def value(samples: Samples, name: str, **labels: str) -> float:
    """A sample's value; 0 for a labelled series not counted yet."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


def test_the_exposition_parses_with_every_family_and_its_type(client_for: Callable[..., TestClient]) -> None:
    answer = client_for().get("/metrics")
    types, samples = parse(answer.text)
    assert {name: types.get(name) for name in FAMILIES} == FAMILIES
    for outcome in ("new", "updated", "unchanged", "rejected"):  # there from the start, at 0 or more
        assert ("radar_items_ingested_total", (("outcome", outcome),)) in samples
    assert value(samples, "process_resident_memory_bytes") > 0


def test_the_queue_gauges_are_the_stores(data_dir: Path, client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    store = open_store(settings_for(data_dir))
    try:
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            index_pending, alert_pending = conn.exec_driver_sql(
                "SELECT sum(index_pending), sum(alert_pending) FROM items"
            ).one()
    finally:
        store.close()
    samples = scrape(client)
    assert value(samples, "radar_outbox_items", outbox="index") == index_pending == 0  # ingest indexed them all
    assert value(samples, "radar_outbox_items", outbox="alerts") == alert_pending == 12  # the examples, unmatched
    for status in ("pending", "sending", "failed", "abandoned"):
        assert value(samples, "radar_alert_deliveries", status=status) == 0


def test_an_ingest_counts_its_items_by_outcome(
    data_dir: Path, client_for: Callable[..., TestClient], tagger: Tagger
) -> None:
    client = client_for()
    before = scrape(client)
    first, second = (json.loads(line) for line in EXAMPLES.read_bytes().splitlines()[:2])
    lines = [
        json.dumps(first).encode(),  # stored already, the same
        json.dumps({**second, "text": second["text"] + " The minister will report in June."}).encode(),
        json.dumps(
            {"url": "https://example.org/new", "title": "Scam ads rules", "text": "Rules on scam ads."}
        ).encode(),
        b"not JSON",
    ]
    settings = settings_for(data_dir)
    store, engine = open_store(settings), open_search_engine(settings)
    try:
        report = IngestReport()
        Ingester(tagger, store, engine).ingest(read_ingest_lines(lines, report), report)
    finally:
        engine.close()
        store.close()
    assert (report.new, report.updated, report.unchanged, len(report.rejected)) == (1, 1, 1, 1)
    after = scrape(client)
    for outcome in ("new", "updated", "unchanged", "rejected"):
        moved = value(after, "radar_items_ingested_total", outcome=outcome)
        assert moved - value(before, "radar_items_ingested_total", outcome=outcome) == 1, outcome
    assert value(after, "radar_outbox_items", outbox="alerts") == 12 + 1  # the new item (the changed one waited)


def test_deliveries_are_counted_by_channel_kind_and_outcome_and_waiting_ones_show(
    data_dir: Path, client_for: Callable[..., TestClient], webhook_receiver: WebhookReceiver
) -> None:
    client = client_for()
    # No SMTP relay: email fails, to be retried. The webhook receiver is on loopback, allowed here.
    settings = settings_for(data_dir, webhook_allow_private=True)
    store = SqlStore.open(None, data_dir)
    try:
        new = NewSubscription(name="AU", jurisdictions=("AU",), channels=("webhook:https://example.org/x",))
        # Made before the examples were stored, so they alert it.
        made = Subscriptions(store.engine).add(new, None, dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        # Subscriptions take https:// webhooks only; the receiver on loopback speaks plain HTTP.
        channels = [f"webhook:{webhook_receiver.url}/hook/s3cret", "email:ops@example.org"]
        with store.engine.begin() as conn:
            conn.execute(update(subscriptions).where(subscriptions.c.id == made.id).values(channels=channels))
    finally:
        store.close()
    before = scrape(client)

    run_alerts(settings, dt.datetime.now(dt.UTC))

    after = scrape(client)
    moved = {
        (channel, outcome): value(after, "radar_alert_messages_total", channel=channel, outcome=outcome)
        - value(before, "radar_alert_messages_total", channel=channel, outcome=outcome)
        for channel in ("webhook", "email")
        for outcome in ("sent", "failed", "abandoned")
    }
    assert len(webhook_receiver.requests) == 1
    assert moved == {
        ("webhook", "sent"): 1,
        ("webhook", "failed"): 0,
        ("webhook", "abandoned"): 0,
        ("email", "sent"): 0,
        ("email", "failed"): 1,
        ("email", "abandoned"): 0,
    }
    store = SqlStore.open(None, data_dir)
    try:
        with store.engine.connect() as conn:
            failed = conn.exec_driver_sql("SELECT count(*) FROM deliveries WHERE status = 'failed'").scalar_one()
    finally:
        store.close()
    assert failed >= 1
    assert value(after, "radar_alert_deliveries", status="failed") == failed
    assert value(after, "radar_outbox_items", outbox="alerts") == 0  # all matched
    assert "s3cret" not in client.get("/metrics").text  # a channel's kind, never its address


def test_crawl_failures_are_counted_by_class_and_scope(
    data_dir: Path, client_for: Callable[..., TestClient], tagger: Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_CRAWL_ALLOW_PRIVATE", "1")  # the fixture site is on loopback
    site = Site()
    try:
        feed = '<?xml version="1.0"?><rss version="2.0"><channel><title>Reg</title><item><title>Scam ads</title>'
        feed += f"<link>{site.url}/news/1</link></item></channel></rss>"
        site.routes["/feed.xml"] = Route(feed.encode(), "application/rss+xml")
        site.routes["/news/1"] = Route(b"broken", status=500)
        registry = data_dir.parent / "sources.yaml"
        base = {"name": "Example", "kind": "regulator", "jurisdiction": "SG", "language": "en", "family": "feed"}
        sources = [{**base, "id": "sg-ok", "url": f"{site.url}/feed.xml"}]
        sources += [{**base, "id": "sg-gone", "url": f"{site.url}/missing.xml"}]
        registry.write_text(yaml.safe_dump({"sources": sources}), encoding="utf-8")
        client = client_for()
        before = scrape(client)
        settings = settings_for(data_dir)
        store, engine = open_store(settings), open_search_engine(settings)
        try:
            state = CrawlState(store.engine)  # type: ignore[attr-defined]
            crawl_pass(load_registry(registry), state, Ingester(tagger, store, engine))
        finally:
            engine.close()
            store.close()
    finally:
        site.close()
    after = scrape(client)

    def moved(error_class: str, scope: str) -> float:
        labels = {"error_class": error_class, "scope": scope}
        return value(after, "radar_crawl_errors_total", **labels) - value(before, "radar_crawl_errors_total", **labels)

    assert moved("not_found", "source") == 1  # sg-gone's feed
    assert moved("server", "page") == 1  # sg-ok's article
    assert moved("server", "source") == 0


def test_requests_are_counted_by_route_template_and_status_and_timed(client_for: Callable[..., TestClient]) -> None:
    client = client_for()
    before = scrape(client)
    assert client.get("/api/items/no-such-item").status_code == 404
    assert client.get("/api/items/another-one").status_code == 404
    assert client.get("/no/such/page/at/all").status_code == 404
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("radar_http_requests_total", method="GET", route="/api/items/{item_id}", status="404") == 2
    assert moved("radar_http_requests_total", method="GET", route="(none)", status="404") == 1
    assert moved("radar_http_request_duration_seconds_count", method="GET", route="/api/items/{item_id}") == 2
    assert moved("radar_http_requests_total", method="GET", route="/metrics", status="200") == 1  # the first scrape
    assert not any("no-such-item" in str(labels) for _name, labels in after)  # never the path asked for


def test_admins_only_once_there_are_accounts(
    client_for: Callable[..., TestClient], add_user: Callable[[str, str], str]
) -> None:
    assert client_for().get("/metrics").status_code == 200  # loopback, no accounts: the local person
    editor, admin = add_user("ed", "editor"), add_user("ada", "admin")
    client = client_for()
    refused = client.get("/metrics")
    assert refused.status_code == 401 and "Log in first" in refused.json()["error"]  # JSON, not the login page
    assert client.get("/metrics", headers=bearer(editor)).status_code == 403
    assert client.get("/metrics", headers=bearer(admin)).status_code == 200


def test_served_beyond_loopback_without_accounts_nobody_reads_them(client_for: Callable[..., TestClient]) -> None:
    assert client_for(public=True).get("/metrics").status_code == 401


def test_radar_scheduler_serves_its_own_counters_on_radar_metrics_port(tmp_path: Path) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "http://127.0.0.1:9/feed.xml"})
    port = free_port()
    env = {**environment(tmp_path, registry), "RADAR_METRICS_PORT": str(port)}
    with running("scheduler", env=env) as scheduler:
        scheduler.wait_for_line(f"metrics served on http://127.0.0.1:{port}/metrics")
        scheduler.wait_for_line("scheduler started")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
            types, samples = parse(answer.read().decode())
        status = scheduler.stop()
    assert status == 0, scheduler.output
    assert types["radar_items_ingested"] == "counter" and types["radar_alert_messages"] == "counter"
    assert value(samples, "process_resident_memory_bytes") > 0
    assert "radar_outbox_items" not in types  # the store's queues are the web processes' to serve


def test_radar_scheduler_names_a_metrics_port_it_cannot_use(tmp_path: Path) -> None:
    registry = write_registry(tmp_path / "sources.yaml", {"id": "sg-reg", "url": "http://127.0.0.1:9/feed.xml"})
    env = {**environment(tmp_path, registry), "RADAR_METRICS_PORT": "lots"}
    done = subprocess.run([*RADAR, "scheduler"], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert done.returncode != 0
    assert "RADAR_METRICS_PORT must be a port, or HOST:PORT, such as 9101 or 0.0.0.0:9101" in done.stderr.decode()
