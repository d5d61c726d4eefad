"""GET /api/briefing: the briefing pack (briefings/pack.py) for countries, harm areas, a stakeholder
and a window of days, as JSON or as a Markdown, HTML, Word or PDF file to download."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from api.routes.sources import read_registry
from api.routes.stakeholders import directory
from api.schemas.briefings import BriefingPublic, briefing_public
from api.schemas.common import Problem
from briefings.formats import FORMATS, FormatUnavailable, filename, render
from briefings.pack import build_briefing
from briefings.records import Briefing
from briefings.request import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, BriefingRequest, BriefingRequestError, References
from briefings.request import split_values as split
from briefings.stakeholders import StakeholderDirectory
from crawlers.registry import RegistryError, Source
from nlp.resources import load_gazetteer

router = APIRouter(prefix="/api", tags=["briefings"])

# The media types a download may have, for the OpenAPI (JSON comes from the response model).
_DOWNLOADS: dict[str, dict[str, str]] = {chosen.media_type.split(";")[0]: {} for chosen in FORMATS.values()}


def references(request: Request, stakeholder: str | None = None) -> References:
    """What the app knows to write a briefing with: the vocabulary's names, the registry (none
    when it cannot be read: /api/sources says why) and the stakeholder directory: the
    gazetteer's, or when `stakeholder` is not in it, the app's, which adds the names the tagger
    found in items (it reads every item's stakeholders, once a minute at most: only when needed)."""
    vocabulary = request.app.state.vocabulary()
    sources: list[Source]
    try:
        sources = read_registry(request.app.state.settings)
    except (FileNotFoundError, RegistryError):
        sources = []
    gazetteer = StakeholderDirectory(load_gazetteer())
    return References(
        harm_labels=vocabulary.labels["harm_areas"],
        jurisdictions=vocabulary.labels["jurisdictions"],
        sources=sources,
        stakeholders=gazetteer if not stakeholder or gazetteer.named(stakeholder) else directory(request),
    )


def briefing_for(request: Request, wanted: BriefingRequest, public_url: str) -> Briefing:
    """The briefing for `wanted` as of now, from the app's store and index, items linked at
    `public_url` ("" for links within the site); a request that cannot be briefed is a 400."""
    app = request.app
    try:
        return build_briefing(
            app.state.store(),
            app.state.engine(),
            wanted,
            references=references(request, wanted.stakeholder),
            public_url=public_url,
            now=dt.datetime.now(dt.UTC),
        )
    except BriefingRequestError as error:
        raise HTTPException(400, str(error)) from None


@router.get(
    "/briefing",
    response_model=BriefingPublic,
    responses={
        200: {
            "description": "The briefing: JSON, or with `format` a file to download (Content-Disposition names it).",
            "content": _DOWNLOADS,
        },
        400: {"model": Problem},
        501: {"model": Problem, "description": "Word or PDF is not available in this installation."},
    },
)
def briefing(
    request: Request,
    country: Annotated[list[str], Query(description="Jurisdiction code (AU, SG); repeatable.")] = [],  # noqa: B006
    harm: Annotated[list[str], Query(description="Harm area id; repeatable.")] = [],  # noqa: B006
    stakeholder: Annotated[str, Query(description="A stakeholder's name or alias: its part of the pack.")] = "",
    days: Annotated[int, Query(ge=MIN_DAYS, le=MAX_DAYS, description="The window: the last N days.")] = DEFAULT_DAYS,
    format_name: Annotated[Literal["json", "md", "html", "docx", "pdf"], Query(alias="format")] = "json",
) -> Response:
    """The briefing pack of the last `days` days on the harm areas (none: all) in the countries
    (none: all): a summary with counts, key developments by harm area (one per story, every
    source cited), a timeline, deadlines, commencements and hearings ahead, the stakeholder's own
    statements, the items naming it and who else is active, each harm area's comparison across
    Asia-Pacific by stage, and the numbered sources. Every statement cites items by number."""
    wanted = BriefingRequest(
        countries=split(country), harm_areas=split(harm), stakeholder=stakeholder.strip() or None, days=days
    )
    pack = briefing_for(request, wanted, request.app.state.settings.public_url)
    if format_name == "json":
        return JSONResponse(briefing_public(pack).model_dump(mode="json"))
    try:
        body = render(pack, format_name)
    except FormatUnavailable as error:
        raise HTTPException(501, str(error)) from None
    disposition = f'attachment; filename="{filename(pack, format_name)}"'
    return Response(body, media_type=FORMATS[format_name].media_type, headers={"Content-Disposition": disposition})
