"""Key-date extraction (nlp/dates/) with the real data files in nlp/data."""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from pathlib import Path

import pytest

from nlp.dates import DateExtractor, DateMention

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"
LANGS = ("en", "id", "ms", "th", "vi", "ja", "ko", "zh", "tl", "hi")
D = dt.date
PUB = D(2025, 10, 29)  # a Wednesday


@cache
def ex(lang: str) -> DateExtractor:
    return DateExtractor.load(lang, DATA)


def pairs(lang: str, text: str, published: dt.date | None = PUB) -> list[tuple[dt.date, str]]:
    return [(m.date, m.kind) for m in ex(lang).extract(text, published)]


def check(lang: str, text: str, expected: list[tuple[dt.date, str]], published: dt.date = PUB) -> None:
    assert pairs(lang, text, published) == expected


# ------------------------------------------------------------------------------------- English
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Submissions close at 5pm AEST Friday 12 December 2025.", [(D(2025, 12, 12), "deadline")]),
        ("The Online Safety Amendment takes effect on 10 December 2025.", [(D(2025, 12, 10), "commencement")]),
        ("From 1 July 2024, vapes can only be supplied through pharmacies.", [(D(2024, 7, 1), "commencement")]),
        (
            "The Senate committee will hold a public hearing on 3 March 2026 in Canberra.",
            [(D(2026, 3, 3), "hearing")],
        ),
        ("Amnesty International published a report on 29 September 2022.", [(D(2022, 9, 29), "published")]),
        ("Parliament passed the bill on 29 November 2024.", [(D(2024, 11, 29), "event")]),
        ("On 20 May 2026 eSafety issued a direction to comply to the service.", [(D(2026, 5, 20), "event")]),
        ("Platforms must register by December 12, 2025.", [(D(2025, 12, 12), "deadline")]),
        ("The rules were gazetted on 2025-03-14.", [(D(2025, 3, 14), "published")]),
        ("Comments are due no later than 31/12/2025.", [(D(2025, 12, 31), "deadline")]),
        ("The order dated 12/31/2025 was appealed.", [(D(2025, 12, 31), "event")]),
        (
            "Vietnam's National Assembly passed the law on 14 June 2025; it takes effect on 1 January 2026.",
            [(D(2025, 6, 14), "event"), (D(2026, 1, 1), "commencement")],
        ),
        (
            "MCMC said it sent notices to X Corp. and xAI on 3 and 8 January demanding safeguards.",
            [(D(2025, 1, 3), "event"), (D(2025, 1, 8), "event")],
        ),
    ],
)
def test_english(text: str, expected: list[tuple[dt.date, str]]) -> None:
    published = D(2025, 1, 10) if "January demanding" in text else D(2025, 10, 29)
    check("en", text, expected, published)


def test_english_not_dates() -> None:
    text = (
        "Penalties reach $49.5 million, fines of up to 20 million won or 500,000 yen. Call 997. "
        "The law takes effect in December 2025 and the review is due by 2027. "
        "Protests on 25–30 August 2025 were background. Users under 18 may not sign up. "
        "Children today spend hours online. Decree 13/2023 and Republic Act No. 12010 apply."
    )
    assert ex("en").extract(text, D(2025, 10, 29)) == []


def test_english_statement_date_is_metadata() -> None:
    assert pairs("en", "The minister said on Tuesday that the code would be reviewed.") == []
    assert pairs("en", "A spokesperson told reporters on 3 March 2025 that talks continue.") == []


def test_weekday_resolution_both_ways() -> None:
    wed = D(2025, 10, 29)  # a Wednesday
    assert pairs("en", "Police raided the compound on Monday.", wed) == [(D(2025, 10, 27), "event")]
    assert pairs("en", "Police raided the compound on Wednesday.", wed) == [(wed, "event")]
    assert pairs("en", "The ban will take effect on Monday.", wed) == [(D(2025, 11, 3), "commencement")]
    assert pairs("en", "Submissions close next Friday.", wed) == [(D(2025, 10, 31), "deadline")]
    assert pairs("en", "The bill passed last Wednesday.", wed) == [(D(2025, 10, 22), "event")]


