"""Store engines and item factories for the store's tests.

Every store test runs on SQLite (a file in the test's tmp_path) and, when
RADAR_TEST_DATABASE_URL points at a PostgreSQL database (`eval "$(scripts/ci-postgres.sh)"`),
on PostgreSQL too, each test in a schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from index.records import StoredItem
from index.store.content import content_hash
from index.store.engine import store_url
from index.store.sql_store import SqlStore

POSTGRES_ENV = "RADAR_TEST_DATABASE_URL"
ENGINES = ("sqlite", "postgresql")

# Plain words for synthetic articles: enough of them that two unrelated texts share few 3-word runs.
WORDS = (  # noqa: SIM905 (a paragraph of words reads better than a column of them)
    "online safety regulator platform children age assurance minister parliament bill law code scam "
    "fraud deepfake harm content report commissioner consultation industry standard privacy data "
    "protection police court penalty fine social media account user teen school parent guidance "
    "framework review inquiry submission public notice enforcement compliance audit risk design "
    "service provider search engine app store message encryption image video livestream gambling "
    "advert election misinformation hate speech terrorism extremism cyberbullying grooming abuse "
    "victim support helpline budget funding agency ministry department office senate committee "
    "hearing evidence witness expert academic researcher survey study finding percent year month "
    "week today announced said warned urged called proposed passed amended delayed rejected adopted"
).split()


def article(seed: int, words: int = 300) -> str:
    """A synthetic article of `words` words, the same for the same seed, in sentences."""
    rng = random.Random(seed)
    out = []
    for index in range(words):
        word = rng.choice(WORDS)
        out.append(word.capitalize() if index % 12 == 0 else word)
        if index % 12 == 11:
            out[-1] += "."
    return " ".join(out) + "."


def reworded(text: str, seed: int, every: int = 25) -> str:
    """A copy of `text` as another outlet runs it: one word in `every` replaced, a line added."""
    rng = random.Random(seed)
    words = text.split()
    for index in range(rng.randrange(every), len(words), every):
        words[index] = rng.choice(WORDS)
    return " ".join(words) + " Reporting by a wire service."


def make_item(id: str = "item-1", **fields: Any) -> StoredItem:
    """A stored item with plausible defaults; any field can be given. The content hash follows
    the title and text unless given."""
    title = fields.pop("title", f"Regulator announces new online safety code ({id})")
    body = fields.pop("text", article(hash_seed(id)))
    values: dict[str, Any] = {
        "id": id,
        "url": f"https://www.example.gov.au/news/{id}",
        "title": title,
        "text": body,
        "language": "en",
        "source": "example-regulator",
        "source_kind": "regulator",
        "published_at": dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC),
        "fetched_at": dt.datetime(2025, 3, 2, 12, 0, 0, 123456, tzinfo=dt.UTC),
        "content_hash": fields.pop("content_hash") if "content_hash" in fields else content_hash(title, body),
        "harm_areas": ("age_assurance", "child_safety"),
        "jurisdictions": ("AU",),
        "mentioned_jurisdictions": ("SG", "GB"),
        "doc_type": "press_release",
        "stakeholders": ("eSafety Commissioner", "Minister for Communications"),
        "dates": ({"date": "2025-12-10", "kind": "effective", "text": "10 December 2025"},),
        "evidence": {"harm_areas": {"age_assurance": ["age assurance"]}, "jurisdictions": {"AU": ["Australia"]}},
        "story_id": "",
        "version": 1,
    }
    values.update(fields)
    return StoredItem(**values)


def with_content(item: StoredItem, title: str | None = None, text: str | None = None, **fields: Any) -> StoredItem:
    """The item with a new title and/or text (and its hash to match)."""
    title = item.title if title is None else title
    text = item.text if text is None else text
    return dataclasses.replace(item, title=title, text=text, content_hash=content_hash(title, text), **fields)


def hash_seed(value: str) -> int:
    return int.from_bytes(value.encode("utf-8")[:8].ljust(8, b"\0"), "big") ^ len(value)


@dataclasses.dataclass
class StoreEngine:
    """Where a test's store lives: `open()` gives a new SqlStore on it (call it again to reopen)."""

    name: str
    url: str | None
    data_dir: Path
    opened: list[SqlStore] = dataclasses.field(default_factory=list)

    def open(self) -> SqlStore:
        store = SqlStore.open(self.url, self.data_dir)
        self.opened.append(store)
        return store

    def engine_url(self) -> str:
        return store_url(self.url, self.data_dir).render_as_string(hide_password=False)


@pytest.fixture(params=ENGINES)
def store_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreEngine]:
    """Each store engine available, empty."""
    if request.param == "sqlite":
        engine = StoreEngine("sqlite", None, tmp_path / "data")
        yield engine
        for store in engine.opened:
            store.close()
        return
    yield from _postgres_engine(tmp_path)


def _postgres_engine(tmp_path: Path) -> Iterator[StoreEngine]:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f'PostgreSQL store tests need {POSTGRES_ENV} (run: eval "$(scripts/ci-postgres.sh)")')
    schema = f"radar_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(store_url(url, tmp_path))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = StoreEngine("postgresql", scoped.render_as_string(hide_password=False), tmp_path / "data")
    try:
        yield engine
    finally:
        for store in engine.opened:
            store.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_engine: StoreEngine) -> SqlStore:
    """A fresh, empty store on each available engine."""
    return store_engine.open()


@pytest.fixture
def items_factory() -> Callable[..., StoredItem]:
    return make_item
