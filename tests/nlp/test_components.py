"""Each component on a blank pipeline with a small data directory of its own."""

from __future__ import annotations

import pytest
import spacy

import nlp.components  # noqa: F401  (registers the factories)
from nlp.components.doc_type import DOC_TYPE
from nlp.components.harm_areas import HARM_AREAS
from nlp.components.jurisdictions import JURISDICTIONS
from nlp.components.stakeholders import STAKEHOLDERS
from nlp.components.terms import ITEM, MATCHES, TITLE_END
from nlp.resources import DataError, load_gazetteer
from tests.nlp.conftest import item, write_data_dir

GAZETTEER = {
    "AU.jsonl": [
        {"name": "Australia", "kind": "country", "aliases": ["Australian"]},
        {"name": "eSafety Commissioner", "kind": "regulator", "aliases": ["eSafety"]},
    ],
    "SG.jsonl": [
        {"name": "Singapore", "kind": "country", "aliases": ["Singaporean"]},
        {"name": "Infocomm Media Development Authority", "kind": "regulator", "aliases": ["IMDA"]},
    ],
    "KR.jsonl": [{"name": "South Korea", "kind": "country", "aliases": ["Korea", "Korean"]}],
    "KP.jsonl": [{"name": "North Korea", "kind": "country", "aliases": ["DPRK"]}],
    "platforms.jsonl": [
        {"name": "X", "kind": "platform", "jurisdiction": None, "aliases": ["X Corp."], "context": ["twitter", "musk"]},
        {"name": "TikTok", "kind": "platform", "jurisdiction": None},
        {"name": "Meta", "kind": "company", "jurisdiction": None},
    ],
    "US.jsonl": [
        {"name": "United States", "kind": "country", "aliases": ["US"]},
        {"name": "Federal Bureau of Investigation", "kind": "police", "aliases": ["FBI"]},
    ],
    "TW.jsonl": [{"name": "Taiwan", "kind": "country", "aliases": ["Taiwanese"]}],
    "TH.jsonl": [{"name": "Thailand", "kind": "country", "aliases": ["Thai"]}],
    "MM.jsonl": [{"name": "Myanmar", "kind": "country"}],
    "KE.jsonl": [{"name": "Kenya", "kind": "country"}],
    "PH.jsonl": [{"name": "Philippines", "kind": "country"}],
    "APAC.jsonl": [{"name": "Southeast Asia", "kind": "region"}],
    "GLOBAL.jsonl": [
        {"name": "United Nations Office on Drugs and Crime", "kind": "intergovernmental", "aliases": ["UNODC"]},
        {"name": "UN Special Rapporteur", "kind": "intergovernmental", "aliases": ["UN special rapporteur"]},
        {"name": "Irene Khan", "kind": "person"},
        {"name": "Amnesty International", "kind": "ngo", "jurisdiction": None},
    ],
    "ambiguous.jsonl": [{"name": "Punjab", "kind": "region", "candidates": ["IN", "PK"]}],
    "PK.jsonl": [{"name": "Lahore", "kind": "city"}],
    "IN.jsonl": [{"name": "Jalandhar", "kind": "city"}],
}
CUES = {
    "en": {
        "harm_areas.jsonl": [
            {"id": "scams_fraud", "pattern": "scam", "weight": 2},
            {"id": "scams_fraud", "pattern": "scams", "weight": 2},
            {"id": "scams_fraud", "pattern": "scam centre", "weight": 3},
            {"id": "scams_fraud", "pattern": "fraud", "weight": 1},
            {"id": "child_safety", "pattern": "age assurance", "weight": 3},
            {"id": "gambling", "pattern": "gambling", "weight": 3},
            {"id": "gambling", "pattern": "video game", "weight": -2},
            {"id": "self_harm_suicide", "pattern": "self-harm", "weight": 3},
            {"id": "self_harm_suicide", "pattern": "eating disorders", "weight": 3},
            {"id": "sexual_content", "pattern": "pornography", "weight": 3},
            {"id": "harassment_bullying", "pattern": "cyberbullying", "weight": 3},
            {"id": "hate_speech", "pattern": "hate speech", "weight": 3},
            {"id": "ai_synthetic_media", "pattern": "AI", "weight": 1},
            {"id": "ai_synthetic_media", "pattern": "artificial intelligence", "weight": 1},
            {"id": "ai_synthetic_media", "pattern": "chatbot", "weight": 1},
            {"id": "ai_synthetic_media", "pattern": "deepfake", "weight": 3},
            {"id": "ai_synthetic_media", "pattern": "AI-generated", "weight": 3},
            {"id": "child_safety", "pattern": "child", "weight": 1},
            {"id": "sexual_content", "pattern": "sexual images", "weight": 3},
        ],
        "doc_types.jsonl": [
            {"id": "consultation", "pattern": "submissions close", "weight": 3},
            {"id": "enforcement", "pattern": "fined", "weight": 3},
            {"id": "legislation", "pattern": "passed", "weight": 2},
        ],
    }
}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    data = write_data_dir(tmp_path_factory.mktemp("components"), GAZETTEER, CUES)
    blank = spacy.blank("en")
    blank.add_pipe("radar_terms", config={"data_dir": str(data), "taxonomy": str(data / "taxonomy.yaml")})
    blank.add_pipe("radar_harm_areas", config={"data_dir": str(data)})
    blank.add_pipe("radar_jurisdictions", config={"data_dir": str(data)})
    blank.add_pipe("radar_doc_type", config={"data_dir": str(data)})
    blank.add_pipe("radar_stakeholders", config={"data_dir": str(data)})
    return blank


