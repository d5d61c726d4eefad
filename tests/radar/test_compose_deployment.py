"""The deployment docker-compose.yml describes, run as its processes (no Docker engine runs here):
on a fresh PostgreSQL database, the first admin made as the README's "Running at scale" says, then
the api's and the scheduler's own commands started at once (both migrate the empty store), each
judged healthy by its own health check as Compose runs it, a source crawled by the scheduler and
found through the api, and both stopped by SIGTERM as `docker compose stop` stops them.

The index is tantivy in the data directory the two share (the compose file's volume): no
Elasticsearch cluster runs here, and the engine's contract tests hold it to what tantivy does
whenever RADAR_ELASTICSEARCH_URL points at one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
import yaml
from sqlalchemy.engine import make_url

from tests.crawlers.site import Route, Site
from tests.crawlers.test_crawl import rss
from tests.radar.test_cli import RADAR, ROOT
from tests.scheduler.conftest import site, write_registry  # noqa: F401 (the site fixture)
from tests.scheduler.test_commands import environment, free_port, running
from tests.scheduler.test_jobs import ARTICLE

SERVER = os.environ.get("RADAR_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="RADAR_TEST_DATABASE_URL is not set: no PostgreSQL to deploy on")
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """An empty database of its own on the test server, as the postgres service starts with."""
    assert SERVER is not None
    name = f"radar_deploy_{os.getpid()}"
    admin = sqlalchemy.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    yield make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


def service(name: str) -> dict[str, Any]:
    return COMPOSE["services"][name]


def radar_command(name: str) -> list[str]:
    """The service's command, with this checkout's `radar` for the image's."""
    command = service(name)["command"]
    assert command[0] == "radar"
    return command[1:]


def health_check(name: str, port: int, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The service's health check, run once as Compose runs it in the container (its `python`
    this interpreter, the api's port the one this test serves on)."""
    kind, program, *arguments = service(name)["healthcheck"]["test"]
    assert (kind, program) == ("CMD", "python")
    arguments = [argument.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for argument in arguments]
    return subprocess.run([sys.executable, *arguments], env=env, capture_output=True, text=True, timeout=60)


def first_crawled_at_once(prefix: str) -> str:
    """A source id whose first crawl, on a one-minute interval, comes within 3 s of the start
    (scheduler/plan.py spreads first crawls by a hash of the id)."""
    return next(f"{prefix}-{n}" for n in range(1000) if zlib.crc32(f"{prefix}-{n}".encode()) % 60 < 3)


def test_the_compose_services_run_as_their_processes(
    site: Site,  # noqa: F811 (the fixture)
    tmp_path: Path,
    fresh_database: str,
) -> None:
    site.routes["/feed.xml"] = Route(rss(site.url, "/news/1"), "application/rss+xml")
    site.routes["/news/1"] = Route(ARTICLE)
    source = first_crawled_at_once("sg-reg")
    registry = write_registry(
        tmp_path / "sources.yaml", {"id": source, "url": f"{site.url}/feed.xml", "interval_minutes": 1}
    )
    # The compose file composes the database's URL from its password; here it is the fresh database.
    assert set(COMPOSE["x-radar"]["environment"]) == {"RADAR_DATABASE_URL", "RADAR_ELASTICSEARCH_URL"}
    env = {**environment(tmp_path, registry), "RADAR_DATABASE_URL": fresh_database, "RADAR_CRAWL_ALLOW_PRIVATE": "1"}

    # README: `docker compose run --rm api radar users add admin --role admin` before the first `up`.
    added = subprocess.run(
        [*RADAR, "users", "add", "admin", "--role", "admin"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()

    port = free_port()
    with (
        running(*radar_command("api"), "--port", str(port), env=env) as api,
        running(*radar_command("scheduler"), env=env) as scheduler,
    ):
        api.wait_for_line(f"Uvicorn running on http://0.0.0.0:{port}", timeout=120)
        scheduler.wait_for_line("scheduler started: 1 crawl jobs", timeout=120)
        for name in ("api", "scheduler"):
            checked = health_check(name, port, env)
            assert checked.returncode == 0, f"{name}: {checked.stderr}"

        scheduler.wait_for_line(f"crawl:{source}: fetched 2, 1 new", timeout=120)
        asked = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/search?q=advertisers", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(asked, timeout=30) as answer:
            found = json.load(answer)
        assert [(hit["url"], hit["source"]) for hit in found["items"]] == [(f"{site.url}/news/1", source)]
        with pytest.raises(urllib.error.HTTPError) as refused:  # on 0.0.0.0, nobody in without a token
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=advertisers", timeout=30)
        assert refused.value.code == 401

        assert (api.stop(), scheduler.stop()) == (0, 0)
    assert scheduler.lines[-1].endswith("scheduler: scheduler stopped")
    assert "Traceback" not in api.output + scheduler.output
