"""Every operation of the API, fuzzed with schemathesis as each kind of caller of a public
tracker (one served beyond loopback, with accounts): with no token, every operation but /health
answers 401 with its error and nothing else, never a server error; with a viewer's token, none
is a server error and every change (POST, PATCH, DELETE) answers 403; with an admin's, none is a
server error and none is refused. One exception each: a body that is not JSON at all is a 400,
which FastAPI answers before any dependency (the login among them) runs; it says only that.

The machinery is tests/api/test_openapi_fuzz.py's (`fuzz_operation`, `OPERATIONS`), run here on
an app of its own with accounts."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

from api.app import create_app
from index.store.accounts import Accounts
from radar.engines import open_store
from tests.api.conftest import settings_for
from tests.api.test_openapi_fuzz import OPERATIONS, fuzz_operation

EXAMPLES = 20  # per operation and caller: 3 callers x 28 operations stay within half a minute
OPEN = {"GET /health"}  # what a public tracker answers without a login
CHANGES = ("POST", "PATCH", "DELETE")
# Names the fuzzer will not come up with: DELETE /api/users/{name} must not remove the callers.
VIEWER, ADMIN = "fuzz-viewer-q7w3", "fuzz-admin-k2x9"
Check = Callable[[schemathesis.Case, schemathesis.Response], None]


class PublicTracker:
    """An app as `radar serve` on a public address runs it, over a copy of the example items
    with a viewer and an admin, and its OpenAPI schema for schemathesis."""

    def __init__(self, example_data: Path, directory: Path) -> None:
        data_dir = Path(shutil.copytree(example_data, directory / "data"))
        # No rate limit: the fuzzer sends far more than a person would, and a 429 would hide the routes.
        settings = settings_for(data_dir, api_rate_limit="off")
        store = open_store(settings)
        try:
            accounts = Accounts(store.engine)  # type: ignore[attr-defined]
            now = dt.datetime.now(dt.UTC)
            self.tokens = {
                "viewer": accounts.add(VIEWER, "viewer", now)[1],
                "admin": accounts.add(ADMIN, "admin", now)[1],
            }
        finally:
            store.close()
        self.schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(settings, public=True))

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture(scope="module")
def tracker(example_data: Path, tmp_path_factory: pytest.TempPathFactory) -> PublicTracker:
    return PublicTracker(example_data, tmp_path_factory.mktemp("public"))


def reached(case: schemathesis.Case) -> bool:
    """Whether the request names the operation's route. A path parameter (percent-encoded by
    schemathesis) that is empty, a dot segment, or holds a slash makes the path another one; one
    holding a newline ("a%0Ab") matches none of FastAPI's included routers, whose prefix pattern's
    "." stops at one. Either is the router's 404 or 405, for anyone."""
    values = [unquote(str(value)) for value in (case.path_parameters or {}).values()]
    return all(value not in ("", ".", "..") and "/" not in value and "\n" not in value for value in values)


def unreadable_body(response: schemathesis.Response) -> bool:
    """A 400 for a body that is not JSON at all: FastAPI reads the body before any dependency
    runs, so this answer (which says nothing but that) comes before the login is checked."""
    said = response.json().get("error", "") if response.status_code == 400 else ""
    return "error parsing the body" in said or "JSON decode error" in said


def refused(response: schemathesis.Response, status: int) -> None:
    """The answer is `status` (or an unreadable body's 400) and holds nothing but its error."""
    assert response.status_code == status or unreadable_body(response), f"{response.status_code} {response.text[:300]}"
    assert list(response.json()) == ["error"], response.text[:300]


def anonymous(label: str) -> Check:
    def check(case: schemathesis.Case, response: schemathesis.Response) -> None:
        case.validate_response(response, checks=[not_a_server_error])
        if label in OPEN:
            return
        refused(response, 401 if reached(case) else response.status_code)

    return check


def viewer(label: str) -> Check:
    def check(case: schemathesis.Case, response: schemathesis.Response) -> None:
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code != 401, response.text[:300]
        if label.startswith(CHANGES) and reached(case):
            refused(response, 403)

    return check


def admin(label: str) -> Check:
    def check(case: schemathesis.Case, response: schemathesis.Response) -> None:
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code not in (401, 403), f"{response.status_code} {response.text[:300]}"

    return check


@pytest.mark.parametrize("label", OPERATIONS)
def test_without_a_token_nothing_but_health_answers(label: str, tracker: PublicTracker) -> None:
    fuzz_operation(tracker.schema, label, anonymous(label), max_examples=EXAMPLES)


@pytest.mark.parametrize("label", OPERATIONS)
def test_a_viewer_changes_nothing_and_breaks_nothing(label: str, tracker: PublicTracker) -> None:
    fuzz_operation(tracker.schema, label, viewer(label), headers=tracker.headers("viewer"), max_examples=EXAMPLES)


@pytest.mark.parametrize("label", OPERATIONS)
def test_an_admin_breaks_nothing(label: str, tracker: PublicTracker) -> None:
    fuzz_operation(tracker.schema, label, admin(label), headers=tracker.headers("admin"), max_examples=EXAMPLES)
