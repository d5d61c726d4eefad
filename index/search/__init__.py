"""The search index: the query language, cross-language expansion, and the engines behind the
`SearchEngine` Protocol (tantivy embedded, Elasticsearch when configured)."""
