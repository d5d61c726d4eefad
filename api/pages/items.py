"""The item page (GET /items/{id}): the item, its tags with their evidence, key dates, text,
versions with what changed, and the other sources of its story."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from api.access import Viewer
from api.pages.rendering import render
from api.schemas.items import item_detail
from api.vocabulary import FACET_TITLES, Vocabulary

router = APIRouter(include_in_schema=False)


@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: str, _user: Viewer) -> Response:
    store = request.app.state.store()
    found = store.get(item_id)
    if found is None:
        raise HTTPException(404, f"No item {item_id!r}: it may have been removed. Search for it instead.")
    item = item_detail(found, store.versions(item_id), store.story(found.story_id))
    vocabulary = request.app.state.vocabulary()
    evidence = _evidence(item["evidence"], vocabulary)
    # The tagger's language evidence names its method ("function words 21"): say the language too.
    evidence = [
        (f"Language: {vocabulary.label('language', item['language'])}", f"read from {words}")
        if tag == "Language"
        else (tag, words)
        for tag, words in evidence
    ]
    return render(request, "item.html", {"page": "item", "item": item, "evidence": evidence})


EVIDENCE_TITLES = {**FACET_TITLES, "dates": "Date", "stakeholders": "Stakeholder"}
VOCABULARY_FIELDS = {"harm_areas": "harm_areas", "jurisdictions": "jurisdictions", "doc_type": "doc_type"}


def _evidence(evidence: dict[str, Any], vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(tag, the words behind it) as plain text, whatever shape the tagger gave each."""
    shown = []
    for tag, found in evidence.items():
        title = EVIDENCE_TITLES.get(tag, tag.replace("_", " ").capitalize())
        if isinstance(found, dict):
            for value, words in found.items():
                label = vocabulary.label(VOCABULARY_FIELDS[tag], value) if tag in VOCABULARY_FIELDS else value
                shown.append((f"{title}: {label}", _words(words)))
        else:
            shown.append((title, _words(found)))
    return shown


def _words(found: Any) -> str:
    if isinstance(found, list | tuple):
        return ", ".join(_words(each) for each in found)
    return str(found)
