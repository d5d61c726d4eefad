"""Ingest: tag items, store them, index them, in that order, and never lose one.

The store is the record. Each batch is stored in one transaction that also marks its new and
changed items as waiting for the index (the outbox); the index is committed afterwards and the
marks cleared. A run killed between the two leaves marked items, which the next run indexes
first, so store and index always end up agreeing and an item is stored once. An index that
cannot be written (Elasticsearch unreachable, tantivy's writer held by another process) stops
nothing but the indexing: every batch is still stored and marked, and the next run indexes it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from index.metrics import count_ingested
from index.protocols import SearchEngine, Store
from index.records import IndexUnavailableError, InvalidItemError, StoredItem, UpsertOutcome
from index.store.content import content_hash
from index.store.urls import canonical_url, item_id
from nlp.background import ItemTagger
from nlp.items import ItemError, ItemIn, TaggedItem
from nlp.jsonl_input import read_json_lines

log = logging.getLogger("radar.ingest")


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    joined_story: int = 0
    repaired: int = 0  # items a previous run stored but did not index
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    index_unavailable: str | None = None  # why the index could not be written in this run
    waiting_for_index: int = 0  # items stored but not indexed at the end of the run

    def summary(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.joined_story} grouped into existing stories, {len(self.rejected)} rejected"
            + (f", {self.repaired} indexed that an earlier run stored but did not index" if self.repaired else "")
        )

    def index_warning(self) -> str | None:
        """What to tell the user when the run could not write the index (None when it could)."""
        if self.index_unavailable is None:
            return None
        return waiting_message(self.waiting_for_index, self.index_unavailable)


def waiting_message(waiting: int, reason: str) -> str:
    """The warning for items stored but not indexed: how many, why, and what will index them."""
    return (
        f"warning: {waiting} item{'' if waiting == 1 else 's'} stored but waiting for the index ({reason}); "
        "they will be indexed by the next ingest or `radar reindex`"
    )


@dataclass(frozen=True)
class IngestItem:
    """An item to ingest: what the crawler knows, with its stable id and canonical URL."""

    item: ItemIn
    id: str
    url: str
    line: int = 0  # where it came from, to name it if it is rejected


def read_ingest_lines(lines: Iterable[bytes], report: IngestReport) -> Iterator[IngestItem]:
    """Items from JSON Lines (`url`, `title`, `text`, `published`, optional `source`,
    `source_kind`, `lang`, `id`); each bad line is recorded in `report.rejected` with its reason."""

    def reject(number: int, reason: str) -> None:
        report.rejected.append((number, reason))
        count_ingested("rejected")

    for number, obj in read_json_lines(lines, reject):
        try:
            yield _ingest_item(obj, number)
        except (ItemError, ValueError) as exc:
            reject(number, str(exc))


def _ingest_item(obj: object, line: int) -> IngestItem:
    if not isinstance(obj, dict):
        raise ItemError("expected a JSON object")
    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        raise ItemError("field 'url' must be a string")
    if not (url or obj.get("id")):
        raise ItemError("missing field 'url' (or an 'id' given by the source)")
    given_id = obj.get("id")
    item = ItemIn.from_json({**obj, "id": given_id if given_id not in (None, "") else url})
    stable_id = item_id(url, item.source, str(given_id) if given_id not in (None, "") else None)
    return IngestItem(item=item, id=stable_id, url=canonical_url(url) if url else "", line=line)


def stored_item(incoming: IngestItem, tags: TaggedItem, fetched_at: dt.datetime) -> StoredItem:
    """The record for the store: the item, its tags and their evidence. Story and version are
    the store's to assign."""
    item = incoming.item
    published = dt.datetime.combine(item.published, dt.time(), tzinfo=dt.UTC) if item.published else None
    return StoredItem(
        id=incoming.id,
        url=incoming.url,
        title=item.title,
        text=item.text,
        language=tags.language,
        source=item.source,
        source_kind=item.source_kind,
        published_at=published,
        fetched_at=fetched_at,
        content_hash=content_hash(item.title, item.text),
        harm_areas=tuple(tags.harm_areas),
        jurisdictions=tuple(tags.jurisdictions),
        mentioned_jurisdictions=tuple(tags.mentioned_jurisdictions),
        doc_type=tags.doc_type,
        stakeholders=tuple(s.name for s in tags.stakeholders),
        dates=tuple({"date": d.date.isoformat(), "kind": d.kind, "text": d.text} for d in tags.dates),
        evidence=tags.evidence,
        story_id="",
    )