def run(pipeline, text, title="", **fields):
    doc = pipeline.make_doc(f"{title}\n\n{text}" if title else text)
    doc.user_data[ITEM] = item(text, title, **fields)
    doc.user_data[TITLE_END] = len(title)
    return pipeline(doc)


def test_terms_prefer_the_longest_name(pipeline):
    doc = run(pipeline, "Officials in North Korea denied it.")
    names = [m.term.label for m in doc.user_data[MATCHES] if m.term.field == "entity"]
    assert names == ["North Korea"]


def test_acronyms_match_only_in_their_exact_case(pipeline):
    doc = run(pipeline, "The imda.gov.sg site and Imda were cited, then IMDA acted.")
    surfaces = [m.text for m in doc.user_data[MATCHES] if m.term.field == "entity"]
    assert surfaces == ["IMDA"]


def test_a_context_bound_name_needs_its_context(pipeline):
    plain = run(pipeline, "Section X of the act applies.")
    assert not [m for m in plain.user_data[MATCHES] if m.term.label == "X"]
    platform = run(pipeline, "X, formerly Twitter, was told to act.")
    assert [m.text for m in platform.user_data[MATCHES] if m.term.label == "X"] == ["X"]


def test_harm_area_needs_enough_evidence_and_keeps_it(pipeline):
    doc = run(pipeline, "Police broke up a scam centre holding hundreds of workers.")
    result = doc.user_data[HARM_AREAS]
    assert result.labels == ["scams_fraud"]
    assert result.evidence == {"scams_fraud": ["scam centre"]}
    weak = run(pipeline, "A fraud-monitoring start-up raised money.")
    assert weak.user_data[HARM_AREAS].labels == []


def test_a_repeated_word_does_not_make_a_topic(pipeline):
    doc = run(pipeline, "fraud fraud fraud fraud fraud fraud fraud fraud")
    assert doc.user_data[HARM_AREAS].labels == []


def test_negative_cues_speak_against_a_harm(pipeline):
    doc = run(pipeline, "A video game rating scheme, not gambling, was discussed.")
    assert doc.user_data[HARM_AREAS].scores["gambling"] == 1.0
    assert doc.user_data[HARM_AREAS].labels == []


