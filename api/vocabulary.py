"""The API's vocabulary (shared/taxonomy.yaml's ids) with the names the web page shows for them
(api/data/labels.yaml; a jurisdiction it does not name takes the gazetteer's name of that
country)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.store.subscriptions import NewSubscription
from nlp.resources import DEFAULT_DATA_DIR, Taxonomy, load_gazetteer, load_yaml

LABELS_FILE = Path(__file__).resolve().parent / "data" / "labels.yaml"
# The search's facet fields (index/records.FACET_FIELDS) and the parameter each is filtered by.
FACETS = {
    "jurisdictions": "country",
    "harm_areas": "harm",
    "doc_type": "doc_type",
    "source_kind": "source_kind",
    "language": "lang",
}

# What the pages call each of them.
FACET_TITLES = {
    "jurisdictions": "Country or region",
    "harm_areas": "Harm area",
    "doc_type": "Document type",
    "source_kind": "Source kind",
    "language": "Language",
}


class VocabularyError(ValueError):
    """A value the API does not know, with the values it does."""


@dataclass(frozen=True)
class Vocabulary:
    labels: dict[str, dict[str, str]]  # facet field -> id -> display name

    @classmethod
    def load(cls, data_dir: Path = DEFAULT_DATA_DIR, labels_file: Path = LABELS_FILE) -> Vocabulary:
        taxonomy = Taxonomy.load(data_dir / "taxonomy.yaml")
        given = load_yaml(labels_file)
        countries: dict[str, str] = {}
        for entity in load_gazetteer(data_dir):
            if entity.kind == "country" and entity.jurisdiction:
                countries.setdefault(entity.jurisdiction, entity.name)
        return cls(
            labels={
                "harm_areas": {id: given["harm_areas"].get(id, id) for id in taxonomy.harm_areas},
                "doc_type": {id: given["doc_types"].get(id, id) for id in taxonomy.doc_types},
                "source_kind": dict(given["source_kinds"]),
                "language": dict(given["languages"]),
                "jurisdictions": {**countries, **given["jurisdictions"]},
            }
        )

    def label(self, field: str, value: str) -> str:
        return self.labels.get(field, {}).get(value, value)

    def check(self, field: str, values: list[str] | tuple[str, ...]) -> None:
        """Raise VocabularyError for harm areas or document types that are not the taxonomy's."""
        known = self.labels[field]
        unknown = [value for value in values if value not in known]
        if unknown:
            raise VocabularyError(f"Unknown {FACETS[field]} {', '.join(unknown)}: use one of {', '.join(known)}.")

    def check_subscription(self, new: NewSubscription) -> None:
        """Raise VocabularyError for a subscription's harm areas or document types that are not the taxonomy's."""
        self.check("harm_areas", new.harm_areas)
        self.check("doc_type", new.doc_types)
