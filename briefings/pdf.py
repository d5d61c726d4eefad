"""A briefing pack as a PDF (fpdf2), laid out from briefings/printable.py's blocks: the same
sections as the Word document, a table per comparison, citations linking to their source's
entry and sources linking to their http(s) addresses.

Titles come in Chinese, Japanese, Korean, Thai, Vietnamese and Bahasa, so the text is set in
TrueType fonts found on the machine (`find_fonts`) with fpdf2's fallback fonts for CJK and
Thai. A character no font here can show is printed as "?", and the PDF says so once, near the
top, naming the Debian packages that would show it; the same is logged as a warning. With no
Unicode font at all, a core font (Western European characters only) is used."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont

from briefings.printable import Block, Bullet, Grid, Heading, Paragraph, SourceEntry, clean, outline, texts
from briefings.records import Briefing

logger = logging.getLogger(__name__)

MISSING_GLYPHS_NOTE = "Some characters cannot be shown with the fonts on the machine that made this PDF"
CORE_FONT = "helvetica"
CORE_ENCODING = "windows-1252"  # the core fonts' widest encoding: adds curly quotes, dashes and bullets to Latin-1
LINK_COLOUR = (5, 99, 193)
GREY = (90, 90, 90)


@dataclass(frozen=True)
class FontFile:
    """A font on disk: its regular face, its bold face when there is one, and which face of a
    .ttc collection to use."""

    regular: str
    bold: str | None = None
    index: int = 0


@dataclass(frozen=True)
class FontRole:
    """What a font is for ("text": Latin, Vietnamese and the rest; "cjk"; "thai"), the Debian
    package that provides it, and where Debian's packages put the candidates, best first."""

    name: str
    package: str
    candidates: tuple[FontFile, ...]


