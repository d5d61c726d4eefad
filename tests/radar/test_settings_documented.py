"""Settings are documented in one place: every RADAR_* name the packages read is in .env.example
and in the README's "Settings", and .env.example holds only values the tracker accepts. And
docker-compose.yml is the deployment the README describes: four services, each with a health
check, the tracker's waiting for healthy databases, every variable it reads documented."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.protection import RateLimits
from radar.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"
README = ROOT / "README.md"
COMPOSE = ROOT / "docker-compose.yml"

# A RADAR_* name as a string literal: how every setting is read (env.get("RADAR_..."), os.environ.get(...)).
SETTING_LITERAL = re.compile(r"""["'](RADAR_[A-Z0-9_]+)["']""")
# Names in the packages that are not read from the environment, and why.
NOT_SETTINGS = {
    "RADAR_RETRY_BACKOFF_S": "a key of the crawler's Scrapy settings (crawlers/fetching.py)",
}
# Tests' and benches' own switches, never read by the tracker itself.
NOT_SETTINGS_PREFIXES = ("RADAR_TEST_", "RADAR_BENCH_")
# `NAME=value`, or `# NAME=value` for one shown at its default (or an example) and left unset.
ENV_LINE = re.compile(r"^(?P<commented>#\s?)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
# ${VAR}, ${VAR:-default}, ${VAR:?message} or $VAR, which Compose fills in; $$ is a literal $ for the container.
COMPOSE_VARIABLE = re.compile(r"(?<!\$)\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")

APP_SERVICES = ("api", "scheduler")
DATABASE_SERVICES = ("postgres", "elasticsearch")


def package_sources() -> dict[Path, str]:
    """The source of every module of the installed packages (pyproject's packages.find), not the tests."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [
        path
        for path in ROOT.iterdir()
        if (path / "__init__.py").is_file() and any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)
    ]
    return {module: module.read_text(encoding="utf-8") for package in packages for module in package.rglob("*.py")}


def settings_read() -> set[str]:
    names = {name for source in package_sources().values() for name in SETTING_LITERAL.findall(source)}
    return {name for name in names if name not in NOT_SETTINGS and not name.startswith(NOT_SETTINGS_PREFIXES)}


def env_example() -> tuple[dict[str, str], dict[str, str]]:
    """(set, shown commented out) in .env.example, each name -> value."""
    active: dict[str, str] = {}
    commented: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := ENV_LINE.match(line.strip()):
            (commented if match["commented"] else active)[match["name"]] = match["value"]
    return active, commented


def readme_settings_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Settings\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, written as a mapping or as a list of NAME=value."""
    value = service.get("environment") or {}
    if isinstance(value, list):
        return dict(entry.split("=", 1) for entry in value)
    return {name: str(setting) for name, setting in value.items()}


def test_the_scan_finds_settings_read_in_several_packages() -> None:
    # Settings.from_env's and the crawler's own: an empty scan would document nothing and pass.
    assert {"RADAR_DATA_DIR", "RADAR_DATABASE_URL", "RADAR_CRAWL_ALLOW_PRIVATE"} <= settings_read()


def test_every_setting_read_is_in_env_example() -> None:
    active, commented = env_example()
    missing = sorted(settings_read() - active.keys() - commented.keys())
    assert not missing, f"add these to .env.example, with what they do and their default: {missing}"


def test_every_setting_read_is_in_the_readme_settings_section() -> None:
    section = readme_settings_section()
    missing = sorted(name for name in settings_read() if f"`{name}`" not in section)
    assert not missing, f"add these to README.md's Settings table: {missing}"


def test_env_example_documents_no_setting_the_tracker_does_not_read() -> None:
    active, commented = env_example()
    documented = {name for name in active.keys() | commented.keys() if name.startswith("RADAR_")}
    assert sorted(documented - settings_read()) == []


def test_names_set_aside_as_not_settings_are_still_in_the_source() -> None:
    sources = "\n".join(package_sources().values())
    assert [name for name in NOT_SETTINGS if f'"{name}"' not in sources] == []


def test_env_example_as_written_gives_the_default_settings() -> None:
    active, _ = env_example()
    assert Settings.from_env(active) == Settings.from_env({})


def test_every_value_shown_in_env_example_is_one_the_tracker_accepts() -> None:
    active, commented = env_example()
    settings = Settings.from_env({**active, **commented})  # raises SettingsError on a bad one
    RateLimits(settings.api_rate_limit, settings.login_rate_limit)  # create_app checks these
    assert settings.database_url and settings.elasticsearch_url


def test_compose_has_the_four_services_each_with_a_health_check() -> None:
    services = compose()["services"]
    assert set(APP_SERVICES + DATABASE_SERVICES) <= services.keys()
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_tracker_waits_for_healthy_databases_and_points_at_them(name: str) -> None:
    service = compose()["services"][name]
    depends_on = service["depends_on"]
    for database in DATABASE_SERVICES:
        assert depends_on[database]["condition"] == "service_healthy"
    env = environment(service)
    assert "@postgres:5432/" in env["RADAR_DATABASE_URL"]
    assert env["RADAR_ELASTICSEARCH_URL"].startswith("http://elastic:${ELASTIC_PASSWORD")
    assert env["RADAR_ELASTICSEARCH_URL"].endswith("@elasticsearch:9200")
    assert service["env_file"] == ".env"
    assert service["restart"] in ("always", "unless-stopped")


def test_the_services_run_the_commands_the_readme_names() -> None:
    services = compose()["services"]
    assert services["api"]["command"] == ["radar", "serve", "--host", "0.0.0.0"]
    assert services["scheduler"]["command"] == ["radar", "scheduler"]
    environment_es = environment(services["elasticsearch"])
    assert environment_es["xpack.security.enabled"] == "true"


def test_every_variable_compose_reads_is_in_env_example() -> None:
    active, commented = env_example()
    used = {match["braced"] or match["bare"] for match in COMPOSE_VARIABLE.finditer(COMPOSE.read_text("utf-8"))}
    assert "POSTGRES_PASSWORD" in used  # the pattern finds what it should
    assert sorted(used - active.keys() - commented.keys()) == []
