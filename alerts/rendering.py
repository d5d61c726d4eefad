"""The bodies a channel sends for a `Message`: the email's subject, plain text and HTML (Jinja2
templates in alerts/templates) and the JSON of a generic webhook; what every format shows of an
alert (`view`) and the digest's grouping. Slack's and Teams' bodies are in alerts/chat.py.

Every alert shows its title linked to its page on the tracker, its source and the source's link,
its published date, its tags, why it matched, what changed (for "changed"), "+N other sources",
and for a surge its figures and items; every message has the unsubscribe and manage links. A
digest is grouped by harm area, then by country, both in alphabetical order of their codes with
untagged alerts last; an alert tagged with several is listed under its first.

Crawled text (titles, snippets, source names) is untrusted: the HTML escapes it, Slack's mrkdwn
gets &, < and > escaped and `verbatim` (so nothing in it becomes a link or a mention), Teams gets
it in TextRuns (which read no Markdown), and only http(s) URLs ever become links. The generic
JSON carries plain text: its receiver escapes it for wherever it shows it."""

from __future__ import annotations

import datetime as dt
import functools
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from alerts.records import AlertItem, Message

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
KINDS = {"new": "New", "changed": "Changed", "trend": "Surge"}
# What the subscriptions' filter fields are called in "why it matched".
FILTER_NAMES = {
    "jurisdictions": "country",
    "harm_areas": "harm area",
    "doc_types": "document type",
    "source_kinds": "source kind",
    "languages": "language",
}
NO_HARM_AREA = "No harm area"
NO_COUNTRY = "No country"
TITLE_LIMIT = 300
SNIPPET_LIMIT = 300


@dataclass(frozen=True)
class Link:
    text: str
    url: str | None  # None: not a web link, shown as text only


@dataclass(frozen=True)
class AlertView:
    """One alert as every format shows it: text ready to escape, links already checked."""

    kind: str  # New, Changed, Surge
    title: Link
    source: Link | None
    published: str | None  # YYYY-MM-DD (UTC)
    tags: tuple[str, ...]
    matched: tuple[str, ...]  # "terms: age assurance", "country: AU, SG"
    changes: tuple[str, ...]
    other_sources: str | None  # "+2 other sources"
    surge: str | None  # the figures, in words
    related: tuple[Link, ...]
    snippet: str


@dataclass(frozen=True)
class CountryGroup:
    jurisdiction: str
    alerts: tuple[AlertView, ...]


