"""The bodies of chat webhooks for a `Message`: a Slack incoming webhook (blocks of mrkdwn) and a
Microsoft Teams workflow (an Adaptive Card), from the views alerts/rendering.py makes.

Crawled text is untrusted: Slack's mrkdwn gets &, < and > escaped and `verbatim` (so nothing in
it becomes a link or a mention), Teams gets it in TextRuns (which read no Markdown), and only
http(s) URLs ever become links. A long digest lists CHAT_ALERTS alerts and says how many more
are on the tracker; the email has them all."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from alerts.records import Message
from alerts.rendering import AlertView, Link, listing, one_line, subject, web_url

SLACK_BLOCKS = 50  # Slack refuses a message with more blocks
SLACK_SECTION_TEXT = 3000  # nor a section whose text is longer
CHAT_ALERTS = 25  # a chat message lists this many alerts at most; the email has them all
TEAMS_BODY_BYTES = 24_000  # Teams refuses a card over about 28 KB


def slack_escape(text: str) -> str:
    """Text for Slack mrkdwn: &, < and > are its control characters (links, mentions)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(link: Link) -> str:
    if link.url is None:
        return slack_escape(link.text)
    # A | or > in the URL would end Slack's <url|text>; quoting leaves the URL's meaning alone.
    url = urllib.parse.quote(link.url, safe=":/?#[]@!$&'()*+,;=%~")
    return f"<{slack_escape(url)}|{slack_escape(link.text)}>"


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack turns no bare URL, channel name or @mention in the text into a link.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _slack_alert(alert: AlertView) -> str:
    lines = [f"*{alert.kind}: {_slack_link(alert.title)}*"]
    meta = [_slack_link(alert.source)] if alert.source else []
    if alert.published:
        meta.append(f"published {alert.published}")
    lines.append(" · ".join(meta))
    lines.append(slack_escape(" · ".join(alert.tags)))
    if alert.matched:
        lines.append("Matched " + slack_escape("; ".join(alert.matched)))
    lines.extend(f"Changed: {slack_escape(change)}" for change in alert.changes)
    if alert.other_sources:
        lines.append(alert.other_sources)
    if alert.surge:
        lines.append(slack_escape(alert.surge))
    lines.extend(f"• {_slack_link(item)}" for item in alert.related)
    if alert.snippet:
        lines.append(slack_escape(alert.snippet))
    text = ""
    for line in filter(None, lines):  # whole lines only: a cut could split an escape or a link
        if len(text) + len(line) + 1 > SLACK_SECTION_TEXT:
            break
        text = f"{text}\n{line}" if text else line
    return text


def slack_payload(message: Message) -> dict[str, Any]:
    """A Slack incoming webhook's body: `text` (the notification) and `blocks` (the message)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": one_line(subject(message), 150)}}
    ]
    shown = 0
    for heading, alert in listing(message.alerts):
        added = [{"type": "section", "text": _mrkdwn(_slack_alert(alert))}]
        if heading:
            added.insert(0, {"type": "section", "text": _mrkdwn(f"*{slack_escape(heading)}*")})
        if shown == CHAT_ALERTS or len(blocks) + len(added) + 2 > SLACK_BLOCKS:  # 2: "more" and the footer
            break
        blocks.extend(added)
        shown += 1
    if shown < len(message.alerts):
        more = f"{len(message.alerts) - shown} more alerts are on the tracker."
        blocks.append({"type": "context", "elements": [_mrkdwn(more)]})
    footer = " · ".join(
        _slack_link(link)
        for link in (
            Link("Manage your subscriptions", web_url(message.manage_link)),
            Link("Unsubscribe", web_url(message.unsubscribe_link)),
        )
    )
    blocks.append({"type": "context", "elements": [_mrkdwn(footer)]})
    return {"text": slack_escape(subject(message)), "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def _run(text: str, url: str | None = None, **style: Any) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": text, **style}
    if url:
        run["selectAction"] = {"type": "Action.OpenUrl", "url": url}
    return run


def _rich(*runs: dict[str, Any], **style: Any) -> dict[str, Any]:
    # RichTextBlock's TextRuns read no Markdown: crawled text cannot make a link or format itself.
    return {"type": "RichTextBlock", "inlines": list(runs), "wrap": True, **style} if runs else {}


def _teams_alert(alert: AlertView) -> dict[str, Any]:
    meta: list[dict[str, Any]] = []
    if alert.source:
        meta.append(_run(alert.source.text, alert.source.url))
    if alert.published:
        meta.append(_run(f"{' · ' if meta else ''}published {alert.published}"))
    rows = [
        _rich(_run(f"{alert.kind}: ", weight="Bolder"), _run(alert.title.text, alert.title.url, weight="Bolder")),
        _rich(*meta, spacing="None"),
        _rich(_run(" · ".join(alert.tags), isSubtle=True), spacing="None"),
        _rich(_run("Matched " + "; ".join(alert.matched), isSubtle=True), spacing="None") if alert.matched else {},
        *(_rich(_run(f"Changed: {change}"), spacing="None") for change in alert.changes),
        _rich(_run(alert.other_sources), spacing="None") if alert.other_sources else {},
        _rich(_run(alert.surge), spacing="None") if alert.surge else {},
        *(_rich(_run("• "), _run(item.text, item.url), spacing="None") for item in alert.related),
        _rich(_run(alert.snippet, isSubtle=True), spacing="Small") if alert.snippet else {},
    ]
    return {"type": "Container", "separator": True, "items": [row for row in rows if row]}


def teams_payload(message: Message) -> dict[str, Any]:
    """A Teams workflow's (or incoming webhook's) body: one Adaptive Card in a message."""
    body: list[dict[str, Any]] = [_rich(_run(subject(message), size="Medium", weight="Bolder"))]
    shown, size = 0, 0
    for heading, alert in listing(message.alerts):
        added = [_teams_alert(alert)]
        if heading:
            added.insert(0, _rich(_run(heading, weight="Bolder"), spacing="Large"))
        size += len(json.dumps(added).encode())
        if shown == CHAT_ALERTS or size > TEAMS_BODY_BYTES:
            break
        body.extend(added)
        shown += 1
    if shown < len(message.alerts):
        body.append(_rich(_run(f"{len(message.alerts) - shown} more alerts are on the tracker.", isSubtle=True)))
    actions = [
        {"type": "Action.OpenUrl", "title": title, "url": url}
        for title, url in (
            ("Manage your subscriptions", web_url(message.manage_link)),
            ("Unsubscribe", web_url(message.unsubscribe_link)),
        )
        if url
    ]
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": actions,
        "msteams": {"width": "Full"},
    }
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }
