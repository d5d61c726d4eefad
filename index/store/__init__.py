"""The store of record: items, their versions and stories, on SQLite or PostgreSQL.

`sql_store.SqlStore.open(database_url, data_dir)` opens (and migrates) it. Beside it:
`urls` canonical URLs and item ids, `content` cleaned text and content hashes, `stories` and
`story_index` near-duplicate grouping, `diffs` version diffs, `models` and `migrations/` the
schema, `engine` the SQLAlchemy engine, `transfer` the whole store as JSON Lines and back.
"""
