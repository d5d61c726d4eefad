"""Data for the figures', charts' and stakeholder directory's tests (briefings/figures.py,
briefings/stakeholders.py and the pages, API and commands over them): items at fixed dates
around NOW, copies of one story from several sources, and a data directory holding them in a
real store and tantivy index, as `radar ingest` would leave it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from index.records import StoredItem
from radar.engines import open_search_engine, open_store
from radar.settings import Settings
from tests.index.conftest import article, make_item, reworded

NOW = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.UTC)  # a Monday: ISO week 2025-W27
TODAY = NOW.date()
ESAFETY = "eSafety Commissioner"
HOSTILE_TITLE = "<script>alert('x')</script> Scam & fraud =HYPERLINK(\"http://evil\")"


def at(days_back: int, hour: int = 9) -> dt.datetime:
    """`days_back` days before NOW's day, at `hour` UTC."""
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_back), dt.time(hour), tzinfo=dt.UTC)


def item(
    item_id: str,
    published_at: dt.datetime | None,
    harm_areas: tuple[str, ...] = ("child_safety",),
    jurisdictions: tuple[str, ...] = ("AU",),
    **fields: Any,
) -> StoredItem:
    """An item of its own story (a text no other item shares), first fetched when published
    unless told, by default about child safety in Australia, naming nobody."""
    values: dict[str, Any] = {
        "text": article(zlib.crc32(item_id.encode()), words=120),
        "published_at": published_at,
        "fetched_at": published_at or NOW,
        "harm_areas": harm_areas,
        "jurisdictions": jurisdictions,
        "stakeholders": (),
        "source": "example-news",
        "source_kind": "news",
    }
    return make_item(item_id, **{**values, **fields})


def copy_of(original: StoredItem, item_id: str, source: str, **fields: Any) -> StoredItem:
    """The same story as another outlet runs it: a few words changed, another source and URL;
    the store groups it into the original's story."""
    text = reworded(original.text, zlib.crc32(item_id.encode()))
    return dataclasses.replace(
        make_item(item_id, title=original.title, text=text),
        **{
            **{name: getattr(original, name) for name in ("published_at", "fetched_at", "harm_areas")},
            **{name: getattr(original, name) for name in ("jurisdictions", "stakeholders", "doc_type")},
            "source": source,
            "url": f"https://{source}.example.org/{item_id}",
            **fields,
        },
    )


def weekly_items() -> list[StoredItem]:
    """Items over the five weeks before NOW and around them (see test_figures.py for the counts)."""
    story = item("story-au-1", at(2), ("child_safety",), ("AU",))
    return [
        story,
        copy_of(story, "story-au-2", "other-news"),
        copy_of(story, "story-au-3", "third-news"),
        item("au-nz-both", at(3), ("child_safety", "scams_fraud"), ("AU", "NZ")),
        item("sg-scams", at(9), ("scams_fraud",), ("SG",)),
        item("au-older", at(16), ("child_safety",), ("AU",)),
        item("undated", None, ("scams_fraud",), ("SG",), fetched_at=at(8)),
        item("off-topic", at(2), (), ("AU",)),
        item("nowhere", at(2), ("child_safety",), ()),
        item("before-window", at(40), ("child_safety",), ("AU",)),
        item("after-now", NOW + dt.timedelta(hours=2), ("child_safety",), ("AU",)),
    ]


def surge_items() -> list[StoredItem]:
    """Deepfakes in Korea: one item a week before, four on NOW's day (a surge); one today in Japan."""
    return [
        item("kr-deepfake-base", at(7), ("ai_synthetic_media",), ("KR",)),
        *[
            item(
                f"kr-deepfake-{n}",
                at(0, hour=8 + n),
                ("ai_synthetic_media",),
                ("KR",),
                title=HOSTILE_TITLE if n == 3 else f"Deepfake case {n} in Seoul",
            )
            for n in range(4)
        ],
        item("jp-deepfake", at(0, hour=10), ("ai_synthetic_media",), ("JP",)),
    ]


