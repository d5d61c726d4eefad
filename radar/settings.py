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
    # Alerts. Email goes through an SMTP relay; links in alerts start with public_url.
    smtp_host: str | None = None  # None: email channels fail (and are retried) until it is set
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "policy-radar <radar@localhost>"
    smtp_starttls: bool = False
    public_url: str = "http://127.0.0.1:8000"
    admin_channels: tuple[str, ...] = ()  # where source-health alerts go, e.g. email:ops@example.org
    webhook_allow_private: bool = False  # True: webhooks may post to private, loopback and link-local addresses
    # Operations: the logs' format and level (radar/logging_setup.py) and where `radar scheduler`
    # serves its own metrics (None: it does not; the web processes serve theirs at /metrics).
    log_format: str = "text"  # text, or json: one JSON object a line
    log_level: str = "INFO"
    metrics_host: str = "127.0.0.1"
    metrics_port: int | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """RADAR_DATA_DIR (default ./data), RADAR_DATABASE_URL, RADAR_ELASTICSEARCH_URL,
        RADAR_SOURCES_FILE, RADAR_API_RATE_LIMIT, RADAR_LOGIN_RATE_LIMIT (such as "600/minute",
        or "off"), RADAR_SMTP_HOST, RADAR_SMTP_PORT, RADAR_SMTP_USER, RADAR_SMTP_PASSWORD,
        RADAR_SMTP_FROM, RADAR_SMTP_STARTTLS (1/true/yes), RADAR_PUBLIC_URL (the address in alert
        links), RADAR_ADMIN_CHANNELS (comma-separated channels for source-health alerts),
        RADAR_WEBHOOK_ALLOW_PRIVATE (1/true/yes: webhooks may post to private addresses),
        RADAR_LOG_FORMAT (text or json), RADAR_LOG_LEVEL (DEBUG, INFO, WARNING or ERROR),
        RADAR_METRICS_PORT ([HOST:]PORT where `radar scheduler` serves its metrics; HOST defaults
        to 127.0.0.1)."""
        sources_file = env.get("RADAR_SOURCES_FILE")
        metrics_host, metrics_port = _listen_address(env, "RADAR_METRICS_PORT", cls.metrics_host)
        return cls(
            data_dir=Path(env.get("RADAR_DATA_DIR") or "data"),
            database_url=env.get("RADAR_DATABASE_URL") or None,
            elasticsearch_url=env.get("RADAR_ELASTICSEARCH_URL") or None,
            sources_file=Path(sources_file) if sources_file else None,
            api_rate_limit=env.get("RADAR_API_RATE_LIMIT") or cls.api_rate_limit,
            login_rate_limit=env.get("RADAR_LOGIN_RATE_LIMIT") or cls.login_rate_limit,
            smtp_host=env.get("RADAR_SMTP_HOST") or None,
            smtp_port=_integer(env, "RADAR_SMTP_PORT", cls.smtp_port),
            smtp_user=env.get("RADAR_SMTP_USER") or None,
            smtp_password=env.get("RADAR_SMTP_PASSWORD") or None,
            smtp_from=env.get("RADAR_SMTP_FROM") or cls.smtp_from,
            smtp_starttls=(env.get("RADAR_SMTP_STARTTLS") or "").strip().lower() in ("1", "true", "yes", "on"),
            public_url=(env.get("RADAR_PUBLIC_URL") or cls.public_url).rstrip("/"),
            admin_channels=tuple(
                channel.strip() for channel in (env.get("RADAR_ADMIN_CHANNELS") or "").split(",") if channel.strip()
            ),
            webhook_allow_private=(env.get("RADAR_WEBHOOK_ALLOW_PRIVATE") or "").strip().lower()
            in ("1", "true", "yes", "on"),
            log_format=_choice(env, "RADAR_LOG_FORMAT", cls.log_format, LOG_FORMATS),
            log_level=_choice(env, "RADAR_LOG_LEVEL", cls.log_level, LOG_LEVELS),
            metrics_host=metrics_host,
            metrics_port=metrics_port,
        )


class SettingsError(ValueError):
    """A setting that cannot be used, naming it and what it should be."""


def _integer(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}.") from None


LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (env.get(name) or default).strip()
    for choice in choices:
        if value.lower() == choice.lower():
            return choice
    raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")


def _listen_address(env: Mapping[str, str], name: str, default_host: str) -> tuple[str, int | None]:
    """(host, port) from "PORT" or "HOST:PORT" ("[::1]:PORT" for IPv6); no port when unset."""
    value = (env.get(name) or "").strip()
    if not value:
        return default_host, None
    host, _, port = value.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise SettingsError(f"{name} must be a port, or HOST:PORT, such as 9101 or 0.0.0.0:9101; not {value!r}.")
    return host.strip("[]") or default_host, int(port)
