"""Search-engine fixtures: item factories, a small multilingual corpus, and the engines to run
the contract against (tantivy always; Elasticsearch when RADAR_ELASTICSEARCH_URL is set)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from index.protocols import SearchEngine
from index.records import SearchQuery, StoredItem
from index.search.elastic_engine import ElasticEngine
from index.search.expansion import Equivalents, default_equivalents_file
from index.search.tantivy_engine import TantivyEngine

ELASTICSEARCH_URL = os.environ.get("RADAR_ELASTICSEARCH_URL")
ENGINES = ["tantivy", "elasticsearch"]


def make_item(item_id: str, **fields: Any) -> StoredItem:
    """A stored item with plausible defaults; any StoredItem field can be given."""
    title = fields.pop("title", f"Item {item_id}")
    text = fields.pop("text", f"Text of item {item_id}.")
    defaults: dict[str, Any] = {
        "url": f"https://example.org/{item_id}",
        "language": "en",
        "source": "Example News",
        "source_kind": "media",
        "published_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        "fetched_at": dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        "content_hash": hashlib.sha256(f"{title}\n{text}".encode()).hexdigest(),
        "harm_areas": (),
        "jurisdictions": (),
        "mentioned_jurisdictions": (),
        "doc_type": "news",
        "stakeholders": (),
        "dates": (),
        "evidence": {},
        "story_id": f"story-{item_id}",
    }
    defaults.update(fields)
    return StoredItem(id=item_id, title=title, text=text, **defaults)


def day(year: int, month: int, date: int) -> dt.datetime:
    return dt.datetime(year, month, date, 9, 30, tzinfo=dt.UTC)


HOSTILE_TITLE = "<script>alert('x')</script> Fake news & disinformation"
HOSTILE_TEXT = "<b>Bold</b> claims & <script>alert(1)</script> about fake news spread online by troll farms."

CORPUS = (
    make_item(
        "au-age",
        title="eSafety registers age assurance codes for social media",
        text="The eSafety Commissioner registered industry codes requiring age assurance before "
        "children can open accounts. Platforms must verify ages within six months.",
        jurisdictions=("AU",),
        harm_areas=("child_safety",),
        doc_type="regulation",
        source="eSafety Commissioner",
        source_kind="regulator",
        stakeholders=("eSafety Commissioner",),
        published_at=day(2025, 3, 10),
    ),
    make_item(
        "sg-age",
        title="IMDA guidance on age verification for app stores",
        text="The Infocomm Media Development Authority asked app stores to check ages of users.",
        jurisdictions=("SG",),
        harm_areas=("child_safety",),
        doc_type="guidance",
        source="IMDA",
        source_kind="regulator",
        stakeholders=("Infocomm Media Development Authority",),
        published_at=day(2025, 4, 2),
    ),
    make_item(
        "au-scam",
        title="Scams Prevention Framework Bill passes Parliament",
        text="Parliament passed the Scams Prevention Framework, which makes banks and digital platforms "
        "share intelligence about scams.",
        jurisdictions=("AU",),
        harm_areas=("scams_fraud",),
        doc_type="legislation",
        source="ABC News",
        source_kind="media",
        stakeholders=("Parliament of Australia",),
        published_at=day(2025, 2, 13),
    ),
    make_item(
        "kr-deepfake",
        title="방송통신심의위원회, 딥페이크 성착취물 차단 강화",
        text="방송통신심의위원회는 딥페이크 성적 허위영상물의 유통을 막기 위해 해외 플랫폼에 삭제를 요청했다.",
        language="ko",
        jurisdictions=("KR",),
        harm_areas=("ai_synthetic_media", "sexual_content"),
        doc_type="enforcement",
        source="KCSC",
        source_kind="regulator",
        published_at=day(2024, 9, 5),
    ),
    make_item(
        "jp-deepfake",
        title="ディープフェイク対策で政府が指針",
        text="政府は生成AIによるディープフェイクの拡散に対応するため、事業者向けの指針をまとめた。",
        language="ja",
        jurisdictions=("JP",),
        harm_areas=("ai_synthetic_media",),
        doc_type="news",
        source="NHK",
        source_kind="media",
        published_at=day(2024, 11, 20),
    ),
    make_item(
        "cn-deepfake",
        title="网信办发布深度合成管理规定",
        text="国家互联网信息办公室发布《互联网信息服务深度合成管理规定》，要求对深度伪造内容进行显著标识。",
        language="zh",
        jurisdictions=("CN",),
        harm_areas=("ai_synthetic_media",),
        doc_type="regulation",
        source="CAC",
        source_kind="regulator",
        published_at=day(2022, 12, 12),
    ),
    make_item(
        "cn-noise",
        title="深圳发布个人信息保护指引",
        text="深圳市发布指引，度假村伪装造假问题也受到关注。",
        language="zh",
        jurisdictions=("CN",),
        harm_areas=("privacy_data",),
        doc_type="news",
        source="Shenzhen Daily",
        source_kind="media",
        published_at=day(2024, 9, 28),
    ),
    make_item(
        "th-gambling",
        title="ดีอีปิดเว็บพนันออนไลน์",
        text="กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมปิดกั้นเว็บพนันออนไลน์กว่า 1,000 เว็บไซต์",
        language="th",
        jurisdictions=("TH",),
        harm_areas=("gambling",),
        doc_type="enforcement",
        source="DE Ministry",
        source_kind="ministry",
        published_at=day(2025, 1, 15),
    ),
    make_item(
        "vn-scam",
        title="Cảnh báo lừa đảo trực tuyến",
        text="Bộ Công an cảnh báo thủ đoạn lừa đảo trực tuyến mới nhắm vào người dùng mạng xã hội.",
        language="vi",
        jurisdictions=("VN",),
        harm_areas=("scams_fraud",),
        doc_type="news",
        source="VnExpress",
        source_kind="media",
        published_at=day(2025, 5, 20),
    ),
    make_item(
        "hostile",
        title=HOSTILE_TITLE,
        text=HOSTILE_TEXT,
        jurisdictions=("PH",),
        harm_areas=("misinformation",),
        doc_type="statement",
        source=None,
        source_kind=None,
        published_at=day(2023, 7, 1),
    ),
    make_item(
        "undated",
        title="IT Rules amendment on synthetic content",
        text="MeitY notified amendments to the IT Rules requiring labels on synthetically generated information.",
        jurisdictions=("IN",),
        harm_areas=("platform_regulation",),
        doc_type="regulation",
        source="MeitY",
        source_kind="ministry",
        published_at=None,
    ),
)


def equivalents() -> Equivalents:
    return Equivalents.from_file(default_equivalents_file())


def engine_opener(kind: str, tmp_path: Path) -> Iterator[Callable[[], SearchEngine]]:
    """Yield a function that opens a handle on one fresh index (call it twice for two handles,
    as two processes would hold); removes the index afterwards."""
    opened: list[SearchEngine] = []
    if kind == "tantivy":

        def open_tantivy() -> SearchEngine:
            engine = TantivyEngine(tmp_path / "index", equivalents=equivalents(), writer_heap_bytes=20_000_000)
            opened.append(engine)
            return engine

        yield open_tantivy
    else:
        if not ELASTICSEARCH_URL:
            pytest.skip("RADAR_ELASTICSEARCH_URL is not set: no Elasticsearch cluster to test against")
        alias = f"radar-test-{secrets.token_hex(4)}"

        def open_elastic() -> SearchEngine:
            assert ELASTICSEARCH_URL is not None
            engine = ElasticEngine(ELASTICSEARCH_URL, alias=alias, equivalents=equivalents())
            opened.append(engine)
            return engine

        yield open_elastic
        cleaner = ElasticEngine(ELASTICSEARCH_URL, alias=alias)
        # Clusters refuse wildcard deletes by default (action.destructive_requires_name).
        for index in cleaner.client.indices.get(index=f"{alias}-*", allow_no_indices=True):
            cleaner.client.indices.delete(index=index, ignore_unavailable=True)
        cleaner.client.options(ignore_status=404).indices.delete_index_template(name=f"{alias}-template")
        cleaner.close()
    for engine in opened:
        engine.close()


def searched_at_once(handles: Sequence[SearchEngine]) -> list[int]:
    """Each handle's first search (which opens or creates the index), all at the same moment, as
    processes starting together make theirs; the totals found."""
    start = threading.Barrier(len(handles))

    def first_use(handle: SearchEngine) -> int:
        start.wait()
        return handle.search(SearchQuery()).total

    with ThreadPoolExecutor(len(handles)) as pool:
        return list(pool.map(first_use, handles))
