"""Known vulnerabilities in the locked dependencies, for `make lint`: pip-audit over
requirements.lock as it is pinned and hashed (no resolution, nothing installed).

Exits 1 when a locked dependency has a known vulnerability (each is listed) or when pip-audit
itself fails (an unhashed line in the lock, say). When the vulnerability service cannot be
reached, or answers for none of the dependencies (a mirror in front of PyPI answers 404 for its
JSON API), nothing was audited: it prints "could not audit: <reason>" and exits 0, so that lint
still passes offline and says so.

    python scripts/audit.py [--pip-audit PATH] [REQUIREMENTS]    (defaults: the venv's, requirements.lock)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# What pip-audit's failures to reach its service end with (requests' and its own exceptions).
UNREACHABLE = ("ConnectionError", "Timeout", "NameResolutionError", "Max retries exceeded", "ServiceError", "SSLError")


def main(requirements: str, pip_audit: str) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "audit.json"
        command = [pip_audit, "-r", requirements, "--disable-pip", "--require-hashes", "--progress-spinner", "off"]
        done = subprocess.run([*command, "--format", "json", "--output", str(report)], capture_output=True, text=True)
        found = json.loads(report.read_text()) if report.exists() and report.stat().st_size else None
    if found is not None:
        return verdict(found["dependencies"])
    said = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    reason = said[-1] if said else f"pip-audit exited {done.returncode} and said nothing"
    if done.returncode != 0 and any(marker in reason for marker in UNREACHABLE):
        print(f"could not audit: the vulnerability service cannot be reached ({reason[:300]})")
        return 0
    print(done.stderr.strip() or reason, file=sys.stderr)
    return done.returncode or 1


def verdict(dependencies: list[dict[str, Any]]) -> int:
    """Print what the audit found; 1 if any dependency has a known vulnerability."""
    vulnerable = [each for each in dependencies if each.get("vulns")]
    skipped = [each for each in dependencies if each.get("skip_reason")]
    for each in vulnerable:
        for vuln in each["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            aliases = f" ({', '.join(vuln['aliases'])})" if vuln.get("aliases") else ""
            print(f"{each['name']} {each['version']}: {vuln['id']}{aliases}; fixed in {fixed}")
    if vulnerable:
        print(f"{len(vulnerable)} of {len(dependencies)} locked dependencies have known vulnerabilities.")
        return 1
    if dependencies and len(skipped) == len(dependencies):
        print(
            f"could not audit: none of the {len(dependencies)} locked dependencies was found on the vulnerability "
            f"service (it said: {skipped[0]['skip_reason']})"
        )
        return 0
    audited = len(dependencies) - len(skipped)
    print(f"No known vulnerabilities in {audited} locked dependencies.")
    if skipped:
        print(f"could not audit {len(skipped)}: {', '.join(each['name'] for each in skipped)}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="?", default="requirements.lock")
    parser.add_argument("--pip-audit", default=str(Path(sys.executable).with_name("pip-audit")))
    arguments = parser.parse_args()
    sys.exit(main(arguments.requirements, arguments.pip_audit))