@dataclass(frozen=True)
class HarmGroup:
    harm_area: str
    countries: tuple[CountryGroup, ...]


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) URL with a host: a javascript: or data: URL never becomes a link."""
    if not url:
        return None
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def one_line(text: str, limit: int) -> str:
    """`text` on one line (crawled titles carry newlines and tabs), cut to `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def label(code: str) -> str:
    """A harm area's or document type's id as words: child_safety -> Child safety."""
    return code.replace("_", " ").capitalize()


def view(alert: AlertItem) -> AlertView:
    """What every format shows of `alert`: crawled text on one line and cut short, links only if http(s)."""
    source_url = web_url(alert.source_url)
    source_name = one_line(alert.source or "", 200) or (urllib.parse.urlsplit(source_url).netloc if source_url else "")
    published = alert.published_at
    if published is not None and published.tzinfo is not None:
        published = published.astimezone(dt.UTC)
    surge = alert.surge
    return AlertView(
        kind=KINDS.get(alert.kind, label(alert.kind)),
        title=Link(one_line(alert.title, TITLE_LIMIT) or "(untitled)", web_url(alert.link)),
        source=Link(source_name, source_url) if source_name else None,
        published=published.date().isoformat() if published else None,
        tags=(*alert.jurisdictions, *(label(harm) for harm in alert.harm_areas), label(alert.doc_type)),
        matched=(
            *([f"terms: {', '.join(alert.matched_terms)}"] if alert.matched_terms else []),
            *(
                f"{FILTER_NAMES.get(name, name.replace('_', ' '))}: {', '.join(values)}"
                for name, values in alert.matched_tags.items()
                if values
            ),
        ),
        changes=tuple(one_line(change, TITLE_LIMIT) for change in alert.changes),
        other_sources=(
            f"+{alert.other_sources} other source{'s' if alert.other_sources != 1 else ''}"
            if alert.other_sources
            else None
        ),
        surge=(
            f"{surge.count} items on {surge.day.isoformat()} against {surge.baseline_mean:.1f} a day usually "
            f"(z = {surge.z:.1f}) on {label(surge.harm_area)} in {surge.jurisdiction}"
            if surge
            else None
        ),
        related=tuple(Link(one_line(item.title, TITLE_LIMIT), web_url(item.link)) for item in alert.related),
        snippet=one_line(alert.snippet, SNIPPET_LIMIT),
    )


def digest(alerts: Sequence[AlertItem]) -> tuple[HarmGroup, ...]:
    """The alerts by harm area, then by country (each alert under its first of both), sorted
    by code with untagged alerts last; alerts keep their order within a country."""
    harms: dict[str, dict[str, list[AlertItem]]] = {}
    for alert in alerts:
        harm = alert.harm_areas[0] if alert.harm_areas else ""
        country = alert.jurisdictions[0] if alert.jurisdictions else ""
        harms.setdefault(harm, {}).setdefault(country, []).append(alert)

    def last_if_empty(code: str) -> tuple[bool, str]:
        return (not code, code)

    return tuple(
        HarmGroup(
            harm_area=label(harm) if harm else NO_HARM_AREA,
            countries=tuple(
                CountryGroup(country or NO_COUNTRY, tuple(view(alert) for alert in countries[country]))
                for country in sorted(countries, key=last_if_empty)
            ),
        )
        for harm, countries in sorted(harms.items(), key=lambda pair: last_if_empty(pair[0]))
    )


def listing(alerts: Sequence[AlertItem]) -> Iterator[tuple[str | None, AlertView]]:
    """The digest's alerts in order, each with the heading ("Scams · SG") that starts its group,
    or None when it is in the same group as the one before."""
    for group in digest(alerts):
        for country in group.countries:
            for index, alert in enumerate(country.alerts):
                yield (f"{group.harm_area} · {country.jurisdiction}" if index == 0 else None), alert


def subject(message: Message) -> str:
    """`[subscription] New: title` for one alert, `[subscription] 12 alerts (daily digest)` for several."""
    name = one_line(message.subscription_name, 80)
    if len(message.alerts) == 1:
        alert = message.alerts[0]
        return f"[{name}] {KINDS.get(alert.kind, label(alert.kind))}: {one_line(alert.title, 160)}"
    cadence = f" ({message.cadence} digest)" if message.cadence != "instant" else ""
    return f"[{name}] {len(message.alerts)} alerts{cadence}"


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(["html"]),  # the .txt body is plain text, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def _context(message: Message) -> dict[str, Any]:
    return {
        "subject": subject(message),
        "subscription_name": one_line(message.subscription_name, 200),
        "count": len(message.alerts),
        "cadence": message.cadence,
        "groups": digest(message.alerts),
        "manage": Link("Manage your subscriptions", web_url(message.manage_link)),
        "unsubscribe": Link("Unsubscribe", web_url(message.unsubscribe_link)),
    }


def email_text(message: Message) -> str:
    """The plain text part of the email."""
    return _templates().get_template("email.txt").render(_context(message))


def email_html(message: Message) -> str:
    """The HTML part of the email, every crawled string escaped."""
    return _templates().get_template("email.html").render(_context(message))


def json_payload(message: Message) -> dict[str, Any]:
    """The generic webhook's body: the message as plain data (text is unescaped plain text; a
    URL is null unless it is http(s))."""
    return {
        "key": message.key,
        "subject": subject(message),
        "subscription": {"id": message.subscription_id, "name": message.subscription_name, "cadence": message.cadence},
        "created_at": message.created_at.isoformat(),
        "unsubscribe_url": web_url(message.unsubscribe_link),
        "manage_url": web_url(message.manage_link),
        "alerts": [_alert_json(alert) for alert in message.alerts],
    }


def _alert_json(alert: AlertItem) -> dict[str, Any]:
    surge = alert.surge
    return {
        "id": alert.alert_id,
        "kind": alert.kind,
        "title": alert.title,
        "url": web_url(alert.link),
        "source": alert.source,
        "source_url": web_url(alert.source_url),
        "published_at": alert.published_at.isoformat() if alert.published_at else None,
        "jurisdictions": list(alert.jurisdictions),
        "harm_areas": list(alert.harm_areas),
        "doc_type": alert.doc_type,
        "snippet": alert.snippet,
        "matched_terms": list(alert.matched_terms),
        "matched_tags": {name: list(values) for name, values in alert.matched_tags.items()},
        "changes": list(alert.changes),
        "other_sources": alert.other_sources,
        "surge": (
            {
                "harm_area": surge.harm_area,
                "jurisdiction": surge.jurisdiction,
                "day": surge.day.isoformat(),
                "count": surge.count,
                "baseline_mean": surge.baseline_mean,
                "baseline_std": surge.baseline_std,
                "z": surge.z,
                "item_ids": list(surge.item_ids),
            }
            if surge
            else None
        ),
        "related": [{"title": item.title, "url": web_url(item.link)} for item in alert.related],
    }
