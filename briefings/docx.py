"""A briefing pack as a Word document (python-docx), laid out from briefings/printable.py's blocks:
the numbered sections as headings, citations after each bullet linking to their source's entry,
each comparison as a real Word table (jurisdictions × stages), and sources with hyperlinks to
their http(s) addresses and to their tracker page."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph

from briefings.printable import Block, Bullet, Grid, Heading, Paragraph, SourceEntry, clean, outline, web_address
from briefings.records import Briefing

LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)  # Word's own colour for hyperlinks
TABLE_TEXT = Pt(8)


def render_docx(briefing: Briefing) -> bytes:
    """The briefing as the bytes of a .docx file: its title, window and filters, then the
    numbered sections (Heading 1), "[n]" citations after each bullet, a Word table per
    comparison and the numbered sources with their links. Only http(s) addresses become links;
    control characters in crawled text are dropped."""
    document = Document()
    section = document.sections[0]
    # A4, as briefings are printed across the region.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    properties = document.core_properties
    properties.title = clean(briefing.title)[:255]
    properties.author = "policy-radar"
    properties.created = briefing.generated_at

    cited = {citation.number for citation in briefing.sources}
    for block in outline(briefing):
        _add_block(document, block, cited)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def add_hyperlink(paragraph: WordParagraph, text: str, *, url: str | None = None, anchor: str | None = None) -> None:
    """Appends `text` to `paragraph` as a link, either to `url` (which must be an http(s)
    address: it goes into the document's relationships) or to the bookmark named `anchor`.
    python-docx reads hyperlinks but has no call to write one, hence the XML here."""
    link = OxmlElement("w:hyperlink")
    if url is not None:
        if web_address(url) is None:
            raise ValueError(f"not an http(s) address: {url!r}")
        link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    elif anchor is not None:
        link.set(qn("w:anchor"), anchor)
    else:
        raise ValueError("a link needs a url or an anchor")
    run = paragraph.add_run(text)
    run.font.color.rgb = LINK_COLOUR
    run.font.underline = True
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)


def _add_block(document: WordDocument, block: Block, cited: set[int]) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        document.add_paragraph(block.text)
    elif isinstance(block, Bullet):
        paragraph = document.add_paragraph(block.text, style="List Bullet")
        _add_citations(paragraph, block.citations, cited)
        if block.detail:
            document.add_paragraph(block.detail, style="List Continue")
    elif isinstance(block, Grid):
        _add_grid(document, block)
    else:
        _add_source(document, block)


def _add_citations(paragraph: WordParagraph, numbers: tuple[int, ...], cited: set[int]) -> None:
    if numbers:
        paragraph.add_run(" ")
    for number in numbers:
        if number in cited:
            add_hyperlink(paragraph, f"[{number}]", anchor=_bookmark(number))
        else:
            paragraph.add_run(f"[{number}]")


def _add_grid(document: WordDocument, grid: Grid) -> None:
    table = document.add_table(rows=1 + len(grid.rows), cols=len(grid.header))
    table.style = "Table Grid"
    for row_number, (row, values) in enumerate(zip(table.rows, (grid.header, *grid.rows), strict=True)):
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(value)
            run.font.size = TABLE_TEXT
            run.bold = row_number == 0 or column == 0  # the stages and the jurisdictions
    # The header row repeats on every page the table runs over.
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)


def _add_source(document: WordDocument, source: SourceEntry) -> None:
    paragraph = document.add_paragraph()
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(source.number))
    start.set(qn("w:name"), _bookmark(source.number))
    end.set(qn("w:id"), str(source.number))
    paragraph._p.append(start)
    paragraph.add_run(f"[{source.number}]").bold = True
    paragraph._p.append(end)
    paragraph.add_run(f" {source.title}" + (f" ({source.details})" if source.details else ""))
    for label, address in (("Published at", source.url), ("On the tracker", source.tracker)):
        if address is not None:
            paragraph.add_run().add_break()
            paragraph.add_run(f"{label}: ")
            add_hyperlink(paragraph, address, url=address)


def _bookmark(number: int) -> str:
    return f"source_{number}"
