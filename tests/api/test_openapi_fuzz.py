"""Every operation in the OpenAPI schema, fed requests that schemathesis builds from it (fitting
the schema and not), in process: none may answer with a server error. The app runs on the example
items in its local single-user mode, so no route is closed to the fuzzer.

The operations are listed here, one test each, and a test fails when the schema has one the list
lacks. (schemathesis.pytest.from_fixture would find them itself, but schemathesis 4.32.5 sets
`request.node._nodeid`, which pytest 9.2 no longer has.) `fuzz_operation` is the machinery;
tests/security/test_api_roles.py runs it too, as an anonymous caller, a viewer and an admin of a
public tracker."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from api.app import create_app
from index.store.accounts import Accounts
from radar.engines import open_store
from radar.settings import Settings
from tests.api.conftest import settings_for

OPERATIONS = [
    "GET /api/search",
    "GET /api/items/{item_id}",
    "GET /api/sources",
    "GET /api/sources/{source_id}",
    "PATCH /api/sources/{source_id}",
    "GET /api/stakeholders",
    "GET /api/stakeholders/{name}",
    "GET /api/exports/search.csv",
    "GET /api/exports/search.json",
    "GET /api/figures/weekly",
    "GET /api/figures/weekly.csv",
    "GET /api/figures/emerging",
    "GET /api/figures/emerging.csv",
    "GET /api/figures/coverage",
    "GET /api/figures/coverage.csv",
    "GET /feeds/search.atom",
    "GET /calendar.ics",
    "GET /api/briefing",
    "GET /api/subscriptions",
    "POST /api/subscriptions",
    "GET /api/subscriptions/{subscription_id}",
    "DELETE /api/subscriptions/{subscription_id}",
    "GET /api/me",
    "GET /api/users",
    "POST /api/users",
    "DELETE /api/users/{name}",
    "GET /api/settings",
    "GET /health",
]
EXAMPLES_PER_OPERATION = 50  # fitting the schema or not, at random; the file stays well under a minute


@pytest.fixture(scope="module")
def settings_for_fuzzing(example_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A copy of the example items (the fuzzer adds subscriptions), with no rate limit: the fuzzer
    sends far more than a person would, and a 429 would hide the routes."""
    directory = Path(shutil.copytree(example_data, tmp_path_factory.mktemp("fuzz") / "data"))
    return settings_for(directory, api_rate_limit="off")


@pytest.fixture(scope="module")
def api_schema(settings_for_fuzzing: Settings) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(settings_for_fuzzing))


def stay_single_user(settings_for_fuzzing: Settings, name: str) -> None:
    """Remove a user the fuzzer added: the first account would close every route to it."""
    store = open_store(settings_for_fuzzing)
    try:
        Accounts(store.engine).remove(name)  # type: ignore[attr-defined]
    finally:
        store.close()


def test_every_operation_of_the_schema_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    found = sorted(f"{result.ok().method.upper()} {result.ok().path}" for result in api_schema.get_all_operations())
    assert found == sorted(OPERATIONS)


def fuzz_operation(
    api_schema: schemathesis.BaseSchema,
    label: str,
    check: Callable[[schemathesis.Case, schemathesis.Response], None],
    *,
    headers: dict[str, str] | None = None,
    max_examples: int = EXAMPLES_PER_OPERATION,
) -> None:
    """Send one operation `max_examples` requests that schemathesis builds (fitting the schema or
    not, at random), each with `headers`, and run `check(case, response)` on each answer."""
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is not in the schema"
    cases = st.one_of(
        operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
        operation.as_strategy(schemathesis.GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,  # nothing written into the checkout
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the failure's curl line is enough, and quick
        suppress_health_check=list(HealthCheck),
    )
    def answers(case: schemathesis.Case) -> None:
        check(case, case.call(headers=headers))

    answers()


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_request_is_a_server_error(
    label: str, api_schema: schemathesis.BaseSchema, settings_for_fuzzing: Settings
) -> None:
    def answers_without_a_server_error(case: schemathesis.Case, response: schemathesis.Response) -> None:
        if label == "POST /api/users" and response.status_code == 201:
            stay_single_user(settings_for_fuzzing, response.json()["user"]["name"])
        case.validate_response(response, checks=[not_a_server_error])
        # Local mode lets everyone in as admin: a 401 or 403 would mean the route was never reached.
        assert response.status_code not in (401, 403), f"{label}: {response.status_code} {response.text[:300]}"

    fuzz_operation(api_schema, label, answers_without_a_server_error)
