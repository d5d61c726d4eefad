"""The search page (GET /): a query box, facet filters with counts, highlighted snippets, each
story once with how many other sources carried it, and links to follow or export the search."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.access import Viewer
from api.deps import SearchParams
from api.pages.rendering import render
from api.schemas.search import search_response
from api.vocabulary import FACET_TITLES, FACETS, Vocabulary
from index.records import QueryError, SearchQuery

router = APIRouter(include_in_schema=False)

SHOWN_VALUES = 12  # per facet, besides those chosen


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, query: SearchParams, _user: Viewer) -> Response:
    vocabulary: Vocabulary = request.app.state.vocabulary()
    form = {
        "q": query.text,
        "sort": request.query_params.get("sort", "relevance"),
        "since": query.since,
        "until": query.until,
    }
    chosen = _chosen(query)
    try:
        result = search_response(request.app.state.engine().search(query))
    except QueryError as error:
        return render(
            request,
            "search.html",
            {"page": "search", "form": form, "error": str(error), "facets": _facets({}, chosen, vocabulary)},
            status_code=400,
        )
    hits = _stories_once(request, result["items"])
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != "cursor"]
    return render(
        request,
        "search.html",
        {
            "page": "search",
            "form": form,
            "total": result["total"],
            "hits": hits,
            "facets": _facets(result["facets"], chosen, vocabulary),
            "expanded": sorted({term for added in result["expanded_terms"].values() for term in added}),
            "query_string": urlencode(kept),
            "next_page": urlencode([*kept, ("cursor", result["next_cursor"])]) if result["next_cursor"] else None,
        },
    )


def _chosen(query: SearchQuery) -> dict[str, set[str]]:
    return {
        "jurisdictions": set(query.jurisdictions),
        "harm_areas": set(query.harm_areas),
        "doc_type": set(query.doc_types),
        "source_kind": set(query.source_kinds),
        "language": set(query.languages),
    }


def _facets(counts: dict[str, dict[str, int]], chosen: dict[str, set[str]], vocabulary: Vocabulary) -> list[dict]:
    """Each facet's most frequent values, and the chosen ones even when none are left."""
    facets = []
    for field, parameter in FACETS.items():
        found = counts.get(field, {})
        top = sorted(found, key=lambda value: (-found[value], value))[:SHOWN_VALUES]
        shown = [*top, *sorted(chosen[field] - set(top))]
        facets.append(
            {
                "parameter": parameter,
                "title": FACET_TITLES[field],
                "values": [
                    {
                        "id": value,
                        "label": vocabulary.label(field, value),
                        "count": found.get(value, 0),
                        "chosen": value in chosen[field],
                    }
                    for value in shown
                ],
            }
        )
    return facets


def _stories_once(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hits with each story once (its best-ranked item), and how many others it has."""
    first: dict[str, dict[str, Any]] = {}
    for item in items:
        first.setdefault(item["story_id"], item)
    sizes = request.app.state.store().story_sizes(list(first))
    return [{**item, "others": max(sizes.get(story, 1) - 1, 0)} for story, item in first.items()]
