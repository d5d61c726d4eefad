"""GET /api/briefing?format=json on the wire: the briefing pack's seven sections, every statement
citing items by their number in `sources`. Built from briefings.records, never the records
themselves."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from briefings.records import STAGES, Briefing, Citation, Development


class SourcePublic(BaseModel):
    number: int
    item_id: str
    title: str
    source: str | None = Field(description="the source's name in the registry (its id when not there)")
    url: str = Field(description="where it was published; empty when unknown or not http(s)")
    link: str = Field(description="its page on the tracker")
    published: dt.date | None


class StatementPublic(BaseModel):
    text: str
    citations: list[int]


class DevelopmentPublic(BaseModel):
    story_id: str
    title: str
    date: dt.date | None = Field(description="when the story's first item in the window was published")
    jurisdictions: list[str]
    doc_type: str
    summary: str = Field(description="the start of the first item's text, plain")
    citations: list[int] = Field(description="every item of the story in the window")


class HarmSectionPublic(BaseModel):
    harm_area: str = Field(description='a harm area id; "" for stories with none')
    label: str
    developments: list[DevelopmentPublic] = Field(description="one per story, newest first")


class TimelineEntryPublic(BaseModel):
    date: dt.date
    text: str
    citations: list[int]


class KeyDatePublic(BaseModel):
    date: dt.date
    kind: str = Field(description="deadline, commencement or hearing")
    text: str = Field(description="the date as the item gives it")
    title: str
    jurisdictions: list[str]
    citations: list[int]


class ActorPublic(BaseModel):
    name: str
    items: int = Field(description="items of the window on the same harm areas naming or published by it")
    citations: list[int] = Field(description="the newest of those items")


class StakeholderSectionPublic(BaseModel):
    name: str
    own: list[DevelopmentPublic] = Field(description="its own statements and publications, newest first")
    mentioned: list[DevelopmentPublic] = Field(description="other items that name it, newest first")
    others: list[ActorPublic] = Field(description="others active on the same harm areas, most items first")


class StageCellPublic(BaseModel):
    stage: str
    title: str
    date: dt.date | None
    citation: int


class ComparisonRowPublic(BaseModel):
    jurisdiction: str
    cells: list[StageCellPublic | None] = Field(description="one per stage, in the order of `stages`")


class ComparisonPublic(BaseModel):
    harm_area: str
    label: str
    stages: list[str]
    rows: list[ComparisonRowPublic]


class BriefingPublic(BaseModel):
    """A briefing pack: what changed in the window, by harm area, with its dates ahead, a
    stakeholder's part, neighbouring jurisdictions and every item cited."""

    title: str
    generated_at: dt.datetime
    since: dt.date
    until: dt.date
    countries: list[str]
    harm_areas: list[str]
    stakeholder: str | None
    summary: list[StatementPublic]
    developments: list[HarmSectionPublic]
    timeline: list[TimelineEntryPublic] = Field(description="oldest first")
    upcoming: list[KeyDatePublic] = Field(description="deadlines, commencements and hearings from today, soonest first")
    stakeholder_section: StakeholderSectionPublic | None
    neighbours: list[ComparisonPublic]
    sources: list[SourcePublic]


def briefing_public(briefing: Briefing) -> BriefingPublic:
    """The wire form of a briefing."""
    people = briefing.stakeholder_section
    return BriefingPublic(
        title=briefing.title,
        generated_at=briefing.generated_at,
        since=briefing.since,
        until=briefing.until,
        countries=list(briefing.countries),
        harm_areas=list(briefing.harm_areas),
        stakeholder=briefing.stakeholder,
        summary=[StatementPublic(text=each.text, citations=list(each.citations)) for each in briefing.summary],
        developments=[
            HarmSectionPublic(
                harm_area=section.harm_area,
                label=section.label,
                developments=[_development(each) for each in section.developments],
            )
            for section in briefing.developments
        ],
        timeline=[
            TimelineEntryPublic(date=each.date, text=each.text, citations=list(each.citations))
            for each in briefing.timeline
        ],
        upcoming=[
            KeyDatePublic(
                date=each.date,
                kind=each.kind,
                text=each.text,
                title=each.title,
                jurisdictions=list(each.jurisdictions),
                citations=list(each.citations),
            )
            for each in briefing.upcoming
        ],
        stakeholder_section=StakeholderSectionPublic(
            name=people.name,
            own=[_development(each) for each in people.own],
            mentioned=[_development(each) for each in people.mentioned],
            others=[ActorPublic(name=a.name, items=a.items, citations=list(a.citations)) for a in people.others],
        )
        if people
        else None,
        neighbours=[
            ComparisonPublic(
                harm_area=comparison.harm_area,
                label=comparison.label,
                stages=list(STAGES),
                rows=[
                    ComparisonRowPublic(
                        jurisdiction=row.jurisdiction,
                        cells=[
                            StageCellPublic(stage=cell.stage, title=cell.title, date=cell.date, citation=cell.citation)
                            if cell
                            else None
                            for cell in row.cells
                        ],
                    )
                    for row in comparison.rows
                ],
            )
            for comparison in briefing.neighbours
        ],
        sources=[_source(each) for each in briefing.sources],
    )


def _development(development: Development) -> DevelopmentPublic:
    return DevelopmentPublic(
        story_id=development.story_id,
        title=development.title,
        date=development.date,
        jurisdictions=list(development.jurisdictions),
        doc_type=development.doc_type,
        summary=development.summary,
        citations=list(development.citations),
    )


def _source(citation: Citation) -> SourcePublic:
    return SourcePublic(
        number=citation.number,
        item_id=citation.item_id,
        title=citation.title,
        source=citation.source,
        url=citation.url,
        link=citation.link,
        published=citation.published_at,
    )
