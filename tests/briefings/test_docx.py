"""The Word format: render_docx's bytes opened again with python-docx."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx
import pytest
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.text.paragraph import Paragraph

from briefings.docx import add_hyperlink, render_docx
from briefings.records import STAGES, Briefing
from tests.briefings.briefing_factory import (
    CHINESE_TITLE,
    HEADINGS,
    HOSTILE_URL,
    JAPANESE_TITLE,
    THAI_TITLE,
    make_briefing,
)

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def open_docx(briefing: Briefing) -> WordDocument:
    return docx.Document(io.BytesIO(render_docx(briefing)))


def every_paragraph(document: WordDocument) -> list[Paragraph]:
    """The body's paragraphs, then those in the tables' cells."""
    in_tables = [
        paragraph
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    return [*document.paragraphs, *in_tables]


def test_title_window_filters_and_headings_in_order() -> None:
    briefing = make_briefing()
    document = open_docx(briefing)

    assert document.paragraphs[0].style is not None and document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == briefing.title
    assert document.core_properties.title == briefing.title
    front = "\n".join(paragraph.text for paragraph in document.paragraphs[1:3])
    assert "Window: 1 Oct 2025 to 30 Nov 2025" in front
    assert "Countries: AU, JP, CN, TH, SG, KR, VN, ID, MY" in front
    assert "Harm areas: Child safety, Scams and fraud, Deepfakes and synthetic media" in front
    assert "Stakeholder: eSafety Commissioner" in front
    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] == HEADINGS
    harm_headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert harm_headings[:3] == ["Child safety", "Scams and fraud", "Deepfakes and synthetic media"]


def test_without_a_stakeholder_the_sections_after_it_move_up() -> None:
    document = open_docx(make_briefing(stakeholder=None, stakeholder_section=None))

    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [*HEADINGS[:4], "5. Neighbouring jurisdictions", "6. Sources"]


def test_citations_follow_each_bullet_and_every_source_is_numbered() -> None:
    briefing = make_briefing()
    document = open_docx(briefing)
    bullets = [p for p in document.paragraphs if p.style is not None and p.style.name == "List Bullet"]

    summary = [p.text for p in bullets[: len(briefing.summary)]]
    assert summary == [
        "Australia's social media minimum age rules are registered ahead of 10 December. [1]",
        "Japan and China both consult on children's online protection. [2][3]",
        "Scam rules advance in Australia, Thailand and Viet Nam. [4][5][8]",
    ]
    assert all(re.search(r" (\[\d+\])+$", bullet.text) for bullet in bullets)
    # Each citation links to its source's entry, which is a bookmark.
    body = document.element.body.xml
    for bullet in bullets:
        for link in bullet.hyperlinks:
            assert re.fullmatch(r"\[\d+\]", link.text)
            assert f'w:name="{link.fragment}"' in body
    cited = {int(number) for p in every_paragraph(document) for number in re.findall(r"\[(\d+)\]", p.text)}
    assert cited == {citation.number for citation in briefing.sources}
    sources = [p.text for p in document.paragraphs if re.match(r"\[\d+\] ", p.text)]
    assert [int(re.match(r"\[(\d+)\]", text)[1]) for text in sources] == list(range(1, 12))  # type: ignore[index]


def test_scripts_of_the_region_are_kept() -> None:
    text = "\n".join(p.text for p in open_docx(make_briefing()).paragraphs)

    for title in (JAPANESE_TITLE, CHINESE_TITLE, THAI_TITLE, "Nghị định quy định xử phạt"):
        assert title in text


def test_each_comparison_is_a_table_of_jurisdictions_by_stages() -> None:
    briefing = make_briefing()
    document = open_docx(briefing)

    assert len(document.tables) == len(briefing.neighbours) == 2
    for table, comparison in zip(document.tables, briefing.neighbours, strict=True):
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        assert rows[0] == ["Jurisdiction", "Legislation", "Regulation", "Consultation", "Guidance", "Enforcement"]
        assert len(rows[0]) == 1 + len(STAGES)
        assert [row[0] for row in rows[1:]] == [row.jurisdiction for row in comparison.rows]
        for row, expected in zip(rows[1:], comparison.rows, strict=True):
            for text, cell in zip(row[1:], expected.cells, strict=True):
                assert text == "-" if cell is None else text.endswith(f") [{cell.citation}]")
    child_safety = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert (
        child_safety[1][2] == "eSafety registers the rules for age-restricted social media platforms (9 Oct 2025) [1]"
    )
    assert child_safety[2][3] == f"{CHINESE_TITLE} (3 Nov 2025) [3]"


def test_hyperlinks_go_to_the_http_addresses_and_nowhere_else() -> None:
    briefing = make_briefing()
    data = render_docx(briefing)
    document = docx.Document(io.BytesIO(data))

    addresses = {link.address for p in every_paragraph(document) for link in p.hyperlinks if link.address}
    expected = {c.url for c in briefing.sources if c.url.startswith("https://")} | {c.link for c in briefing.sources}
    assert addresses == expected
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK]
    assert targets and all(target.startswith(("http://", "https://")) for target in targets)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            assert b"javascript:" not in package.read(name).lower(), name
    # The hostile source is still listed, with its tracker page, without its address.
    entry = next(p for p in document.paragraphs if p.text.startswith("[10] "))
    assert [link.address for link in entry.hyperlinks] == ["https://radar.example.org/items/item-10"]
    assert HOSTILE_URL not in entry.text


def test_control_characters_are_dropped_and_markup_is_plain_text() -> None:
    document = open_docx(make_briefing())

    texts = [p.text for p in every_paragraph(document)]
    assert not [text for text in texts if CONTROL.search(text)]
    hostile = "Fake parcel texts <script>alert('x')</script> surge ahead of 11.11 sales[31m"
    assert sum(hostile in text for text in texts) >= 3  # the development, the table and the sources
    assert "(Unknown blog, 8 Nov 2025)" in "\n".join(texts)


def test_add_hyperlink_refuses_other_schemes() -> None:
    paragraph = docx.Document().add_paragraph()

    for address in (HOSTILE_URL, "data:text/html,<b>x</b>", "/items/item-1", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            add_hyperlink(paragraph, "x", url=address)
    add_hyperlink(paragraph, "the page", url="https://example.org/a?b=1&c=2")
    assert [(link.address, link.text) for link in paragraph.hyperlinks] == [
        ("https://example.org/a?b=1&c=2", "the page")
    ]


def test_an_empty_briefing_still_renders_every_section() -> None:
    empty = dataclasses.replace(
        make_briefing(), summary=(), developments=(), timeline=(), upcoming=(), neighbours=(), sources=()
    )
    document = open_docx(empty)

    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] == HEADINGS
    assert "Nothing in this window." in [p.text for p in document.paragraphs]
    assert not document.tables
