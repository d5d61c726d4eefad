"""scripts/audit.py, `make lint`'s dependency audit, against a stand-in for pip-audit that answers
as the real one does: a known vulnerability fails the lint; a vulnerability service that cannot
be reached, or that knows none of the dependencies, is said ("could not audit: ...") and passes;
pip-audit failing for any other reason fails."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.radar.test_cli import ROOT

AUDIT = ROOT / "scripts" / "audit.py"


def pip_audit_answering(tmp_path: Path, *, report: dict[str, Any] | None, stderr: str = "", status: int = 0) -> Path:
    """A pip-audit that writes `report` where --output says (nothing if None), `stderr`, and exits `status`."""
    script = tmp_path / "pip-audit"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"report, stderr, status = {json.dumps(report)!r}, {stderr!r}, {status}\n"
        "arguments = sys.argv[1:]\n"
        "assert arguments[:4] == ['-r', 'requirements.lock', '--disable-pip', '--require-hashes'], arguments\n"
        "if json.loads(report) is not None:\n"
        "    open(arguments[arguments.index('--output') + 1], 'w').write(report)\n"
        "sys.stderr.write(stderr)\n"
        "sys.exit(status)\n"
    )
    script.chmod(0o755)
    return script


def audit(pip_audit: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(AUDIT), "--pip-audit", str(pip_audit)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)


CLEAN = {"name": "fastapi", "version": "0.115.0", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"]}],
}


def skipped(name: str) -> dict[str, str]:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} (1.0)"}


def test_a_known_vulnerability_fails_the_lint_and_is_named(tmp_path: Path) -> None:
    done = audit(pip_audit_answering(tmp_path, report={"dependencies": [CLEAN, VULNERABLE]}, status=1))
    assert done.returncode == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (CVE-2024-22195); fixed in 3.1.3" in done.stdout
    assert "1 of 2 locked dependencies have known vulnerabilities" in done.stdout


def test_no_known_vulnerability_passes(tmp_path: Path) -> None:
    done = audit(pip_audit_answering(tmp_path, report={"dependencies": [CLEAN, {**CLEAN, "name": "httpx"}]}))
    assert done.returncode == 0 and "No known vulnerabilities in 2 locked dependencies." in done.stdout


def test_a_service_that_knows_none_of_them_is_said_and_passes(tmp_path: Path) -> None:
    # What this machine's PyPI mirror does: 404 for the JSON API, so every dependency is skipped.
    done = audit(pip_audit_answering(tmp_path, report={"dependencies": [skipped("fastapi"), skipped("httpx")]}))
    assert done.returncode == 0
    assert done.stdout.startswith("could not audit: none of the 2 locked dependencies was found")
    assert "Dependency not found on PyPI" in done.stdout


def test_a_partial_audit_says_what_it_left_out(tmp_path: Path) -> None:
    done = audit(pip_audit_answering(tmp_path, report={"dependencies": [CLEAN, skipped("weasel")]}))
    assert done.returncode == 0
    assert "No known vulnerabilities in 1 locked dependencies." in done.stdout
    assert "could not audit 1: weasel" in done.stdout


@pytest.mark.parametrize(
    "error",
    [
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries "
        "exceeded with url: /v1/query (Caused by NameResolutionError(...))",
        "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='pypi.org', port=443): Read timed out.",
    ],
)
def test_an_unreachable_service_is_said_and_passes(tmp_path: Path, error: str) -> None:
    done = audit(
        pip_audit_answering(tmp_path, report=None, stderr=f"Traceback (most recent call last):\n{error}\n", status=1)
    )
    assert done.returncode == 0
    assert done.stdout.startswith("could not audit: the vulnerability service cannot be reached (requests.exceptions.")


def test_any_other_failure_of_pip_audit_fails(tmp_path: Path) -> None:
    error = "ERROR:pip_audit._cli:requirement requests==2.0.0 does not contain a hash\n"
    done = audit(pip_audit_answering(tmp_path, report=None, stderr=error, status=1))
    assert done.returncode == 1 and "does not contain a hash" in done.stderr
