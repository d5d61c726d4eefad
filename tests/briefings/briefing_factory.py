"""A realistic briefing pack built by hand, for the renderers' tests: `make_briefing(**changes)`.

Three harm areas, titles in Japanese, Chinese, Korean, Thai, Vietnamese and Bahasa Indonesia, a
stakeholder section, two comparison tables and eleven sources, one of them hostile (markup in
its title, control characters, a javascript: address) and one with no address of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from briefings.records import (
    Actor,
    Briefing,
    Citation,
    Comparison,
    ComparisonRow,
    Development,
    HarmSection,
    KeyDate,
    StageCell,
    StakeholderSection,
    Statement,
    TimelineEntry,
)

TRACKER = "https://radar.example.org/items"

JAPANESE_TITLE = "こども家庭庁、青少年インターネット環境整備法の見直しに向けた意見募集を開始"
CHINESE_TITLE = "国家网信办就《未成年人网络保护条例》配套规定公开征求意见"
THAI_TITLE = "กระทรวงดิจิทัลฯ ออกประกาศมาตรการป้องกันการหลอกลวงทางออนไลน์"
KOREAN_TITLE = "방송통신위원회, 딥페이크 성착취물 삭제 요청 절차 강화"
VIETNAMESE_TITLE = "Nghị định quy định xử phạt vi phạm hành chính về lừa đảo trực tuyến"
BAHASA_TITLE = "Peraturan Pemerintah tentang Pelindungan Anak dalam Penyelenggaraan Sistem Elektronik berlaku"
HOSTILE_TITLE = "Fake parcel texts <script>alert('x')</script>\x0b surge\x00 ahead of 11.11 sales\x1b[31m"
HOSTILE_URL = "javascript:alert(document.cookie)"
# The section headings every format of this briefing shows, numbered.
HEADINGS = [
    "1. Summary",
    "2. Key developments by harm area",
    "3. Timeline",
    "4. Open consultations and upcoming dates",
    "5. Stakeholder: eSafety Commissioner",
    "6. Neighbouring jurisdictions",
    "7. Sources",
]

# (number, title, source, url, published_at): numbered in order of first citation.
_SOURCES = (
    (
        1,
        "eSafety registers the rules for age-restricted social media platforms",
        "eSafety Commissioner",
        "https://www.esafety.gov.au/newsroom/media-releases/social-media-minimum-age-rules",
        dt.date(2025, 10, 9),
    ),
    (
        2,
        JAPANESE_TITLE,
        "こども家庭庁",
        "https://www.cfa.go.jp/policies/youth-kankyou/iken-boshu",
        dt.date(2025, 10, 21),
    ),
    (
        3,
        CHINESE_TITLE,
        "国家互联网信息办公室",
        "https://www.cac.gov.cn/2025-11/03/c_1730000000000000.htm",
        dt.date(2025, 11, 3),
    ),
    (
        4,
        "Scams Prevention Framework: Treasury consults on the first sector designations",
        "The Treasury",
        "https://treasury.gov.au/consultation/c2025-spf-designations",
        dt.date(2025, 11, 25),
    ),
    (5, THAI_TITLE, "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "https://www.mdes.go.th/news/detail/9876", dt.date(2025, 11, 12)),
    (
        6,
        KOREAN_TITLE,
        "방송통신위원회",
        "https://www.kcc.go.kr/user.do?mode=view&page=A05030000&boardId=1113&boardSeq=66001",
        dt.date(2025, 10, 30),
    ),
    (
        7,
        "Online Safety (Relief and Accountability) Bill passed in Parliament",
        "Ministry of Digital Development and Information",
        "https://www.mddi.gov.sg/newsroom/online-safety-relief-and-accountability-bill-passed/",
        dt.date(2025, 11, 5),
    ),
    (
        8,
        VIETNAMESE_TITLE,
        "Bộ Công an",
        "https://bocongan.gov.vn/tin-tuc/nghi-dinh-xu-phat-lua-dao-truc-tuyen",
        dt.date(2025, 11, 20),
    ),
    (9, BAHASA_TITLE, "Komdigi", "https://www.komdigi.go.id/berita/pp-tunas-berlaku", dt.date(2025, 10, 15)),
    (10, HOSTILE_TITLE, "Unknown blog\x07", HOSTILE_URL, dt.date(2025, 11, 8)),
    (11, "Reset Tech Australia submission on age assurance trials", "Reset Tech Australia", "", dt.date(2025, 11, 28)),
)


def citation(number: int) -> Citation:
    """The source numbered `number` in make_briefing()."""
    _, title, source, url, published_at = _SOURCES[number - 1]
    return Citation(
        number=number,
        item_id=f"item-{number}",
        title=title,
        source=source,
        url=url,
        link=f"{TRACKER}/item-{number}",
        published_at=published_at,
    )


def development(number: int, jurisdictions: tuple[str, ...], doc_type: str, summary: str, *more: int) -> Development:
    """The story whose first item is source `number` (and `more` items after it)."""
    cited = citation(number)
    return Development(
        story_id=f"story-{number}",
        title=cited.title,
        date=cited.published_at,
        jurisdictions=jurisdictions,
        doc_type=doc_type,
        summary=summary,
        citations=(number, *more),
    )


def cell(stage: str, number: int) -> StageCell:
    cited = citation(number)
    return StageCell(stage=stage, title=cited.title, date=cited.published_at, citation=number)


def make_briefing(**changes: Any) -> Briefing:
    """The briefing pack for AU, JP, CN, TH, SG, KR, VN, ID and MY from 1 October to
    30 November 2025, asked for with the eSafety Commissioner as stakeholder; `changes` replace
    any of its fields."""
    age_rules = development(
        1, ("AU",), "regulation", "Platforms must take reasonable steps to stop under-16s holding accounts.", 11
    )
    briefing = Briefing(
        title="APAC online safety briefing: October to November 2025",
        generated_at=dt.datetime(2025, 12, 1, 8, 30, tzinfo=dt.UTC),
        since=dt.date(2025, 10, 1),
        until=dt.date(2025, 11, 30),
        countries=("AU", "JP", "CN", "TH", "SG", "KR", "VN", "ID", "MY"),
        harm_areas=("child_safety", "scams_fraud", "ai_synthetic_media"),
        stakeholder="eSafety Commissioner",
        summary=(
            Statement("Australia's social media minimum age rules are registered ahead of 10 December.", (1,)),
            Statement("Japan and China both consult on children's online protection.", (2, 3)),
            Statement("Scam rules advance in Australia, Thailand and Viet Nam.", (4, 5, 8)),
        ),
        developments=(
            HarmSection(
                "child_safety",
                "Child safety",
                (
                    development(3, ("CN",), "consultation", "Draft implementing rules for the minors' regulation."),
                    development(2, ("JP",), "consultation", "Review of the youth internet environment act."),
                    development(9, ("ID",), "regulation", "Age-appropriate design duties for electronic systems."),
                    age_rules,
                ),
            ),
            HarmSection(
                "scams_fraud",
                "Scams and fraud",
                (
                    development(4, ("AU",), "consultation", "Which sectors the framework covers first."),
                    development(8, ("VN",), "regulation", "Administrative fines for online fraud."),
                    development(5, ("TH",), "regulation", "Duties for telcos and banks against scam calls."),
                    development(10, ("MY",), "news", "A blog post on fake delivery messages <b>before</b> sales."),
                ),
            ),
            HarmSection(
                "ai_synthetic_media",
                "Deepfakes and synthetic media",
                (
                    development(6, ("KR",), "enforcement", "Faster takedown requests for deepfake sexual abuse."),
                    development(7, ("SG",), "legislation", "A commission to help victims of online harms."),
                ),
            ),
        ),
        timeline=(
            TimelineEntry(dt.date(2025, 10, 9), "eSafety registers the minimum age rules", (1,)),
            TimelineEntry(dt.date(2025, 10, 15), "Indonesia's child protection regulation takes effect", (9,)),
            TimelineEntry(dt.date(2025, 10, 21), "Japan opens its consultation", (2,)),
            TimelineEntry(dt.date(2025, 10, 30), "Korea tightens deepfake takedowns", (6,)),
            TimelineEntry(dt.date(2025, 11, 3), "China consults on implementing rules", (3,)),
            TimelineEntry(dt.date(2025, 11, 5), "Singapore passes the Online Safety bill", (7,)),
            TimelineEntry(dt.date(2025, 11, 25), "Treasury consults on designations", (4,)),
        ),
        upcoming=(
            KeyDate(
                dt.date(2025, 12, 10),
                "commencement",
                "Minimum age obligations take effect on 10 December 2025",
                citation(1).title,
                ("AU",),
                (1,),
            ),
            KeyDate(dt.date(2025, 12, 19), "deadline", "意見募集は12月19日まで", JAPANESE_TITLE, ("JP",), (2,)),
            KeyDate(
                dt.date(2026, 1, 30),
                "deadline",
                "Submissions close on 30 January 2026",
                citation(4).title,
                ("AU",),
                (4,),
            ),
        ),
        stakeholder_section=StakeholderSection(
            name="eSafety Commissioner",
            own=(age_rules,),
            mentioned=(development(11, ("AU",), "report", "Calls for independent testing of age checks."),),
            others=(Actor("Reset Tech Australia", 2, (11,)), Actor("ABC News", 1, (1,))),
        ),
        neighbours=(
            Comparison(
                "child_safety",
                "Child safety",
                (
                    ComparisonRow("AU", (None, cell("regulation", 1), None, None, None)),
                    ComparisonRow("CN", (None, None, cell("consultation", 3), None, None)),
                    ComparisonRow("ID", (None, cell("regulation", 9), None, None, None)),
                    ComparisonRow("JP", (None, None, cell("consultation", 2), None, None)),
                    ComparisonRow("SG", (cell("legislation", 7), None, None, None, None)),
                ),
            ),
            Comparison(
                "scams_fraud",
                "Scams and fraud",
                (
                    ComparisonRow("AU", (None, None, cell("consultation", 4), None, None)),
                    ComparisonRow("MY", (None, None, None, cell("guidance", 10), None)),
                    ComparisonRow("TH", (None, cell("regulation", 5), None, None, None)),
                    ComparisonRow("VN", (None, cell("regulation", 8), None, None, None)),
                ),
            ),
        ),
        sources=tuple(citation(number) for number in range(1, len(_SOURCES) + 1)),
    )
    return dataclasses.replace(briefing, **changes)