def test_a_regulator_alone_sets_the_jurisdiction(pipeline):
    doc = run(pipeline, "eSafety has issued a notice to the platform.")
    assert doc.user_data[JURISDICTIONS].about == ["AU"]


def test_a_passing_mention_is_kept_apart(pipeline):
    text = (
        "IMDA opened consultation on age assurance. Singapore would follow countries such as "
        "Australia in setting rules."
    )
    result = run(pipeline, text).user_data[JURISDICTIONS]
    assert result.about == ["SG"]
    assert result.mentioned == ["AU"]


def test_a_headline_does_not_frame_the_first_sentence_of_the_body(pipeline):
    # "after" ends the headline: it does not make the body's opening place a passing mention.
    text = "Australia's eSafety Commissioner ordered the removal of the video. The attack was filmed in Singapore."
    result = run(pipeline, text, "Attack video banned a day after the attack").user_data[JURISDICTIONS]
    assert result.about == ["AU"]
    assert result.mentioned == ["SG"]
    framed = run(pipeline, "Singapore acted after Australia.").user_data[JURISDICTIONS]
    assert framed.about == ["SG"] and framed.mentioned == ["AU"]


def test_korea_is_south_korea_unless_the_north_is_named(pipeline):
    assert run(pipeline, "Korea passed a new law.").user_data[JURISDICTIONS].about == ["KR"]
    north = run(pipeline, "North Korea hackers stole crypto, North Korea denied it.")
    assert north.user_data[JURISDICTIONS].about == ["KP"]


def test_an_ambiguous_place_follows_the_rest_of_the_item(pipeline):
    pakistan = run(pipeline, "Police in Lahore said the Punjab assembly passed the bill.")
    assert pakistan.user_data[JURISDICTIONS].about == ["PK"]
    india = run(pipeline, "Police in Jalandhar said Punjab would act.")
    assert india.user_data[JURISDICTIONS].about == ["IN"]


def test_a_harm_in_one_sentence_of_the_body_is_a_passing_mention(pipeline):
    title = "Age assurance code registered"
    body = "Age assurance is coming. Age assurance rules apply to app stores. Critics cited cyberbullying."
    assert run(pipeline, body, title).user_data[HARM_AREAS].labels == ["child_safety"]
    twice = body.replace("app stores", "cyberbullying")
    assert run(pipeline, twice, title).user_data[HARM_AREAS].labels == ["child_safety", "harassment_bullying"]
    titled = run(pipeline, body, "Age assurance code to curb cyberbullying")
    assert set(titled.user_data[HARM_AREAS].labels) == {"child_safety", "harassment_bullying"}


def test_a_list_may_join_its_items_with_a_few_list_words(pipeline):
    doc = run(pipeline, "Services that allow pornography or content promoting self-harm or eating disorders must act.")
    result = doc.user_data[HARM_AREAS]
    assert result.scores["self_harm_suicide"] < 3  # each listed item counts little
    assert result.labels == []


def test_a_service_banned_is_platform_regulation_but_not_a_service_banning(pipeline):
    banned = run(pipeline, "The TikTok ban took effect on Monday amid hate speech concerns.")
    assert "platform_regulation" in banned.user_data[HARM_AREAS].labels
    banning = run(pipeline, "TikTok bans accounts that spread hate speech, the company said.")
    assert "platform_regulation" not in banning.user_data[HARM_AREAS].labels


def test_apps_blocked_by_number_are_platform_regulation_unless_one_harm_is_named(pipeline):
    apps = run(pipeline, "The ministry invoked its powers to block 59 mobile apps, citing hate speech concerns.")
    assert "platform_regulation" in apps.user_data[HARM_AREAS].labels
    sites = run(pipeline, "The ministry ordered the blocking of 25 streaming apps and websites.")
    assert sites.user_data[HARM_AREAS].labels == ["platform_regulation"]
    gambling = run(pipeline, "Police blocked 22 illegal betting apps and closed gambling dens; gambling arrests rose.")
    assert gambling.user_data[HARM_AREAS].labels == ["gambling"]