def test_relative_words() -> None:
    pub = D(2025, 11, 28)
    assert pairs("en", "The Senate passed the bill yesterday.", pub) == [(D(2025, 11, 27), "event")]
    assert pairs("en", "The new code takes effect today.", pub) == [(pub, "commencement")]
    mention = ex("en").extract("The Senate passed the bill yesterday.", pub)[0]
    assert mention.relative and mention.text == "yesterday"
    assert pairs("en", "The Senate passed the bill yesterday.", None) == []


def test_no_year_across_year_boundary() -> None:
    late_december = D(2025, 12, 28)
    assert pairs("en", "The code takes effect on 1 January.", late_december) == [(D(2026, 1, 1), "commencement")]
    early_january = D(2026, 1, 5)
    assert pairs("en", "The service was blocked on 28 December.", early_january) == [(D(2025, 12, 28), "event")]
    assert pairs("ja", "12月28日に公布された。", early_january) == [(D(2025, 12, 28), "published")]


def test_following_day() -> None:
    text = "The decree was gazetted on 12 April 2025 and took effect the following day."
    assert pairs("en", text) == [(D(2025, 4, 12), "published"), (D(2025, 4, 13), "commencement")]


def test_mention_fields() -> None:
    text = "Submissions close at 5pm AEST Friday 12 December 2025."
    (m,) = ex("en").extract(text, D(2025, 10, 29))
    assert isinstance(m, DateMention)
    assert m.text == "5pm AEST Friday 12 December 2025"
    assert text[m.start : m.end] == m.text
    assert m.cue is not None and m.cue.lower().startswith("submissions close")
    assert m.relative is False


def test_one_mention_per_date_most_specific_kind() -> None:
    text = (
        "The rules were published on 1 July 2025. They take effect on 1 July 2025. "
        "Parliament had passed them on 2 June 2025."
    )
    assert pairs("en", text) == [(D(2025, 7, 1), "commencement"), (D(2025, 6, 2), "event")]


# ----------------------------------------------------------------------------- other languages
def test_indonesian() -> None:
    text = (
        "DPR mengesahkan RUU itu pada 20 September 2022. Aturan turunan mulai berlaku pada 1 Januari 2026. "
        "Platform wajib mendaftar paling lambat 12 Desember 2025. Denda hingga Rp 10 juta. "
        "Sidang perdana kasus itu pada Senin (3/3/2025)."
    )
    assert pairs("id", text) == [
        (D(2022, 9, 20), "event"),
        (D(2026, 1, 1), "commencement"),
        (D(2025, 12, 12), "deadline"),
        (D(2025, 3, 3), "hearing"),
    ]
    assert pairs("id", "Aturan itu berlaku mulai 1 Januari.", D(2025, 12, 20)) == [(D(2026, 1, 1), "commencement")]
    assert pairs("id", "Polisi menangkap tersangka kemarin.", D(2025, 5, 8)) == [(D(2025, 5, 7), "event")]


def test_malay() -> None:
    text = (
        "Akta Keselamatan Dalam Talian 2025 berkuat kuasa pada 1 Januari 2026. "
        "Perbicaraan kes itu ditetapkan pada 12 Mac 2025. Peraturan itu diwartakan pada 20 Disember 2024. "
        "Penyedia perlu memohon lesen sebelum 31 Julai 2025."
    )
    assert pairs("ms", text) == [
        (D(2026, 1, 1), "commencement"),
        (D(2025, 3, 12), "hearing"),
        (D(2024, 12, 20), "published"),
        (D(2025, 7, 31), "deadline"),
    ]
    assert pairs("ms", "Dewan Rakyat meluluskan rang undang-undang itu semalam.", D(2024, 12, 10)) == [
        (D(2024, 12, 9), "event")
    ]


