"""Store of record and search index for tagged items. Stage 3 of the flow."""
