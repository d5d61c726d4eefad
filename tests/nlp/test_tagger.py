"""The whole tagger on the shipped data: traps, bad input, results' shape."""

from __future__ import annotations

import pytest

from nlp.tagger import MAX_CHARS
from tests.nlp.conftest import item


def test_every_field_is_present_with_evidence(tagger):
    result = tagger.tag(
        item(
            "eSafety Commissioner Julie Inman Grant said platforms must take reasonable steps to stop "
            "children under 16 holding accounts. The obligation takes effect on 10 December 2025.",
            "Age assurance guidance published for the social media minimum age",
            source_kind="regulator",
            published="2025-09-16",
        )
    )
    tags = result.to_json()
    assert tags["language"] == "en"
    assert tags["harm_areas"] == ["child_safety"]
    assert tags["jurisdictions"] == ["AU"]
    assert {"date": "2025-12-10", "kind": "commencement", "text": "10 December 2025"} in tags["dates"]
    assert "eSafety Commissioner" in {s["name"] for s in tags["stakeholders"]}
    assert tags["evidence"]["harm_areas"]["child_safety"]
    assert tags["evidence"]["jurisdictions"]["AU"]


def test_a_us_story_naming_singapore_in_passing_is_about_the_us(tagger):
    result = tagger.tag(
        item(
            "The Federal Trade Commission sued the app maker in California, saying it misled parents about "
            "data collected from children. Regulators in countries such as Singapore have issued similar rules.",
            "FTC sues app maker over children's data",
            source_kind="news",
        )
    )
    assert result.jurisdictions == ["US"]
    assert "SG" in result.mentioned_jurisdictions


def test_georgia_with_atlanta_is_the_us_state(tagger):
    result = tagger.tag(
        item(
            "A federal judge in Atlanta blocked Georgia's law requiring age verification for social media, "
            "finding it likely violates the First Amendment.",
            "Judge blocks Georgia social media age law",
            source_kind="news",
        )
    )
    assert result.jurisdictions == ["US"]


def test_punjab_follows_its_context(tagger):
    pakistan = tagger.tag(
        item("The Punjab Assembly in Lahore passed a defamation bill; fines are set in Rs.", "Punjab passes bill")
    )
    india = tagger.tag(
        item("Police in Jalandhar and Amritsar said Punjab would act against fake news.", "Punjab police")
    )
    assert pakistan.jurisdictions == ["PK"]
    assert india.jurisdictions == ["IN"]


def test_korea_is_the_south_unless_the_north_is_the_subject(tagger):
    south = tagger.tag(item("Korea's Personal Information Protection Commission fined the company.", "Fine"))
    north = tagger.tag(
        item("The FBI said North Korean hackers stole crypto; North Korea denied it.", "North Korea hack")
    )
    assert south.jurisdictions == ["KR"]
    assert north.jurisdictions == ["KP"]


def test_an_off_topic_item_gets_no_harm_area(tagger):
    result = tagger.tag(
        item(
            "The telco won the spectrum auction for 5G with a record bid, the ministry said, and will roll out "
            "its network next year.",
            "Spectrum auction ends with record bids",
            source_kind="news",
        )
    )
    assert result.harm_areas == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \n\t ",
        "\x00\x01\x02\xff\ufffd" * 200,
        "ÿØÿà\x00\x10JFIF\x00\x01\x01" * 1000,
        "딥페이크 deepfake 深度伪造 ディープフェイク การพนัน judi online 诈骗 " * 50,
        "<script>alert(1)</script><p>scam</p>" * 100,
    ],
)
def test_bad_text_gets_a_result_not_a_crash(tagger, text):
    result = tagger.tag(item(text, ""))
    assert result.id == "t1"
    assert result.language in {"en", "id", "ms", "th", "vi", "ja", "ko", "zh", "tl", "hi"}
    assert len(result.harm_areas) <= 3


def test_mixed_scripts_are_read_in_the_main_language(tagger):
    result = tagger.tag(
        item("방송통신심의위원회는 Telegram의 딥페이크 성범죄물을 삭제했다. Telegram said it complied.")
    )
    assert result.language == "ko"
    assert "sexual_content" in result.harm_areas


def test_five_megabytes_of_text_are_cut_and_the_evidence_says_so(tagger):
    text = ("Online scams surged as scam centres in Myanmar targeted victims. " * 80_000)[: 5 * 1024 * 1024]
    result = tagger.tag(item(text, "Scam surge"))
    assert result.evidence["truncated_at"] == MAX_CHARS
    assert result.harm_areas == ["scams_fraud"]


def test_an_unsupported_language_hint_is_replaced_and_explained(tagger):
    result = tagger.tag(item("The regulator fined the platform for failing to remove scam ads.", lang="fr"))
    assert result.language == "en"
    assert "'fr'" in result.evidence["language"]


def test_many_items_keep_their_order_across_languages(tagger):
    texts = ["총무성은 규칙을 발표했다.", "The ministry spoke.", "総務省は発表した。", "Kementerian mengatakan tidak."]
    results = list(tagger.tag_many(item(t, id=str(n)) for n, t in enumerate(texts)))
    assert [r.id for r in results] == ["0", "1", "2", "3"]
    assert [r.language for r in results] == ["ko", "en", "ja", "id"]


def test_a_swollen_vocabulary_is_dropped_and_results_stay_the_same():
    from nlp.tagger import Tagger

    tagger = Tagger()
    tagger.max_strings = 1  # every batch swells past this: the pipeline is rebuilt each time
    texts = [f"Scam centre number {n} raided by police in Manila, officials said." for n in range(6)]
    first = tagger.pipeline("en")
    results = [tagger.tag(item(text, id=str(n))) for n, text in enumerate(texts)]
    assert tagger.pipeline("en") is not first
    assert {tuple(r.harm_areas) for r in results} == {("scams_fraud",)}
    assert {tuple(r.jurisdictions) for r in results} == {("PH",)}
