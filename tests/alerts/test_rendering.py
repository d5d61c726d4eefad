"""The bodies alerts/rendering.py builds: what every alert shows, the digest's grouping, and
crawled text that cannot escape its place in HTML, Slack mrkdwn or a Teams card."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from alerts import chat, rendering
from alerts.records import AlertItem, Message, RelatedItem, Surge

AlertFactory = Callable[..., AlertItem]
MessageFactory = Callable[..., Message]

HOSTILE_TITLE = '<script>alert("x")</script> Click <https://evil.example|here> & [win](https://evil.example) @channel'


def hostile(make_alert: AlertFactory) -> AlertItem:
    return make_alert(
        title=HOSTILE_TITLE,
        source="<b>Evil</b> & co",
        source_url="javascript:alert(1)",
        snippet='<img src=x onerror="alert(1)"> <!channel> text',
        related=(RelatedItem("<i>rel</i>", "javascript:alert(2)"),),
    )


def surge_alert(make_alert: AlertFactory) -> AlertItem:
    return make_alert(
        alert_id=9,
        kind="trend",
        title="Scams in SG: 14 items today",
        link="https://radar.example.org/search?harm=scams&country=SG",
        source_url="",
        source=None,
        published_at=None,
        jurisdictions=("SG",),
        harm_areas=("scams",),
        doc_type="news",
        snippet="",
        matched_tags={"harm_areas": ("scams",)},
        surge=Surge("scams", "SG", dt.date(2025, 11, 20), 14, 2.25, 1.1, 10.7, ("a", "b")),
        related=(RelatedItem("MAS warns of bank impersonation scams", "https://radar.example.org/items/a"),),
    )


def test_an_alert_shows_everything_it_should(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    changed = make_alert(
        kind="changed",
        changes=("the commencement date moved to 10 December 2025",),
        other_sources=2,
        matched_tags={"jurisdictions": ("AU",), "doc_types": ("guidance",)},
    )
    message = make_message(changed)
    for body in (rendering.email_text(message), rendering.email_html(message)):
        assert "Changed: eSafety sets out how platforms must check ages" in body
        assert "https://radar.example.org/items/item-1" in body
        assert "eSafety Commissioner" in body
        assert "https://www.esafety.gov.au/newsroom/media-releases/age-checks" in body
        assert "2025-11-20" in body
        assert "AU" in body and "Child safety" in body and "Guidance" in body
        assert "terms: age assurance; country: AU; document type: guidance" in body
        assert "the commencement date moved to 10 December 2025" in body
        assert "+2 other sources" in body
        assert "https://radar.example.org/unsubscribe/7/k3y" in body
        assert "https://radar.example.org/subscriptions" in body
    html = rendering.email_html(message)
    assert '<a href="https://radar.example.org/items/item-1">eSafety sets out' in html
    assert '<a href="https://www.esafety.gov.au/newsroom/media-releases/age-checks">eSafety Commissioner</a>' in html
    assert rendering.subject(message) == (
        "[AU age checks] Changed: eSafety sets out how platforms must check ages before the under-16 ban"
    )


def test_a_surge_shows_its_figures_and_items(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    message = make_message(surge_alert(make_alert))
    text = rendering.email_text(message)
    assert "Surge: Scams in SG: 14 items today" in text
    assert "14 items on 2025-11-20 against 2.2 a day usually (z = 10.7) on Scams in SG" in text
    assert "MAS warns of bank impersonation scams <https://radar.example.org/items/a>" in text
    assert "Source:" not in text  # a surge has no source
    html = rendering.email_html(message)
    assert '<a href="https://radar.example.org/search?harm=scams&amp;country=SG">' in html
    assert '<a href="https://radar.example.org/items/a">MAS warns of bank impersonation scams</a>' in html


def digest_alerts(make_alert: AlertFactory) -> list[AlertItem]:
    return [
        make_alert(alert_id=1, title="Scam ads rules", harm_areas=("scams",), jurisdictions=("SG",)),
        make_alert(alert_id=2, title="Age checks", harm_areas=("child_safety", "privacy"), jurisdictions=("AU",)),
        make_alert(alert_id=3, title="Untagged story", harm_areas=(), jurisdictions=()),
        make_alert(alert_id=4, title="Scam calls", harm_areas=("scams",), jurisdictions=("AU", "SG")),
        make_alert(alert_id=5, title="Online safety bill", harm_areas=("child_safety",), jurisdictions=("NZ",)),
        make_alert(alert_id=6, title="Scam texts", harm_areas=("scams",), jurisdictions=("SG",)),
    ]


def test_a_digest_groups_by_harm_area_then_country(make_alert: AlertFactory) -> None:
    groups = rendering.digest(digest_alerts(make_alert))
    shown = [
        (group.harm_area, country.jurisdiction, [alert.title.text for alert in country.alerts])
        for group in groups
        for country in group.countries
    ]
    assert shown == [
        ("Child safety", "AU", ["Age checks"]),  # under its first harm area only
        ("Child safety", "NZ", ["Online safety bill"]),
        ("Scams", "AU", ["Scam calls"]),  # under its first country only
        ("Scams", "SG", ["Scam ads rules", "Scam texts"]),  # in the message's order
        ("No harm area", "No country", ["Untagged story"]),
    ]


def test_every_format_follows_the_digest_order(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    message = make_message(*digest_alerts(make_alert))
    order = ["Age checks", "Online safety bill", "Scam calls", "Scam ads rules", "Scam texts", "Untagged story"]
    bodies = {
        "text": rendering.email_text(message),
        "html": rendering.email_html(message),
        "slack": json.dumps(chat.slack_payload(message)),
        "teams": json.dumps(chat.teams_payload(message)),
    }
    for name, body in bodies.items():
        positions = [body.index(title) for title in order]
        assert positions == sorted(positions), name
        assert body.index("Child safety") < body.index("Scams") < body.index("No harm area"), name
    assert rendering.subject(message) == "[AU age checks] 6 alerts (daily digest)"


def test_hostile_text_is_escaped_in_the_email(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    message = make_message(hostile(make_alert))
    html = rendering.email_html(message)
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "<b>Evil</b>" not in html and "&lt;b&gt;Evil&lt;/b&gt; &amp; co" in html
    assert "javascript:" not in html  # neither as a link nor as text
    assert set(re.findall(r'href="([^"]*)"', html)) == {
        "https://radar.example.org/items/item-1",
        "https://radar.example.org/unsubscribe/7/k3y",
        "https://radar.example.org/subscriptions",
    }
    text = rendering.email_text(message)
    assert HOSTILE_TITLE in text  # plain text shows it as it is: it is not HTML
    assert "javascript:" not in text


def test_hostile_text_is_escaped_for_slack(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    payload = chat.slack_payload(make_message(hostile(make_alert)))
    texts = [*_mrkdwn_texts(payload["blocks"]), payload["text"]]
    joined = "\n".join(texts)
    assert "&lt;script&gt;" in joined and "<script>" not in joined
    assert "&lt;!channel&gt;" in joined and "<!channel>" not in joined
    assert "javascript:" not in joined
    # Every <...> left is a link the renderer made, to an http(s) URL of its own choosing.
    links = re.findall(r"<([^|>]*)\|", joined)
    assert set(links) == {
        "https://radar.example.org/items/item-1",
        "https://radar.example.org/unsubscribe/7/k3y",
        "https://radar.example.org/subscriptions",
    }
    assert all(block["text"]["verbatim"] for block in payload["blocks"] if block["type"] == "section")


def test_hostile_text_stays_text_in_teams(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    payload = chat.teams_payload(make_message(hostile(make_alert)))
    assert "javascript:" not in json.dumps(payload)
    card = payload["attachments"][0]["content"]
    elements = list(_walk(card["body"]))
    # TextBlocks read Markdown; crawled text is only ever in TextRuns, which do not.
    assert not [element for element in elements if element.get("type") == "TextBlock"]
    runs = [element for element in elements if element.get("type") == "TextRun"]
    assert any(run["text"] == HOSTILE_TITLE for run in runs)
    urls = {run["selectAction"]["url"] for run in runs if "selectAction" in run}
    urls |= {action["url"] for action in card["actions"]}
    assert urls == {
        "https://radar.example.org/items/item-1",
        "https://radar.example.org/unsubscribe/7/k3y",
        "https://radar.example.org/subscriptions",
    }


def test_slack_payload_shape(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    message = make_message(make_alert(title="Fines for scam ads & fake <apps>", other_sources=1))
    payload = chat.slack_payload(message)
    assert payload["text"] == "[AU age checks] New: Fines for scam ads &amp; fake &lt;apps&gt;"
    kinds = [block["type"] for block in payload["blocks"]]
    assert kinds == ["header", "section", "section", "context"]
    assert payload["blocks"][1]["text"]["text"] == "*Child safety · AU*"
    alert = payload["blocks"][2]["text"]["text"]
    assert alert.startswith(
        "*New: <https://radar.example.org/items/item-1|Fines for scam ads &amp; fake &lt;apps&gt;>*"
    )
    assert "<https://www.esafety.gov.au/newsroom/media-releases/age-checks|eSafety Commissioner>" in alert
    assert "+1 other source\n" in alert
    footer = payload["blocks"][3]["elements"][0]["text"]
    assert "<https://radar.example.org/unsubscribe/7/k3y|Unsubscribe>" in footer


def test_a_long_digest_fits_slack_and_teams_limits(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    alerts = [
        make_alert(alert_id=number, title=f"Story {number}", jurisdictions=(f"C{number:02d}",), snippet="x" * 5000)
        for number in range(60)
    ]
    message = make_message(*alerts)
    slack = chat.slack_payload(message)
    assert len(slack["blocks"]) <= chat.SLACK_BLOCKS
    assert all(len(text) <= chat.SLACK_SECTION_TEXT for text in _mrkdwn_texts(slack["blocks"]))
    assert "more alerts are on the tracker" in json.dumps(slack)
    assert "Unsubscribe" in slack["blocks"][-1]["elements"][0]["text"]
    teams = chat.teams_payload(message)
    assert len(json.dumps(teams).encode()) < 28_000
    shown = [run["text"] for run in _walk(teams["attachments"][0]["content"]["body"]) if run.get("type") == "TextRun"]
    listed = sum(text.startswith("Story ") for text in shown)
    assert 0 < listed < 60 and f"{60 - listed} more alerts are on the tracker." in shown
    # The email has room for all of them.
    assert all(f"Story {number}\n" in rendering.email_text(message) for number in range(60))


def test_teams_payload_is_an_adaptive_card_message(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    payload = chat.teams_payload(make_message(surge_alert(make_alert)))
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert [action["title"] for action in card["actions"]] == ["Manage your subscriptions", "Unsubscribe"]
    texts = [element["text"] for element in _walk(card["body"]) if element.get("type") == "TextRun"]
    assert "14 items on 2025-11-20 against 2.2 a day usually (z = 10.7) on Scams in SG" in texts


def test_json_payload_is_plain_data(make_alert: AlertFactory, make_message: MessageFactory) -> None:
    message = make_message(hostile(make_alert), surge_alert(make_alert), key="k-1")
    payload = rendering.json_payload(message)
    assert json.loads(json.dumps(payload)) == payload
    assert payload["key"] == "k-1"
    assert payload["unsubscribe_url"] == "https://radar.example.org/unsubscribe/7/k3y"
    first, second = payload["alerts"]
    assert first["title"] == HOSTILE_TITLE  # plain text: the receiver escapes it where it shows it
    assert first["source_url"] is None  # not http(s)
    assert first["related"] == [{"title": "<i>rel</i>", "url": None}]
    assert first["published_at"] == "2025-11-20T09:30:00+00:00"
    assert second["surge"]["count"] == 14 and second["surge"]["z"] == 10.7
    assert second["related"] == [
        {"title": "MAS warns of bank impersonation scams", "url": "https://radar.example.org/items/a"}
    ]


def test_web_url_keeps_only_http_links() -> None:
    assert rendering.web_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert rendering.web_url("HTTP://example.org") == "HTTP://example.org"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "https:///nohost",
        "//evil",
        "",
        None,
    ):
        assert rendering.web_url(bad) is None, bad


def _walk(elements: list[dict[str, Any]]) -> Any:
    for element in elements:
        yield element
        for key in ("items", "inlines", "columns"):
            yield from _walk(element.get(key, []))


def _mrkdwn_texts(blocks: list[dict[str, Any]]) -> list[str]:
    texts = [block["text"]["text"] for block in blocks if block["type"] == "section"]
    texts += [element["text"] for block in blocks if block["type"] == "context" for element in block["elements"]]
    return texts