def test_bare_ai_words_do_not_make_synthetic_media(pipeline):
    text = "The AI plan uses artificial intelligence in a new chatbot. AI training will follow. More AI is coming."
    assert run(pipeline, text, "Government unveils AI plan").user_data[HARM_AREAS].labels == []
    deepfake = run(pipeline, text + " Officials warned of deepfake videos.", "Government unveils AI plan")
    assert deepfake.user_data[HARM_AREAS].labels == ["ai_synthetic_media"]


def test_a_corporate_deal_or_appointment_headline_needs_much_stronger_evidence(pipeline):
    text = "The company sells tools that stop scams. Banks use it against scam centre networks and fraud."
    for title in (
        "Anti-scam start-up raises $20 million in Series B round",
        "Tech giant to invest US$2.2 billion in the region",
        "Jane Doe replaces John Roe as anti-scam commissioner",
        "Security firm launches real-time scam detection tool for banks",
    ):
        assert run(pipeline, text, title).user_data[HARM_AREAS].labels == [], title
    assert run(pipeline, text, "Police warn of new scams").user_data[HARM_AREAS].labels == ["scams_fraud"]


def test_cues_side_by_side_are_one_item_not_a_list(pipeline):
    doc = run(pipeline, "A man made AI-generated child sexual images, police said.", "Man jailed")
    result = doc.user_data[HARM_AREAS]
    assert result.scores["ai_synthetic_media"] == 3.0  # not discounted as an enumeration
    assert set(result.labels) == {"ai_synthetic_media", "sexual_content"}


def test_worldwide_scope_votes_for_global(pipeline):
    text = "Amnesty International said hate speech spreads worldwide, with cases in Kenya."
    result = run(pipeline, text, "Hate speech rises worldwide").user_data[JURISDICTIONS]
    assert result.about == ["GLOBAL"]
    assert result.mentioned == ["KE"]
    off_topic = run(pipeline, "The firm operates worldwide and in Kenya.", "Firm raises money").user_data[JURISDICTIONS]
    assert off_topic.about == ["KE"]


def test_places_in_one_enumeration_are_settings(pipeline):
    text = (
        "Amnesty International said accounts set up in Kenya, the Philippines and the United States were shown "
        "self-harm videos within hours, and urged TikTok to protect users worldwide from self-harm content."
    )
    result = run(pipeline, text, "TikTok feed pushes self-harm content").user_data[JURISDICTIONS]
    assert result.about == ["GLOBAL"]
    assert set(result.mentioned) == {"KE", "PH", "US"}


def test_a_firm_acting_in_the_headline_is_a_global_policy(pipeline):
    acting = run(
        pipeline,
        "Meta will remove hate speech faster, starting in the United States.",
        "Meta loosens hate speech rules",
        source_kind="news",
    )
    assert acting.user_data[JURISDICTIONS].about == ["GLOBAL"]
    assert acting.user_data[JURISDICTIONS].mentioned == ["US"]
    text = "Meta was fined over hate speech in the United States."
    acted_on = run(pipeline, text, "Meta fined over hate speech", source_kind="news")
    assert acted_on.user_data[JURISDICTIONS].about == ["US"]
    text = "Meta opened an office in the United States."
    off_topic = run(pipeline, text, "Meta opens office", source_kind="news")
    assert off_topic.user_data[JURISDICTIONS].about == ["US"]


def test_a_worldwide_body_reporting_on_the_region_is_about_the_region(pipeline):
    text = "A UNODC report says scam centre compounds grew across the region, notably in Myanmar."
    result = run(pipeline, text, "UNODC: scam centres spread in Southeast Asia").user_data[JURISDICTIONS]
    assert result.about == ["APAC"]
    assert "GLOBAL" not in result.mentioned


