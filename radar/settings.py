"""The tracker's settings, read once from the environment by the entry point and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None  # None: SQLite under data_dir
    elasticsearch_url: str | None  # None: tantivy under data_dir
    sources_file: Path | None = None  # None: the shipped registry, crawlers/sources.yaml
    api_rate_limit: str = "600/minute"  # per token or address; "off" for none
    login_rate_limit: str = "10/minute"  # per address

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """RADAR_DATA_DIR (default ./data), RADAR_DATABASE_URL, RADAR_ELASTICSEARCH_URL,
        RADAR_SOURCES_FILE, RADAR_API_RATE_LIMIT, RADAR_LOGIN_RATE_LIMIT (such as "600/minute",
        or "off")."""
        sources_file = env.get("RADAR_SOURCES_FILE")
        return cls(
            data_dir=Path(env.get("RADAR_DATA_DIR") or "data"),
            database_url=env.get("RADAR_DATABASE_URL") or None,
            elasticsearch_url=env.get("RADAR_ELASTICSEARCH_URL") or None,
            sources_file=Path(sources_file) if sources_file else None,
            api_rate_limit=env.get("RADAR_API_RATE_LIMIT") or cls.api_rate_limit,
            login_rate_limit=env.get("RADAR_LOGIN_RATE_LIMIT") or cls.login_rate_limit,
        )
