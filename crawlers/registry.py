"""The source registry: which sites radar watches, and how (`crawlers/sources.yaml`).

Each entry names a source and its *family* (how it is crawled) with that family's
parameters. The minimal entry is `{id, name, kind, jurisdiction, language, family: feed, url}`;
everything else has a default, such as `interval_minutes`: how often the scheduler crawls the
source (60). `load_registry` reads a file and raises RegistryError listing every problem with its
entry id and field, so a person can fix them all in one go.

Families:
- feed: an RSS 0.9x/1.0/2.0, Atom or JSON feed at `url`; `encoding` overrides a wrong declared one.
- search_feed: a news-search feed (Google News RSS and the like) at `url`: a feed whose entries
  link to other sites' articles.
- listing: an HTML page at `url` that lists releases. `links` (a CSS selector, or XPath when it
  starts with / or `(`) picks the links to follow, `follow` (a regular expression) the article
  URLs among them (default: URLs under the listing's own path), `next_page` (a selector) the
  link to the next page, up to `max_pages`.
- page: one page at `url` watched for changes (a guidance page, a bill's page).
- sitemap: an XML sitemap at `url`; `follow` picks the article URLs, at most `max_urls` a pass.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from nlp.items import SOURCE_KINDS

DEFAULT_REGISTRY = Path(__file__).parent / "sources.yaml"
FAMILIES = ("feed", "search_feed", "listing", "page", "sitemap")
REGIONS = frozenset({"APAC", "ASEAN", "EU", "GLOBAL"})
CONFIDENCE = ("high", "medium", "low")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_LANGUAGE = re.compile(r"[a-z]{2}")

# Each family's parameters beyond `url`, with their types and defaults.
_PARAMETERS: dict[str, dict[str, tuple[type, Any]]] = {
    "feed": {"encoding": (str, None)},
    "search_feed": {},
    "listing": {"links": (str, "a[href]"), "follow": (str, None), "next_page": (str, None), "max_pages": (int, 3)},
    "page": {},
    "sitemap": {"follow": (str, None), "max_urls": (int, 200)},
}
_COMMON = {"id", "name", "kind", "jurisdiction", "language", "family", "url"}
_OPTIONAL: dict[str, tuple[type, Any]] = {
    "enabled": (bool, True),
    "homepage": (str, None),
    "confidence": (str, "medium"),
    "notes": (str, ""),
    "rhythm_days": (int, 14),  # how often it usually publishes; silence far beyond this is flagged
    "interval_minutes": (int, 60),  # how often the scheduler crawls it (scheduler/)
    "blocks_datacenters": (bool, False),
    "needs_javascript": (bool, False),
}


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: str
    jurisdiction: str
    language: str
    family: str
    url: str
    parameters: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    homepage: str | None = None
    confidence: str = "medium"
    notes: str = ""
    rhythm_days: int = 14
    interval_minutes: int = 60
    blocks_datacenters: bool = False
    needs_javascript: bool = False


@dataclass(frozen=True)
class Problem:
    entry: str  # the entry's id, or "#<n>" when it has none
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.entry}: {self.field}: {self.message}"


class RegistryError(ValueError):
    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path, self.problems = path, problems
        listed = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the source registry:\n{listed}")


def load_registry(path: Path = DEFAULT_REGISTRY) -> list[Source]:
    """The sources of a registry file; RegistryError with every problem found."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RegistryError(path, [Problem("(file)", "-", f"cannot be read: {error.strerror or error}")]) from error
    except yaml.YAMLError as error:
        raise RegistryError(path, [Problem("(file)", "-", f"is not valid YAML: {error}")]) from error
    entries = document.get("sources") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise RegistryError(
            path, [Problem("(file)", "sources", "expected a list of sources (or `sources:` holding one)")]
        )
    problems: list[Problem] = []
    sources = [source for number, entry in enumerate(entries, 1) if (source := _source(entry, number, problems))]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            problems.append(Problem(source.id, "id", "is used by an earlier entry too"))
        seen.add(source.id)
    if problems:
        raise RegistryError(path, problems)
    return sources


