"""The tagger's spaCy components. Importing this package registers their factories."""

from nlp.components import doc_type, harm_areas, jurisdictions, key_dates, stakeholders, terms

__all__ = ["doc_type", "harm_areas", "jurisdictions", "key_dates", "stakeholders", "terms"]