def test_vietnamese() -> None:
    text = (
        "Từ 1/7/2024, chuyển tiền trên 10 triệu đồng phải xác thực sinh trắc học. "
        "Quốc hội thông qua Luật ngày 14/6/2025. Hạn chót nộp hồ sơ là ngày 12 tháng 12 năm 2025. "
        "Nghị định được ban hành ngày 17/4/2023. Phiên tòa xét xử diễn ra vào ngày 5/3/2025."
    )
    assert pairs("vi", text) == [
        (D(2024, 7, 1), "commencement"),
        (D(2025, 6, 14), "event"),
        (D(2025, 12, 12), "deadline"),
        (D(2023, 4, 17), "published"),
        (D(2025, 3, 5), "hearing"),
    ]
    assert pairs("vi", "Quy định có hiệu lực từ ngày 1/3.", D(2025, 2, 20)) == [(D(2025, 3, 1), "commencement")]


def test_thai_buddhist_era() -> None:
    text = (
        "ราชกิจจาฯ ประกาศ พ.ร.ก. มีผล 13 เม.ย. 2568\n"
        "พระราชกำหนดได้ประกาศในราชกิจจานุเบกษาเมื่อวันที่ 12 เมษายน 2568 และมีผลบังคับใช้ในวันถัดไป "
        "สคส. สั่งปรับบริษัท 7 ล้านบาท"
    )
    assert pairs("th", text, D(2025, 4, 13)) == [(D(2025, 4, 13), "commencement"), (D(2025, 4, 12), "published")]
    assert pairs("th", "กฎหมายมีผลบังคับใช้ตั้งแต่วันที่ 1 มิถุนายน 2565") == [(D(2022, 6, 1), "commencement")]
    assert pairs("th", "ผู้ใช้ต้องลงทะเบียนภายในวันที่ 30 ก.ย. 67") == [(D(2024, 9, 30), "deadline")]
    assert pairs("th", "ศาลนัดพิจารณาคดีวันที่ ๑๒ ธันวาคม ๒๕๖๘") == [(D(2025, 12, 12), "hearing")]
    assert pairs("th", "ตำรวจจับกุมผู้ต้องหาเมื่อวันที่ 12", D(2025, 10, 29)) == [(D(2025, 10, 12), "event")]
    assert pairs("th", "ตำรวจจับกุมผู้ต้องหาเมื่อวันที่ 30", D(2025, 10, 5)) == [(D(2025, 9, 30), "event")]


def test_japanese_era() -> None:
    assert pairs("ja", "改正法は2025年4月1日に施行された。") == [(D(2025, 4, 1), "commencement")]
    assert pairs("ja", "意見は令和7年12月12日までに提出すること。") == [(D(2025, 12, 12), "deadline")]
    assert pairs("ja", "令和元年5月1日に改元された。") == [(D(2019, 5, 1), "event")]
    assert pairs("ja", "平成31年4月30日に成立した。") == [(D(2019, 4, 30), "event")]
    assert pairs("ja", "初公判は３月５日に開かれる。", D(2026, 1, 20)) == [(D(2026, 3, 5), "hearing")]
    text = "総務省は2025年4月30日、5社を指定した。同法は2025年4月1日に施行された。500万円以下の罰金。"
    assert pairs("ja", text) == [(D(2025, 4, 30), "event"), (D(2025, 4, 1), "commencement")]


def test_japanese_bare_day() -> None:
    # news style: "総務省は16日、" is a day of the month of publication, or of the month before
    assert pairs("ja", "総務省は16日、LINEヤフーに行政指導を行った。", D(2024, 4, 16)) == [(D(2024, 4, 16), "event")]
    assert pairs("ja", "改正刑法が7日、施行された。", D(2022, 7, 7)) == [(D(2022, 7, 7), "commencement")]
    assert pairs("ja", "韓国国会は26日の本会議で改正案を可決した。", D(2024, 10, 2)) == [(D(2024, 9, 26), "event")]
    assert pairs("ja", "同委員会は20日に会合を開く予定だ。", D(2024, 4, 16)) == [(D(2024, 4, 20), "event")]
    # the day a minister spoke is metadata
    assert pairs("ja", "松本総務相は16日の記者会見で「遺憾だ」と述べた。", D(2024, 4, 16)) == []
    # counts of days are not dates
    counts = ("30日未満の拘留", "7日以内に報告する", "90日間の業務停止", "3日後に公表", "約30日")
    counts += ("1日当たり2時間", "1日も早く", "3日に1回", "1日の利用時間", "G7日本")
    for text in counts:
        assert pairs("ja", text, D(2024, 4, 16)) == [], text


