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
        {"name": "X", "kind": "platform", "jurisdiction": None, "aliases": ["X Corp."], "context": ["twitter", "musk"]}
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


def test_korea_is_south_korea_unless_the_north_is_named(pipeline):
    assert run(pipeline, "Korea passed a new law.").user_data[JURISDICTIONS].about == ["KR"]
    north = run(pipeline, "North Korea hackers stole crypto, North Korea denied it.")
    assert north.user_data[JURISDICTIONS].about == ["KP"]


def test_an_ambiguous_place_follows_the_rest_of_the_item(pipeline):
    pakistan = run(pipeline, "Police in Lahore said the Punjab assembly passed the bill.")
    assert pakistan.user_data[JURISDICTIONS].about == ["PK"]
    india = run(pipeline, "Police in Jalandhar said Punjab would act.")
    assert india.user_data[JURISDICTIONS].about == ["IN"]


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