FONT_ROLES = (
    FontRole(
        "text",
        "fonts-dejavu-core",
        (
            FontFile(
                "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
            ),
            FontFile(
                "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
            ),
            FontFile(
                "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
            ),
        ),
    ),
    FontRole(
        "cjk",
        "fonts-noto-cjk",
        (
            # Face 0 of the collection is the Japanese one; every face holds Han, kana and Hangul.
            FontFile(
                "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
            ),
            FontFile(
                "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
                "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
            ),
            FontFile("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
            FontFile("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
        ),
    ),
    FontRole(
        "thai",
        "fonts-tlwg-loma-ttf",
        (
            FontFile(
                "/usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf",
                "/usr/share/fonts/truetype/noto/NotoSansThai-Bold.ttf",
            ),
            FontFile("/usr/share/fonts/truetype/tlwg/Loma.ttf", "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf"),
            FontFile("/usr/share/fonts/opentype/tlwg/Loma.otf", "/usr/share/fonts/opentype/tlwg/Loma-Bold.otf"),
        ),
    ),
)


def find_fonts(roles: tuple[FontRole, ...] = FONT_ROLES) -> dict[str, FontFile]:
    """For each role, the first candidate whose regular face is a file here, by role name;
    a role with none installed is left out (so `"cjk" in find_fonts()` says whether Chinese,
    Japanese and Korean can be shown). A bold face that is missing is dropped."""
    found: dict[str, FontFile] = {}
    for role in roles:
        for candidate in role.candidates:
            if Path(candidate.regular).is_file():
                bold = candidate.bold if candidate.bold and Path(candidate.bold).is_file() else None
                found[role.name] = FontFile(candidate.regular, bold, candidate.index)
                break
    return found


def render_pdf(briefing: Briefing, *, fonts: Mapping[str, FontFile] | None = None) -> bytes:
    """The briefing as the bytes of a PDF: title, window and filters, the numbered sections,
    a table per comparison, "[n]" citations linking to their source, and the sources with
    links to their http(s) addresses (no other link is made). `fonts` are those of
    `find_fonts()` unless given; characters none of them can show print as "?" under a note."""
    fonts = find_fonts() if fonts is None else fonts
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(clean(briefing.title))
    pdf.set_creator("policy-radar")
    pdf.set_creation_date(briefing.generated_at)
    family, showable = _load_fonts(pdf, fonts)

    blocks = outline(briefing)
    missing = sorted({char for text in texts(blocks) for char in text if not char.isspace() and not showable(char)})
    if missing:
        note = _missing_glyphs_note(missing, fonts)
        logger.warning("briefing PDF: %s (%s)", note, ", ".join(repr(char) for char in missing[:10]))
        # Once, just before section 1 (after the title, the window and the filters).
        first_section = next(
            index for index, block in enumerate(blocks) if isinstance(block, Heading) and block.level == 1
        )
        blocks.insert(first_section, Paragraph(note))

    pdf.add_page()
    # Made on page 1 (fpdf2 wants a page for every link); each source's entry moves its own there.
    page = _Page(pdf, family, showable, {source.number: pdf.add_link() for source in briefing.sources})
    for block in blocks:
        page.add(block)
    return bytes(pdf.output())


def _load_fonts(pdf: FPDF, fonts: Mapping[str, FontFile]) -> tuple[str, Callable[[str], bool]]:
    """Adds the fonts to `pdf`, the others as fallbacks of the main one; returns the main
    family and whether a character can be shown."""
    main = "text" if "text" in fonts else "cjk" if "cjk" in fonts else None
    if main is None:
        pdf.core_fonts_encoding = CORE_ENCODING
        return CORE_FONT, _in_core_encoding
    for name, font in fonts.items():
        pdf.add_font(name, "", font.regular, collection_font_number=font.index)
        if font.bold or name == main:  # headings need a bold main font, even a regular one standing in
            pdf.add_font(name, "B", font.bold or font.regular, collection_font_number=font.index)
    # Any emphasis will do for a fallback: a CJK title in a bold heading beats a missing glyph.
    pdf.set_fallback_fonts([name for name in fonts if name != main], exact_match=False)
    cmaps = [font.cmap for font in pdf.fonts.values() if isinstance(font, TTFFont)]
    return main, lambda char: any(ord(char) in cmap for cmap in cmaps)


def _in_core_encoding(char: str) -> bool:
    try:
        char.encode(CORE_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _missing_glyphs_note(missing: list[str], fonts: Mapping[str, FontFile]) -> str:
    roles = {_role_of(char) for char in missing}
    packages = [role.package for role in FONT_ROLES if role.name in roles and role.name not in fonts]
    if "text" not in fonts and "cjk" not in fonts:  # no Unicode font at all: the two that cover most of the region
        packages = [role.package for role in FONT_ROLES if role.name in ("text", "cjk") or role.name in roles]
    noun = "package" if len(packages) == 1 else "packages"
    advice = f" Installing the Debian {noun} {', '.join(packages)} there shows them." if packages else ""
    return f'{MISSING_GLYPHS_NOTE} and appear as "?".{advice}'


def _role_of(char: str) -> str:
    """Which role's font would show `char`."""
    code = ord(char)
    if 0x0E00 <= code <= 0x0E7F:
        return "thai"
    # Wide characters below the emoji planes: Han, kana, Hangul, CJK punctuation and full-width forms.
    if 0x1100 <= code < 0x1F000 and unicodedata.east_asian_width(char) in ("W", "F"):
        return "cjk"
    return "text"


@dataclass
class _Page:
    """Lays blocks out on `pdf` in the main font `family`; `anchors` are the internal links of
    the sources' entries, by number."""

    pdf: FPDF
    family: str
    showable: Callable[[str], bool]
    anchors: dict[int, int]

    def add(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.pdf.set_font(self.family, "", 10)
            self.pdf.multi_cell(0, 5, self.shown(block.text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.pdf.ln(1.5)
        elif isinstance(block, Bullet):
            self.bullet(block)
        elif isinstance(block, Grid):
            self.grid(block)
        else:
            self.source(block)

    def shown(self, text: str) -> str:
        """`text` with what no font can show replaced: by its letters without accents when
        they can be shown (core fonts), else by one "?" for each run."""
        out: list[str] = []
        replaced = False
        for char in text:
            if char.isspace() or self.showable(char):
                out.append(char)
                replaced = False
                continue
            plain = "".join(
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part) and self.showable(part)
            )
            if plain:
                out.append(plain)
                replaced = False
            elif not replaced:
                out.append("?")
                replaced = True
        return "".join(out)

    def heading(self, heading: Heading) -> None:
        size, space = {0: (18, 0.0), 1: (14, 5.0), 2: (11.5, 3.0)}.get(heading.level, (10, 2.0))
        if heading.level in (1, 2):
            if self.pdf.will_page_break(space + 20):  # keep a heading with what follows it
                self.pdf.add_page()
            else:
                self.pdf.ln(space)
            self.pdf.start_section(heading.text, level=heading.level - 1)
        self.pdf.set_font(self.family, "B", size)
        self.pdf.multi_cell(0, size * 0.5, self.shown(heading.text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.ln(2)

    def bullet(self, bullet: Bullet) -> None:
        pdf, margin = self.pdf, self.pdf.l_margin
        pdf.set_font(self.family, "", 10)
        pdf.set_x(margin + 1.5)
        pdf.cell(4.5, 5, self.shown("•"))
        pdf.set_left_margin(margin + 6)  # so the bullet's text wraps under itself
        pdf.write(5, self.shown(bullet.text) + (" " if bullet.citations else ""))
        for number in bullet.citations:
            self.citation(number)
        pdf.ln(5)
        if bullet.detail:
            pdf.set_font(self.family, "", 9)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(0, 4.5, self.shown(bullet.detail), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0)
        pdf.set_left_margin(margin)
        pdf.ln(1)

    def citation(self, number: int) -> None:
        pdf, text = self.pdf, f"[{number}]"
        # fpdf2 splits a word that starts too near the line's end; "[1" and "2]" on two lines reads badly.
        if pdf.get_x() + pdf.get_string_width(text) > pdf.w - pdf.r_margin:
            pdf.ln(5)
        anchor = self.anchors.get(number)
        if anchor is None:
            pdf.write(5, text)
            return
        pdf.set_text_color(*LINK_COLOUR)
        pdf.write(5, text, link=anchor)
        pdf.set_text_color(0)

    def grid(self, grid: Grid) -> None:
        pdf = self.pdf
        pdf.set_font(self.family, "", 7.5)
        widths = (12, *[(100 - 12) / (len(grid.header) - 1)] * (len(grid.header) - 1))
        with pdf.table(
            col_widths=widths,
            text_align="LEFT",
            v_align="TOP",
            line_height=3.6,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            padding=1,
        ) as table:
            for values in (grid.header, *grid.rows):
                row = table.row()
                for value in values:
                    row.cell(self.shown(value))
        pdf.ln(3)

    def source(self, source: SourceEntry) -> None:
        pdf = self.pdf
        if pdf.will_page_break(14):  # so the citations' links land on the entry, not the page before
            pdf.add_page()
        anchor = self.anchors.get(source.number)
        if anchor is not None:
            pdf.set_link(anchor, y=pdf.get_y(), page=pdf.page)
        pdf.set_font(self.family, "B", 9)
        pdf.write(4.5, f"[{source.number}] ")
        pdf.set_font(self.family, "", 9)
        details = f" ({source.details})" if source.details else ""
        pdf.write(4.5, self.shown(source.title + details))
        pdf.ln(4.5)
        pdf.set_left_margin(pdf.l_margin + 6)
        for label, address in (("Published at", source.url), ("On the tracker", source.tracker)):
            if address is not None:
                pdf.write(4.5, f"{label}: ")
                pdf.set_text_color(*LINK_COLOUR)
                pdf.write(4.5, self.shown(address), link=address)
                pdf.set_text_color(0)
                pdf.ln(4.5)
        pdf.set_left_margin(pdf.l_margin - 6)
        pdf.ln(1.5)
