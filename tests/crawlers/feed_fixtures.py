"""Feeds as real sites publish them, quirks included: the fixture site serves these, and the
feed tests read them directly."""

from __future__ import annotations

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Regulator</title><link>https://regulator.example/</link>
<item><title>Regulator opens consultation on scam &lt;em&gt;ads&lt;/em&gt;</title>
<link>/news/scam-ads-consultation</link><guid>r-1</guid>
<description>&lt;p&gt;Submissions close on 30 June 2025.&lt;/p&gt;</description>
<pubDate>Tue, 04 Mar 2025 10:00:00 +0800</pubDate></item>
<item><title>Entry without a link</title><description>Only a summary.</description></item>
<item><title>Dated in the future</title><link>https://regulator.example/news/future</link>
<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>
</channel></rss>"""

RSS091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91"><channel><title>Old feed</title><link>https://old.example/</link>
<item><title>Caf\xe9 owners warned of phishing</title><link>https://old.example/1</link>
<description>An old-style feed.</description></item></channel></rss>"""

RSS1 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://ministry.example/"><title>Ministry</title><link>https://ministry.example/</link></channel>
<item rdf:about="https://ministry.example/r/1"><title>Guidelines on online harassment</title>
<link>https://ministry.example/r/1</link><dc:date>2025-02-10T09:00:00+09:00</dc:date>
<description>RSS 1.0 item.</description></item></rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>NGO</title><link href="https://ngo.example/"/>
<id>https://ngo.example/feed</id><updated>2025-01-05T00:00:00Z</updated>
<entry><title type="html">Report on &lt;b&gt;deepfake&lt;/b&gt; abuse</title>
<link rel="alternate" href="reports/deepfakes"/><id>tag:ngo.example,2025:1</id>
<published>2025-01-05T08:00:00Z</published><author><name>Jane Researcher</name></author>
<content type="html">&lt;p&gt;Full text of the report summary.&lt;/p&gt;</content></entry>
<entry><title>Atom id as link</title><id>https://ngo.example/posts/2</id><updated>2025-01-06T00:00:00Z</updated>
<summary>Summary only.</summary></entry></feed>"""

JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "News",
"home_page_url": "https://news.example/",
"items": [{"id": "1", "url": "/2025/01/scam-centres", "title": "Scam centres <i>raided</i>",
"content_html": "<p>Police raided scam centres.</p>", "date_published": "2025-01-09T10:00:00Z",
"authors": [{"name": "A Reporter"}]}, {"id": "2", "title": "No URL", "content_text": "x"}]}"""

# Japanese, declared and encoded as Shift_JIS, with a local date format.
SHIFT_JIS = """<?xml version="1.0" encoding="Shift_JIS"?>
<rss version="2.0"><channel><title>総務省</title><link>https://ministry.example.jp/</link>
<item><title>誹謗中傷対策の検討会を開催</title><link>/menu_news/01.html</link>
<description>&lt;p&gt;インターネット上の誹謗中傷への対策&lt;/p&gt;</description><pubDate>2025年3月1日</pubDate></item>
</channel></rss>""".encode("shift_jis")

# The same feed, encoded as Shift_JIS but declaring UTF-8.
WRONG_ENCODING = SHIFT_JIS.replace(b'encoding="Shift_JIS"', b'encoding="UTF-8"')

ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 2 else "") + ";") * 10}">'.encode() for n in range(2, 10)
    )
    + b']><rss version="2.0"><channel><title>&lol9;</title>'
    + b"<item><title>After the bomb</title><link>https://bomb.example/1</link></item></channel></rss>"
)


def many_entries(count: int) -> bytes:
    items = "".join(f"<item><title>Entry {n}</title><link>https://big.example/{n}</link></item>" for n in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()