def test_one_actor_named_twice_in_a_row_votes_once(pipeline):
    text = (
        "South Korea shelved the bill. Critics, including the UN special rapporteur, Irene Khan, warned "
        "that it would chill reporting, and Irene Khan asked for changes."
    )
    result = run(pipeline, text, "Korea shelves fake news bill").user_data[JURISDICTIONS]
    assert result.about == ["KR"]
    assert result.mentioned == ["GLOBAL"]


def test_nationality_and_flight_are_passing_mentions(pipeline):
    text = "The military government said that its police in Myanmar raided a compound."
    result = run(pipeline, text, "Taiwanese national held as hundreds flee to Thailand").user_data[JURISDICTIONS]
    assert result.about == ["MM"]
    assert set(result.mentioned) == {"TW", "TH"}


def test_the_subject_of_the_first_sentence_acts_unless_it_speaks(pipeline):
    text = "Thailand cut power to five towns in Myanmar where scam centre gangs operate, Thai officials said."
    acting = run(pipeline, text, "Power cut to Myanmar border towns")
    assert acting.user_data[JURISDICTIONS].about == ["MM", "TH"]
    text = "The FBI says North Korea was behind the scam centre thefts, and North Korea denied it."
    speaking = run(pipeline, text, "North Korea blamed for scam centre thefts")
    assert speaking.user_data[JURISDICTIONS].about == ["KP"]


def test_news_is_news_unless_it_is_an_opinion(pipeline):
    assert run(pipeline, "Submissions close soon.", source_kind="news").user_data[DOC_TYPE].label == "news"
    opinion = run(pipeline, "Platforms are failing us.", title="Opinion: the code is too weak", source_kind="news")
    assert opinion.user_data[DOC_TYPE].label == "statement"


def test_doc_type_from_cues_with_title_counting_double(pipeline):
    doc = run(pipeline, "The bill was passed last year.", title="Operator fined", source_kind="regulator")
    assert doc.user_data[DOC_TYPE].label == "enforcement"
    assert doc.user_data[DOC_TYPE].evidence == ["fined"]


def test_official_item_without_cues_is_a_statement(pipeline):
    assert run(pipeline, "The minister spoke.", source_kind="ministry").user_data[DOC_TYPE].label == "statement"


def test_stakeholders_from_gazetteer_and_rules(pipeline):
    text = (
        "eSafety Commissioner Julie Inman Grant said the eSafety office had acted. "
        "The Gambling Regulatory Authority and the Ministry of Law agreed, said Anika Wells."
    )
    found = {s.name: s for s in run(pipeline, text).user_data[STAKEHOLDERS]}
    assert found["eSafety Commissioner"].mentions == ("eSafety Commissioner", "eSafety")
    assert found["eSafety Commissioner"].jurisdiction == "AU"
    assert {"Julie Inman Grant", "Anika Wells", "Gambling Regulatory Authority", "Ministry of Law"} <= set(found)
    assert "The Gambling Regulatory Authority" not in found


def test_laws_and_places_are_not_stakeholders(pipeline):
    text = "Australia said the Online Safety Act and the Protection from Harassment Act apply."
    names = {s.name for s in run(pipeline, text).user_data[STAKEHOLDERS]}
    assert names == set()


def test_a_bad_gazetteer_line_names_its_file_and_line(tmp_path):
    data = write_data_dir(tmp_path, {"AU.jsonl": [{"name": "eSafety", "kind": "regulator"}]})
    (data / "gazetteer" / "AU.jsonl").write_text(
        '{"name": "eSafety", "kind": "regulator"}\n{"name": "x", "kind": "planet"}\n'
    )
    with pytest.raises(DataError, match=r"AU.jsonl:2: 'kind' 'planet'"):
        load_gazetteer(data)
    (data / "gazetteer" / "AU.jsonl").write_text("{not json\n")
    load_gazetteer.cache_clear()
    with pytest.raises(DataError, match=r"AU.jsonl:1: not valid JSON"):
        load_gazetteer(data)
