"""A briefing as HTML: a standalone document (one file, its style inside, nothing fetched, fit to
print) and the same sections for the tracker's own briefing page. Rendered through Jinja2 with
autoescaping: crawled text is always text, and only http(s) addresses from items become links."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from briefings.citations import citation_runs
from briefings.formats import harm_labels
from briefings.printable import clean, section_titles, web_address
from briefings.records import STAGES, Briefing, Citation, Comparison

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def render_html(briefing: Briefing) -> str:
    """The briefing as a complete HTML document."""
    return _environment().get_template("briefing.html").render(briefing=briefing)


def render_sections(briefing: Briefing, *, compare_path: str = "") -> Markup:
    """The briefing's seven sections as HTML to place in a page; each comparison links to
    `compare_path`?harm=ID when given."""
    module = _environment().get_template("sections.html").module
    return Markup(module.sections(briefing, compare_path))  # type: ignore[attr-defined]


def render_comparison(comparison: Comparison, sources: Iterable[Citation]) -> Markup:
    """One comparison table and the numbered items its cells cite, for the comparison page."""
    module = _environment().get_template("sections.html").module
    table, cited = module.comparison_table(comparison), module.source_list(tuple(sources))  # type: ignore[attr-defined]
    return Markup(table) + Markup("<h3>Sources</h3>") + Markup(cited)


def _clean(value: object) -> object:
    """Text on one line without control characters; markup the templates made (a macro's
    output, of values already cleaned) as it is."""
    return clean(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _numbered(sources: Iterable[Citation]) -> dict[int, Citation]:
    return {citation.number: citation for citation in sources}


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Whatever a builder left in, no control character reaches the page.
        finalize=_clean,
    )
    environment.globals.update(
        runs=citation_runs,
        web_address=web_address,
        STAGES=STAGES,
        harm_labels=harm_labels,
        numbered=_numbered,
        section_titles=section_titles,
    )
    return environment
