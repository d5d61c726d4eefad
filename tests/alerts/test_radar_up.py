"""Under `radar up`, an item ingested reaches an instant subscriber's inbox on its own: the
tracker as a user runs it (real processes), an SMTP server on loopback as its relay."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from index.store.sql_store import SqlStore
from index.store.subscriptions import NewSubscription, Subscriptions
from tests.alerts.receivers import SmtpServer
from tests.radar.test_cli import RADAR, ROOT
from tests.scheduler.conftest import write_registry
from tests.scheduler.test_commands import environment, free_port, running

ITEM = {
    "url": "https://www.esafety.gov.au/newsroom/media-releases/age-assurance-consultation",
    "title": "eSafety opens consultation on age assurance codes for social media",
    "text": (
        "Australia's eSafety Commissioner today opened a public consultation on industry codes requiring "
        "age assurance on social media platforms to protect children online. Submissions close on "
        "30 January 2026."
    ),
    "published": "2025-11-20",
    "source": "au-esafety",
    "source_kind": "regulator",
}


def test_an_item_ingested_under_radar_up_reaches_the_subscribers_inbox(tmp_path: Path, smtp_server: SmtpServer) -> None:
    registry = write_registry(
        tmp_path / "sources.yaml", {"id": "sg-quiet", "url": "https://example.org/feed.xml", "enabled": False}
    )
    env = {
        **environment(tmp_path, registry),
        "RADAR_SMTP_HOST": smtp_server.host,
        "RADAR_SMTP_PORT": str(smtp_server.port),
    }
    store = SqlStore.open(None, tmp_path / "data")
    Subscriptions(store.engine).add(
        NewSubscription(name="AU age assurance", jurisdictions=("AU",), channels=("email:lead@example.org",)),
        None,
        dt.datetime.now(dt.UTC),
    )
    store.close()
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps(ITEM) + "\n", encoding="utf-8")

    with running("up", "--port", str(free_port()), env=env) as up:
        up.wait_for_line("scheduler started")
        ingested = subprocess.run(
            [*RADAR, "ingest", str(items)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert ingested.returncode == 0, ingested.stderr
        (mail,) = smtp_server.wait_for(1, timeout=90)  # the alerts job runs every 20 s
        assert ITEM["title"] in mail.get_body(("plain",)).get_content()
        up.wait_for_line("1 messages sent")
        assert up.stop() == 0
