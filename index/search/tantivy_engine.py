"""The embedded search engine: tantivy, in a directory of the data dir.

Layout: `<directory>/CURRENT` names the live generation, `<directory>/gen-*/` holds each one.
`rebuild` fills a new generation beside the live one, points CURRENT at it (an atomic rename)
and removes the old one; a process searching the old generation notices CURRENT changed on its
next search and reopens, and on POSIX systems the files it still has open stay readable.

One process at a time may write (tantivy holds a lock while a writer is open); any number may
search. The writer is opened on the first change, so a process that only searches takes no lock.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import tantivy

from index.records import (
    FACET_FIELDS,
    IndexOutdatedError,
    IndexUnavailableError,
    QueryError,
    SearchHit,
    SearchQuery,
    SearchResult,
    StoredItem,
)
from index.search.cursor import decode_cursor, encode_cursor, relevance_offset
from index.search.expansion import Equivalents, is_character_token, search_tree
from index.search.query import Node, leaves
from index.search.snippets import (
    SNIPPET_CHARS,
    byte_to_char_ranges,
    highlighted_html,
    plain_snippet,
    prefix_snippet,
)
from index.search.tantivy_concepts import ConceptFinder
from index.search.tantivy_query import TantivyQueries, boosted, combine
from index.search.tantivy_schema import (
    FACET_COLUMNS,
    as_utc,
    build_schema,
    facet_values,
    item_document,
    register_analyzers,
    split_fingerprint,
    unspaced,
    without_separators,
)

POINTER = "CURRENT"
CONCEPTS_STAMP = "CONCEPTS"  # in each generation: the digest of the concepts it indexed
# More than the distinct values (value sets) any facet column holds, so every count is exact.
_BUCKETS = 65_536
_SORT_KEY = re.compile(r"[0-9a-f]{14,}")
_FINGERPRINT_BATCH = 10_000
_SNIPPET_OPENING = 1500  # characters of a text searched for a snippet before the whole of it


class TantivyEngine:
    """A SearchEngine over a tantivy index in `directory` (created if missing)."""

    def __init__(
        self,
        directory: Path,
        equivalents: Equivalents | None = None,
        writer_heap_bytes: int = 128_000_000,
        writer_threads: int = 0,
    ) -> None:
        self.directory = Path(directory)
        self.equivalents = equivalents
        self.writer_heap_bytes = writer_heap_bytes
        self.writer_threads = writer_threads
        self.schema = build_schema()
        self.queries = TantivyQueries(self.schema)
        self.highlighting = TantivyQueries(self.schema, shortcuts=False)
        self.concepts = ConceptFinder(equivalents) if equivalents is not None else None
        self._index: tantivy.Index | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._generation: str | None = None
        self._pointer_stamp: tuple[int, int] | None = None
        self._meta_stamp: tuple[int, int] | None = None
        self._counting: ThreadPoolExecutor | None = None

    # --- lifecycle --------------------------------------------------------------------

    def _pointer_state(self) -> tuple[int, int] | None:
        try:
            stat = (self.directory / POINTER).stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def _live(self) -> tantivy.Index:
        """The live generation's index, reopened if another process swapped it."""
        if self._index is not None and self._pointer_state() == self._pointer_stamp:
            self._see_other_commits(self._index)
            return self._index
        self._drop_writer()
        pointer = self.directory / POINTER
        if not pointer.exists():
            self._create_first_generation()
        generation = pointer.read_text(encoding="utf-8").strip()
        try:
            index = tantivy.Index(self.schema, path=str(self.directory / generation), reuse=True)
        except ValueError as error:
            raise IndexOutdatedError(
                f"The search index in {self.directory / generation} cannot be opened ({error}); "
                "it was built by another version of radar: `radar reindex` rebuilds it from the store."
            ) from error
        stamp = self.directory / generation / CONCEPTS_STAMP
        if (stamp.read_text(encoding="utf-8").strip() if stamp.exists() else None) != self._concepts_digest():
            raise IndexOutdatedError(
                f"The search index in {self.directory / generation} was built with other cross-language "
                "equivalents (nlp/data/equivalents.jsonl) than radar now has: "
                "`radar reindex` rebuilds it from the store."
            )
        register_analyzers(index)
        self._index, self._generation = index, generation
        self._pointer_stamp = self._pointer_state()
        self._meta_stamp = self._meta_state()
        return index

    def _meta_state(self) -> tuple[int, int] | None:
        try:
            stat = (self.directory / str(self._generation) / "meta.json").stat()
        except FileNotFoundError:
            return None
        return (stat.st_ino, stat.st_mtime_ns)

    def _see_other_commits(self, index: tantivy.Index) -> None:
        """Reload the searcher when another process has committed since (tantivy replaces meta.json
        on every commit): its own watcher would too, but up to half a second later, and a search
        right after an ingest elsewhere should find what it stored."""
        stamp = self._meta_state()
        if stamp != self._meta_stamp:
            index.reload()
            self._meta_stamp = stamp

    def _new_generation(self) -> str:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        name = f"gen-{stamp}-{secrets.token_hex(3)}"
        (self.directory / name).mkdir(parents=True)
        (self.directory / name / CONCEPTS_STAMP).write_text(self._concepts_digest() + "\n", encoding="utf-8")
        return name

    def _concepts_digest(self) -> str:
        return self.concepts.digest if self.concepts is not None else "none"

    def _document(self, item: StoredItem) -> tantivy.Document:
        return item_document(item, self.concepts.find if self.concepts is not None else None)

    def _create_first_generation(self) -> None:
        """Make the first generation and point at it, unless another process got there first: the
        pointer is linked into place, which fails when it exists, so two processes starting on a
        fresh directory share one generation rather than the later one replacing the earlier."""
        self.directory.mkdir(parents=True, exist_ok=True)
        generation = self._new_generation()
        temporary = self._written_pointer(generation)
        try:
            os.link(temporary, self.directory / POINTER)
        except FileExistsError:
            shutil.rmtree(self.directory / generation, ignore_errors=True)
        finally:
            temporary.unlink()

    def _written_pointer(self, generation: str) -> Path:
        temporary = self.directory / f"{POINTER}.{secrets.token_hex(3)}.tmp"
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(generation + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return temporary

    def _point_at(self, generation: str) -> None:
        os.replace(self._written_pointer(generation), self.directory / POINTER)

    def _writer_for(self, index: tantivy.Index) -> tantivy.IndexWriter:
        if self._writer is None:
            self._writer = index.writer(self.writer_heap_bytes, self.writer_threads)
        return self._writer

    def _drop_writer(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            try:
                writer.rollback()
                writer.wait_merging_threads()
            except ValueError:
                pass  # a writer that failed (a full disk) has nothing left to roll back; it is let go all the same

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn the failures of writing the index (tantivy reports its I/O errors and a writer lock
        held elsewhere as ValueError) into IndexUnavailableError, letting the writer go."""
        try:
            yield
        except (OSError, ValueError) as error:
            self._drop_writer()
            if "LockBusy" in str(error):
                reason = "another writer holds its lock (another radar process is writing to it)"
            else:
                reason = f"it cannot be written: {error}"
            raise IndexUnavailableError(f"the search index in {self.directory}: {reason}") from error

    def close(self) -> None:
        """Release the writer (discarding changes not committed), the index and the thread
        that counts facets."""
        self._drop_writer()
        self._index = None
        if self._counting is not None:
            self._counting.shutdown()
            self._counting = None

    # --- changes ----------------------------------------------------------------------

    def add(self, items: Iterable[StoredItem]) -> None:
        """See `SearchEngine.add`; raises IndexUnavailableError when the index cannot be written."""
        documents = [(item.id, self._document(item)) for item in items]
        with self._writing():
            writer = self._writer_for(self._live())
            for item_id, document in documents:
                writer.delete_documents_by_term("id", item_id)
                writer.add_document(document)

    def delete(self, ids: Iterable[str]) -> None:
        with self._writing():
            writer = self._writer_for(self._live())
            for item_id in ids:
                writer.delete_documents_by_term("id", item_id)

    def commit(self) -> None:
        """Make what was added durable; raises IndexUnavailableError when the index cannot be written."""
        with self._writing():
            index = self._live()
            if self._writer is not None:
                self._writer.commit()
                index.reload()
                self._meta_stamp = self._meta_state()  # this commit is seen: no second reload for it

    def rebuild(self, items: Iterable[StoredItem]) -> int:
        """Index `items` into a new generation, swap CURRENT to it, remove the others."""
        self.directory.mkdir(parents=True, exist_ok=True)
        generation = self._new_generation()
        index = tantivy.Index(self.schema, path=str(self.directory / generation), reuse=False)
        register_analyzers(index)
        writer = index.writer(self.writer_heap_bytes, self.writer_threads)
        count = 0
        try:
            for item in items:
                writer.add_document(self._document(item))
                count += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            shutil.rmtree(self.directory / generation, ignore_errors=True)
            raise
        self._drop_writer()
        self._point_at(generation)
        self._index = None
        self._live()
        for stale in self.directory.glob("gen-*"):
            if stale.name != generation:
                shutil.rmtree(stale, ignore_errors=True)
        return count

    # --- reading ----------------------------------------------------------------------

    def fingerprints(self) -> Iterator[tuple[str, str]]:
        """(id, content_hash) of every item, in id order (UTF-8 byte order), from one snapshot."""
        index = self._live()
        searcher = index.searcher()
        query = tantivy.Query.all_query()
        while True:
            hits = searcher.search(
                query, _FINGERPRINT_BATCH, count=False, order_by_field="fingerprint", order=tantivy.Order.Asc
            ).hits
            for key, _address in hits:
                yield split_fingerprint(key)
            if len(hits) < _FINGERPRINT_BATCH:
                return
            query = index.parse_query(f"fingerprint:>{hits[-1][0]}")

    def search(self, query: SearchQuery) -> SearchResult:
        node, expanded = search_tree(query, self.equivalents)
        text_query = self.queries.compile(node) if node is not None else None
        if node is not None and text_query is None:
            raise QueryError(f"Nothing to search for in {query.text.strip()!r}: use words with letters or digits.")
        base = combine(text_query, self.queries.filters(query))
        position = decode_cursor(query)
        index = self._live()
        searcher = index.searcher()
        # Counting facets over every match is the slow half of a search: it runs on another
        # thread (tantivy releases the GIL) while this one ranks, fetches and highlights the page.
        counting = self._counter().submit(self._aggregate, searcher, base)
        fetch = query.limit + 1  # one more than the page, to know whether another page follows
        if text_query is None or query.sort == "newest":
            page_query = base
            if position is not None:
                if not isinstance(position, str) or not _SORT_KEY.fullmatch(position):
                    raise QueryError("The cursor is not valid for this search; start again from the first page.")
                after = index.parse_query(f"newest:<{position}")
                page_query = tantivy.Query.boolean_query([(tantivy.Occur.Must, base), (tantivy.Occur.Must, after)])
            found = searcher.search(page_query, fetch, count=False, order_by_field="newest")
            ranked = [(0.0, address) for _key, address in found.hits]
            next_position: str | int | None = found.hits[query.limit - 1][0] if len(found.hits) > query.limit else None
        else:
            offset = relevance_offset(query, position)
            # No count here (the aggregations give the total), so tantivy can skip low scorers.
            ranking = boosted(base, self.queries.title_boosts(node, searcher)) if node is not None else base
            found = searcher.search(ranking, fetch, count=False, offset=offset)
            ranked = [(float(score), address) for score, address in found.hits]
            next_position = offset + query.limit if len(found.hits) > query.limit else None
        # The snippets highlight an expansion's terms, not its concepts, and characters, not their pairs.
        highlight = self.highlighting.compile(node) if node is not None else None
        hits = self._hits(searcher, highlight, node, ranked[: query.limit])
        total, facets, histogram = counting.result()
        return SearchResult(
            total=total,
            hits=hits,
            facets=facets,
            histogram=histogram,
            next_cursor=encode_cursor(query, next_position) if next_position is not None else None,
            expanded_terms=expanded,
        )

    def _counter(self) -> ThreadPoolExecutor:
        if self._counting is None:
            self._counting = ThreadPoolExecutor(max_workers=1, thread_name_prefix="radar-facets")
        return self._counting

    def _hits(
        self,
        searcher: tantivy.Searcher,
        text_query: tantivy.Query | None,
        node: Node | None,
        ranked: list[tuple[float, tantivy.DocAddress]],
    ) -> tuple[SearchHit, ...]:
        snippets = _Snippets(searcher, self.schema, text_query, node)
        hits = []
        for score, address in ranked:
            document = searcher.doc(address)
            published = document.get_first("published")
            hits.append(
                SearchHit(
                    id=document.get_first("id") or "",
                    title=unspaced(document.get_first("title") or ""),
                    url=document.get_first("url") or "",
                    published_at=as_utc(published) if published is not None else None,
                    language=document.get_first("language") or "",
                    jurisdictions=tuple(document.get_all("jurisdictions")),
                    harm_areas=tuple(document.get_all("harm_areas")),
                    doc_type=document.get_first("doc_type") or "",
                    source=document.get_first("source"),
                    source_kind=document.get_first("source_kind"),
                    story_id=document.get_first("story_id") or "",
                    snippet=snippets.of(document),
                    score=score,
                )
            )
        return tuple(hits)

    def _aggregate(
        self, searcher: tantivy.Searcher, base: tantivy.Query
    ) -> tuple[int, dict[str, dict[str, int]], tuple[tuple[str, int], ...]]:
        """The number of matches, facet counts and the monthly histogram, from one call to
        tantivy's aggregations over the facet columns (every item has one value in each)."""
        request = {column: {"terms": {"field": column, "size": _BUCKETS}} for column in FACET_COLUMNS}
        result = searcher.aggregate(base, request)
        total = sum(bucket["doc_count"] for bucket in result["facet_kind"]["buckets"])
        counts: dict[str, dict[str, int]] = {field: {} for fields in FACET_COLUMNS.values() for field in fields}
        for column in FACET_COLUMNS:
            for bucket in result[column]["buckets"]:
                for field, value in facet_values(column, bucket["key"]):
                    counts[field][value] = counts[field].get(value, 0) + bucket["doc_count"]
        ordered = {
            field: dict(sorted(values.items(), key=lambda value_count: (-value_count[1], value_count[0])))
            for field, values in counts.items()
        }
        histogram = tuple(sorted(counts["month"].items()))
        return total, {field: ordered[field] for field in FACET_FIELDS}, histogram


class _Snippets:
    """Highlighted fragments of the text for a page of hits: around what matched (a word, its
    inflections, a phrase), else around a prefix's words, else the start of the text."""

    def __init__(
        self, searcher: tantivy.Searcher, schema: tantivy.Schema, text_query: tantivy.Query | None, node: Node | None
    ) -> None:
        self.searcher, self.schema, self.text_query = searcher, schema, text_query
        self.generators: dict[bool, tantivy.SnippetGenerator] = {}
        # A lone CJK/Thai character is worth bolding only if the query searched for one.
        terms = leaves(node) if node is not None else []
        self.lone_characters = any(len(term.text) == 1 and is_character_token(term.text) for term in terms)
        in_text = [term for term in terms if term.field in (None, "text")]
        self.prefixes = [term.text for term in in_text if term.prefix]
        # tantivy's generator highlights terms and phrases, not prefixes (regular expressions).
        self.words = any(not term.prefix for term in in_text)

    def _generator(self, wide: bool) -> tantivy.SnippetGenerator:
        """A generator for the text; `wide` for spaced text, three characters to each CJK one."""
        if wide not in self.generators:
            assert self.text_query is not None
            generator = tantivy.SnippetGenerator.create(self.searcher, self.text_query, self.schema, "text")
            generator.set_max_num_chars(SNIPPET_CHARS * (3 if wide else 1))
            self.generators[wide] = generator
        return self.generators[wide]

    def of(self, document: tantivy.Document) -> str:
        stored = document.get_first("text") or ""
        text = unspaced(stored)
        if self.text_query is None:
            return plain_snippet(text)
        wide = len(text) != len(stored)
        # The generator's time grows with the text: the opening, where a match usually is, first.
        openings = (stored[:_SNIPPET_OPENING], stored) if len(stored) > _SNIPPET_OPENING else (stored,)
        for opening in openings if self.words else ():
            snippet = self._generator(wide).snippet_from_doc(tantivy.Document(text=opening))
            ranges = [(found.start, found.end) for found in snippet.highlighted()]
            if ranges:
                fragment = snippet.fragment()
                fragment, char_ranges = without_separators(fragment, byte_to_char_ranges(fragment, ranges))
                html = highlighted_html(fragment, char_ranges, self.lone_characters)
                if "<b>" in html:
                    return html
        if self.prefixes:
            return prefix_snippet(text, self.prefixes) or plain_snippet(text)
        return plain_snippet(text)