def _source(entry: object, number: int, problems: list[Problem]) -> Source | None:
    if not isinstance(entry, dict):
        problems.append(Problem(f"#{number}", "-", "expected a mapping of fields"))
        return None
    name = entry.get("id")
    label = name if isinstance(name, str) and name else f"#{number}"
    before = len(problems)

    def problem(field_name: str, message: str) -> None:
        problems.append(Problem(label, field_name, message))

    for required in sorted(_COMMON):
        if entry.get(required) in (None, ""):
            problem(required, "is required")
    family = entry.get("family")
    parameters_of = _PARAMETERS.get(family, {}) if isinstance(family, str) else {}
    if family is not None and family not in FAMILIES:
        problem("family", f"{family!r} is not a family; known: {', '.join(FAMILIES)}")
    known = _COMMON | set(_OPTIONAL) | set(parameters_of)
    for unknown in sorted(set(map(str, entry)) - known):
        owners = [name for name, parameters in _PARAMETERS.items() if unknown in parameters]
        hint = f" (it is one of {' and '.join(owners)})" if owners else ""
        problem(unknown, f"is not a field of a {family or 'source'} entry{hint}")
    if isinstance(name, str) and name and not _ID.fullmatch(name):
        problem("id", "use 2-63 lower-case letters, digits and dashes")
    for text_field in ("name", "url"):
        if entry.get(text_field) is not None and not isinstance(entry.get(text_field), str):
            problem(text_field, "must be text")
    kind = entry.get("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        problem("kind", f"{kind!r} is not a kind; known: {', '.join(sorted(SOURCE_KINDS))}")
    jurisdiction = entry.get("jurisdiction")
    if jurisdiction is not None and not (
        isinstance(jurisdiction, str) and (jurisdiction in REGIONS or _COUNTRY.fullmatch(jurisdiction))
    ):
        problem(
            "jurisdiction", f"{jurisdiction!r}: use an ISO 3166-1 alpha-2 code (AU) or {', '.join(sorted(REGIONS))}"
        )
    language = entry.get("language")
    if language is not None and not (isinstance(language, str) and _LANGUAGE.fullmatch(language)):
        problem("language", f"{language!r}: use an ISO 639-1 code (en, ja, id)")
    for url_field in ("url", "homepage"):
        value = entry.get(url_field)
        if isinstance(value, str) and value and not _is_web_url(value):
            problem(url_field, f"{value!r} is not an http(s) URL")
    values: dict[str, Any] = {}
    for optional, (kind_of, default) in [*_OPTIONAL.items(), *parameters_of.items()]:
        value = entry.get(optional, default)
        if value is not None and not _is_a(value, kind_of):
            problem(optional, f"must be {kind_of.__name__}, not {value!r}")
        values[optional] = value
    if values["confidence"] not in CONFIDENCE:
        problem("confidence", f"{values['confidence']!r}: use {', '.join(CONFIDENCE)}")
    for count in ("rhythm_days", "interval_minutes", "max_pages", "max_urls"):
        if isinstance(values.get(count), int) and values[count] < 1:
            problem(count, "must be at least 1")
    for selector in ("links", "next_page"):
        if isinstance(values.get(selector), str) and (problem_text := _selector_problem(values[selector])):
            problem(selector, problem_text)
    if isinstance(values.get("encoding"), str):
        try:
            codecs.lookup(values["encoding"])
        except LookupError:
            problem("encoding", f"{values['encoding']!r} is not an encoding (e.g. shift_jis, cp949, gb18030)")
    for pattern in ("follow",):
        if isinstance(values.get(pattern), str):
            try:
                re.compile(values[pattern])
            except re.error as error:
                problem(pattern, f"is not a valid regular expression: {error}")
    if len(problems) > before:
        return None
    parameters = {key: values.pop(key) for key in _PARAMETERS[entry["family"]]}
    return Source(
        id=entry["id"],
        name=entry["name"],
        kind=entry["kind"],
        jurisdiction=entry["jurisdiction"],
        language=entry["language"],
        family=entry["family"],
        url=entry["url"],
        parameters=parameters,
        **values,
    )


def _selector_problem(selector: str) -> str | None:
    """What is wrong with a CSS selector (or an XPath one: starting with / or `(`), if anything."""
    from parsel import Selector

    try:
        page = Selector(text="<html></html>")
        page.xpath(selector) if selector.startswith(("/", "(")) else page.css(selector)
    except Exception as error:  # cssselect and lxml raise their own kinds
        return f"is not a valid {'XPath' if selector.startswith(('/', '(')) else 'CSS'} selector: {error}"
    return None


def _is_a(value: object, kind_of: type) -> bool:
    if kind_of is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind_of)


def _is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