def stakeholder_items() -> list[StoredItem]:
    """Items naming the eSafety Commissioner (with the Parliament of Australia, and once with a
    minister), eSafety's own publications (from `au-esafety`, its registry source), and names
    the gazetteer does not hold (Ministry of Silly Walks in AU; Digital Harms Forum in AU and NZ)."""
    naming = item(
        "esafety-age",
        at(2),
        ("child_safety",),
        ("AU",),
        stakeholders=(ESAFETY, "Parliament of Australia"),
        title="eSafety registers age assurance codes",
    )
    return [
        naming,
        copy_of(naming, "esafety-age-copy", "other-news"),
        item(
            "esafety-scams",
            at(70),
            ("scams_fraud",),
            ("AU",),
            stakeholders=(ESAFETY, "Minister for Communications"),
            title="eSafety and the minister on scam texts",
        ),
        item(
            "esafety-release",
            at(30),
            ("harassment_bullying",),
            ("AU",),
            source="au-esafety",
            source_kind="regulator",
            title="Media release: cyberbullying scheme report",
        ),
        item("silly-walks", at(5), ("scams_fraud",), ("AU",), stakeholders=("Ministry of Silly Walks",)),
        item("forum-au", at(6), (), ("AU",), stakeholders=("Digital Harms Forum",)),
        item("forum-nz-1", at(6), (), ("NZ",), stakeholders=("Digital Harms Forum",)),
        item("forum-nz-2", at(7), (), ("NZ",), stakeholders=("digital harms forum",)),
    ]


def formula_item() -> StoredItem:
    """An item whose jurisdiction a spreadsheet would run as a formula, 200 days before NOW (so
    outside the windows of up to 26 weeks the counts in the tests are for)."""
    return item("formula-place", at(200), ("scams_fraud",), (FORMULA_PLACE,))


FORMULA_PLACE = "@SUM(A1:A9)"
HOSTILE_SOURCE_NAME = '=HYPERLINK("https://evil.example","click")'
REGISTRY = f"""\
sources:
- {{id: au-esafety, name: "eSafety Commissioner (Australia) – media releases", kind: regulator,
   jurisdiction: AU, language: en, family: feed, url: "https://www.esafety.gov.au/feed"}}
- {{id: kr-hostile, name: '{HOSTILE_SOURCE_NAME}', kind: news, jurisdiction: KR, language: en,
   family: feed, url: "https://evil.example.org/feed"}}
- {{id: sg-paused, name: "A paused source", kind: ngo, jurisdiction: SG, language: en, family: feed,
   url: "https://paused.example.org/feed", enabled: false}}
"""


def write_registry(path: Path) -> Path:
    """A registry of three sources (see REGISTRY): eSafety's, a news source whose name is a
    formula, and a disabled one."""
    path.write_text(REGISTRY, encoding="utf-8")
    return path


def build_data_dir(data_dir: Path, items: Iterable[StoredItem], **settings: Any) -> Settings:
    """A data directory holding `items` in a SQLite store and a tantivy index, as `radar ingest`
    leaves it (stories as the store groups them); its settings."""
    chosen = Settings(data_dir=data_dir, database_url=None, elasticsearch_url=None, **settings)
    store, engine = open_store(chosen), open_search_engine(chosen)
    try:
        store.upsert(list(items))
        pending = store.pending_index(limit=100_000)
        engine.add(pending)
        engine.commit()
        store.mark_indexed({stored.id: stored.version for stored in pending})
    finally:
        engine.close()
        store.close()
    return chosen


def story_ids(settings: Settings) -> dict[str, str]:
    """Item id -> story id, as the store grouped them."""
    store = open_store(settings)
    try:
        return {stored.id: stored.story_id for stored in store.iter_items()}
    finally:
        store.close()