class Outbox:
    """Indexes the items waiting in the store's outbox. The index is committed every
    `commit_every` items (a commit costs a fraction of a second whatever its size) and at the
    end; items are taken out of the outbox only once a commit holds them. Once the engine raises
    IndexUnavailableError, the index is left alone for the rest of this object's life (one
    attempt per run, not one per batch, against an engine that is down); `index_unavailable`
    says why."""

    def __init__(self, store: Store, engine: SearchEngine, batch_size: int = 256, commit_every: int = 2048):
        self.store = store
        self.engine = engine
        self.batch_size = batch_size
        self.commit_every = commit_every
        self.index_unavailable: str | None = None
        self._uncommitted: dict[str, int] = {}  # in the index writer, not yet committed: id -> version

    def drain_outbox(self) -> int:
        """Index every stored item waiting for the index (story ids and versions as the store
        now has them), commit, and clear their marks; returns how many. When the index cannot be
        written, the items stay marked and this returns 0 (see `index_unavailable`)."""
        return self.attempt(self._drain)

    def index_down(self, reason: str) -> None:
        """Leave the index alone from now on: it cannot be written (`reason` says why)."""
        if self.index_unavailable is None:
            log.warning("the search index cannot be written (%s): items are stored and wait for it", reason)
        self.index_unavailable = reason
        # Not committed, so still marked in the store: the next run indexes them.
        self._uncommitted.clear()

    def attempt(self, work: Callable[[], int]) -> int:
        """`work`, unless the index is known to be down; a failure to write it marks it down."""
        if self.index_unavailable is not None:
            return 0
        try:
            return work()
        except IndexUnavailableError as exc:
            self.index_down(str(exc))
            return 0

    def _drain(self) -> int:
        indexed = self._index_pending()
        self._commit()
        return indexed

    def _index_pending(self) -> int:
        """Hand the index writer every item waiting for the index that it does not hold yet;
        commit when `commit_every` are waiting for a commit."""
        indexed = 0
        while pending := self.store.pending_index(self.batch_size, skip=self._uncommitted):
            self.engine.add(pending)
            self._uncommitted.update((item.id, item.version) for item in pending)
            indexed += len(pending)
            if len(self._uncommitted) >= self.commit_every:
                self._commit()
        return indexed

    def _commit(self) -> None:
        self.engine.commit()
        self.store.mark_indexed(self._uncommitted)
        self._uncommitted.clear()


class Ingester(Outbox):
    """Tags, stores and indexes items, draining the outbox as it goes; once the index cannot be
    written, it only stores (the items wait in the outbox for the next run)."""

    def __init__(
        self,
        tagger: ItemTagger,
        store: Store,
        engine: SearchEngine,
        batch_size: int = 256,
        commit_every: int = 2048,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ):
        super().__init__(store, engine, batch_size, commit_every)
        self.tagger = tagger
        self.clock = clock

    def ingest(self, items: Iterable[IngestItem], report: IngestReport | None = None) -> IngestReport:
        """Tag, store and index `items` batch by batch; counts go to `report`. The tagger may
        work ahead of the store (in another process); the store still takes batches in order."""
        report = report or IngestReport()
        report.repaired += self.drain_outbox()  # what an interrupted run stored but did not index
        waiting: deque[IngestItem] = deque()  # handed to the tagger, not yet stored

        def to_tag() -> Iterator[ItemIn]:
            for incoming in items:
                waiting.append(incoming)
                yield incoming.item

        tagged = self.tagger.tag_many(to_tag(), self.batch_size)
        while pairs := [(waiting.popleft(), tags) for tags in islice(tagged, self.batch_size)]:
            fetched_at = self.clock()
            batch = [incoming for incoming, _tags in pairs]
            records = [stored_item(incoming, tags, fetched_at) for incoming, tags in pairs]
            outcomes = self._store(batch, records, report)
            for outcome in outcomes:
                setattr(report, outcome.status, getattr(report, outcome.status) + 1)
                report.joined_story += int(outcome.joined_story and outcome.status == "new")
            for status in ("new", "updated", "unchanged"):
                count_ingested(status, sum(outcome.status == status for outcome in outcomes))
            # An item stored again since the writer took it (a later line, same page) goes again.
            for record in records:
                self._uncommitted.pop(record.id, None)
            self.attempt(self._index_pending)
        self.drain_outbox()
        if self.index_unavailable is not None:
            report.index_unavailable = self.index_unavailable
            report.waiting_for_index = self.store.pending_index_count()
        return report

    def _store(self, batch: list[IngestItem], records: list[StoredItem], report: IngestReport) -> list[UpsertOutcome]:
        """Store a batch; an item the store refuses is rejected by line and the rest stored."""
        while records:
            try:
                return self.store.upsert(records)
            except InvalidItemError as exc:
                position = exc.position if exc.position is not None else _position(records, exc.item_id)
                if position is None:
                    raise
                report.rejected.append((batch[position].line, str(exc)))
                count_ingested("rejected")
                del batch[position], records[position]
        return []


def _position(records: list[StoredItem], refused_id: str | None) -> int | None:
    return next((i for i, record in enumerate(records) if record.id == refused_id), None)
