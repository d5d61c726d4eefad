"""GET /api/exports/search.csv and /api/exports/search.json: every item a search matches, as a
file to download, streamed page by page."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import SearchParams
from api.schemas.common import Problem, day
from index.protocols import SearchEngine
from index.records import MAX_LIMIT, SearchHit, SearchQuery, SearchResult

router = APIRouter(prefix="/api/exports", tags=["exports"])

EXPORT_CAP = 10_000  # items in one export; a longer one is cut, and says so in a header
PAGE_SIZE = MAX_LIMIT
COLUMNS = (
    "id",
    "published",
    "title",
    "url",
    "source",
    "source_kind",
    "jurisdictions",
    "harm_areas",
    "doc_type",
    "language",
    "story_id",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _responses(media_type: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": f"Every matching item, up to {EXPORT_CAP:,}; X-Export-Truncated: true when there were more",
            "content": {media_type: {}},
        },
        400: {"model": Problem},
        503: {"model": Problem},
    }


def _row(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "published": day(hit.published_at),
        "title": hit.title,
        "url": hit.url,
        "source": hit.source,
        "source_kind": hit.source_kind,
        "jurisdictions": list(hit.jurisdictions),
        "harm_areas": list(hit.harm_areas),
        "doc_type": hit.doc_type,
        "language": hit.language,
        "story_id": hit.story_id,
    }


def csv_cell(value: Any) -> str:
    """A value as a CSV cell: lists joined with ";", None empty, and a cell a spreadsheet would
    run as a formula made text with a leading apostrophe."""
    text = ";".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Export:
    """A search's pages, the first already run (so a bad query is a 400 before anything is
    sent, and the headers can say whether the export is cut)."""

    def __init__(self, engine: SearchEngine, query: SearchQuery) -> None:
        self.engine, self.cap = engine, EXPORT_CAP
        self.query = dataclasses.replace(query, limit=min(PAGE_SIZE, self.cap), cursor=None)
        self.first: SearchResult = engine.search(self.query)

    @property
    def truncated(self) -> bool:
        return self.first.total > self.cap

    def pages(self) -> Iterator[tuple[SearchHit, ...]]:
        """The hits page by page, following each page's cursor, up to the cap."""
        page, left = self.first, self.cap
        while True:
            yield page.hits[:left]
            left -= len(page.hits[:left])
            if left <= 0 or not page.hits or page.next_cursor is None:
                return
            page = self.engine.search(dataclasses.replace(self.query, cursor=page.next_cursor))

    def headers(self, suffix: str) -> dict[str, str]:
        filename = f"policy-radar-search-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.{suffix}"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"', "X-Total-Count": str(self.first.total)}
        if self.truncated:
            headers["X-Export-Truncated"] = "true"
        return headers


@router.get("/search.csv", response_class=StreamingResponse, responses=_responses("text/csv"))
def search_csv(request: Request, query: SearchParams) -> StreamingResponse:
    """Every item the search matches, from the first (the parameters of /api/search; `limit` and
    `cursor` do not apply), at most 10,000: a longer export is cut and carries
    `X-Export-Truncated: true`. Columns: id, published, title, url, source, source_kind,
    jurisdictions and harm_areas (joined with ";"), doc_type, language, story_id."""
    export = _Export(request.app.state.engine(), query)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a byte-order mark, or Excel reads UTF-8 as its local code page
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for hits in export.pages():
            writer.writerows([csv_cell(row[column]) for column in COLUMNS] for row in map(_row, hits))
            yield buffer.getvalue()  # the header row with the first page
            buffer.seek(0)
            buffer.truncate()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=export.headers("csv"))


@router.get("/search.json", response_class=StreamingResponse, responses=_responses("application/json"))
def search_json(request: Request, query: SearchParams) -> StreamingResponse:
    """Every item the search matches, as the CSV export, in one JSON object: `total` (matching),
    `truncated` (true when there were more than 10,000, the most exported) and `items`, each with
    the CSV's columns (jurisdictions and harm_areas as lists)."""
    export = _Export(request.app.state.engine(), query)

    def chunks() -> Iterator[str]:
        yield f'{{"total": {export.first.total}, "truncated": {json.dumps(export.truncated)}, "items": ['
        separator = "\n"
        for hits in export.pages():
            if hits:
                yield separator + ",\n".join(json.dumps(_row(hit), ensure_ascii=False) for hit in hits)
                separator = ",\n"
        yield "\n]}\n"

    return StreamingResponse(chunks(), media_type="application/json", headers=export.headers("json"))