def test_korean_day_only() -> None:
    assert pairs("ko", "개정 공직선거법이 2024년 1월 29일부터 시행됐다.") == [(D(2024, 1, 29), "commencement")]
    assert pairs("ko", "방통위는 지난 1일 과징금을 부과했다.", D(2025, 10, 29)) == [(D(2025, 10, 1), "event")]
    assert pairs("ko", "방통위는 지난 12일 과징금을 부과했다.", D(2025, 10, 5)) == [(D(2025, 9, 12), "event")]
    assert pairs("ko", "의견은 오는 15일까지 받는다.", D(2025, 10, 20)) == [(D(2025, 11, 15), "deadline")]
    assert pairs("ko", "법안은 12월 3일 국회 본회의를 통과했다.", D(2025, 12, 5)) == [(D(2025, 12, 3), "event")]
    assert pairs("ko", "위반하면 2천만원 이하의 벌금에 처해지고 90일 동안 정지된다.") == []


def test_chinese() -> None:
    text = "立法會於2021年9月29日通過條例草案，修訂條例於2021年10月8日生效。最高可判罰款一百萬元。"
    assert pairs("zh", text) == [(D(2021, 9, 29), "event"), (D(2021, 10, 8), "commencement")]
    assert pairs("zh", "本办法自2025年1月1日起施行。") == [(D(2025, 1, 1), "commencement")]
    assert pairs("zh", "平台须于12月31日前完成备案。", D(2025, 11, 1)) == [(D(2025, 12, 31), "deadline")]
    assert pairs("zh", "修正條文於民國113年5月1日公布。") == [(D(2024, 5, 1), "published")]


def test_chinese_weekdays() -> None:
    assert pairs("zh", "网信办周二宣布封锁该应用。") == [(D(2025, 10, 28), "event")]
    # recurring weekdays, lists and spans of weekdays are not dates
    assert pairs("zh", "仅可在周五、周六、周日和法定节假日提供服务。") == []
    assert pairs("zh", "服务时间为周一至周五。") == []
    assert pairs("zh", "每周五晚上") == []


def test_vietnamese_time_of_day_without_year() -> None:
    text = "Chiều 26/6, Quốc hội đã biểu quyết thông qua Luật Bảo vệ dữ liệu cá nhân."
    assert pairs("vi", text, D(2025, 6, 26)) == [(D(2025, 6, 26), "event")]
    assert pairs("vi", "Sáng 3-7, Bộ Công an tổ chức họp báo.", D(2025, 7, 4)) == [(D(2025, 7, 3), "event")]
    assert pairs("vi", "Khoảng 1/3 dân số dùng mạng xã hội.", D(2025, 7, 4)) == []


def test_tagalog() -> None:
    text = "May hanggang Hulyo 25, 2023 pa ang mga subscriber para magparehistro."
    assert pairs("tl", text) == [(D(2023, 7, 25), "deadline")]
    assert pairs("tl", "Nilagdaan ng Pangulo ang batas noong ika-20 ng Hulyo 2024.") == [(D(2024, 7, 20), "event")]
    assert pairs("tl", "Magiging epektibo ang batas simula Enero 1, 2026.") == [(D(2026, 1, 1), "commencement")]
    assert pairs("tl", "Inaresto ng pulisya ang suspek kahapon.", D(2025, 3, 4)) == [(D(2025, 3, 3), "event")]


def test_hindi() -> None:
    assert pairs("hi", "नए नियम 1 अप्रैल 2025 से लागू होंगे।") == [(D(2025, 4, 1), "commencement")]
    assert pairs("hi", "आवेदन 12 दिसंबर 2025 तक जमा करने होंगे।") == [(D(2025, 12, 12), "deadline")]
    assert pairs("hi", "मामले की सुनवाई 5 मार्च 2026 को होगी।") == [(D(2026, 3, 5), "hearing")]
    assert pairs("hi", "कंपनी पर 20 लाख रुपये का जुर्माना लगाया गया।") == []


