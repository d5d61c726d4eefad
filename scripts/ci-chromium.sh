#!/usr/bin/env bash
# A Chromium for the browser test (tests/api/test_browser.py), from Debian's packages: installs
# it if missing and prints the line that points the test at it. Playwright drives it; nothing is
# downloaded besides the package.
#
#   eval "$(scripts/ci-chromium.sh)"   # then: .venv/bin/python -m pytest tests/api/test_browser.py
#
# Progress goes to standard error; standard output is only the export line. Needs root (apt-get),
# as in CI.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

say() { echo "ci-chromium: $*" >&2; }

if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        say "needs root (to install chromium)"
        exit 1
    fi
    say "installing Chromium from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
fi

# The Debian wrapper warns on some machines; only whether it runs matters here.
"$CHROMIUM" --version >&2 2>/dev/null || { say "$CHROMIUM is there but does not run"; exit 1; }

echo "export RADAR_CHROMIUM=$CHROMIUM"