def test_context_from_neighbouring_words() -> None:
    # a year shared by two dates joined by "and"
    text = "Between 1 July and 30 September 2024, eSafety received 12,000 complaints."
    assert pairs("en", text, D(2025, 6, 15)) == [(D(2024, 7, 1), "event"), (D(2024, 9, 30), "event")]
    # a cue after "dan" belongs to the date that follows it
    text = "RUU itu disahkan pada 6 Desember 2022 dan berlaku tiga tahun kemudian pada 2 Januari 2026."
    assert pairs("id", text) == [(D(2022, 12, 6), "event"), (D(2026, 1, 2), "commencement")]
    # year and month words
    assert pairs("ja", "総務省は来年4月1日の施行を目指す。", D(2024, 5, 11)) == [(D(2025, 4, 1), "commencement")]
    assert pairs("ja", "同法は2024年5月10日に成立し、同月17日に公布された。", D(2025, 6, 1)) == [
        (D(2024, 5, 10), "event"),
        (D(2024, 5, 17), "published"),
    ]
    assert pairs("ko", "개정 고시는 내년 1월 1일부터 시행된다.", D(2025, 6, 1)) == [(D(2026, 1, 1), "commencement")]


def test_statement_days_in_other_languages() -> None:
    text = "Menteri mengatakan di Jakarta, Senin (1/7/2024), bahwa pemblokiran akan diperluas."
    assert pairs("id", text, D(2024, 7, 2)) == []
    assert pairs("id", "Polisi menangkap dua tersangka pada Senin (1/7/2024).", D(2024, 7, 2)) == [
        (D(2024, 7, 1), "event")
    ]
    assert pairs("id", "Minggu ini pemerintah menutup 500 situs.", D(2024, 7, 2)) == []  # "this week"
    assert pairs("ms", "Menteri berkata demikian pada sidang media semalam.", D(2024, 8, 2)) == []
    assert pairs("zh", "今日头条于2025年3月1日公布新规。") == [(D(2025, 3, 1), "published")]


# ------------------------------------------------------------------------------------ robustness
@pytest.mark.parametrize("lang", LANGS)
def test_empty_and_invalid(lang: str) -> None:
    assert ex(lang).extract("", D(2025, 1, 1)) == []
    assert ex(lang).extract("   \n ", None) == []
    assert ex(lang).extract("31/02/2025 30/02/2025 2025-02-30 2025-13-01", D(2025, 1, 1)) == []


def test_invalid_calendar_dates() -> None:
    assert pairs("en", "The deadline is 31 February 2025.") == []
    assert pairs("ja", "2025年2月30日まで") == []
    assert pairs("ko", "2025년 13월 1일") == []
    assert pairs("th", "วันที่ 31 กุมภาพันธ์ 2568") == []


@pytest.mark.parametrize("lang", LANGS)
def test_binary_junk(lang: str) -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(20000)).decode("latin-1")
    junk += "".join(chr(rng.randrange(0x20, 0x2FFF)) for _ in range(20000))
    assert isinstance(ex(lang).extract(junk, D(2025, 1, 1)), list)


def test_five_megabytes() -> None:
    para = (
        "Submissions close on 16 February 2024. The law takes effect on 1 July. Parliament passed it on "
        "Monday. Fines reach $49.5 million. 12/12/2025 2025-12-12 Dec. 12, 2025 — 25–30 August. "
    )
    text = para * (5_000_000 // len(para) + 1)
    out = ex("en").extract(text, D(2025, 5, 1))
    assert {m.date for m in out} >= {D(2024, 2, 16), D(2025, 7, 1), D(2025, 12, 12)}


def test_load_reads_every_language() -> None:
    for lang in LANGS:
        assert ex(lang).lang == lang
    with pytest.raises(FileNotFoundError):
        DateExtractor.load("xx", DATA)
