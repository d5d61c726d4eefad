#!/usr/bin/env bash
# Fonts for the briefing PDFs (briefings/pdf.py), from Debian's packages: DejaVu Sans for Latin,
# Vietnamese and the rest, Noto Sans CJK for Chinese, Japanese and Korean, and Loma (a small TLWG
# font) for Thai. Installs whichever is missing; safe to run again. With them, tests/briefings/
# test_pdf.py checks that the CJK and Thai titles are in the PDF (without them, the PDF's note).
#
#   bash scripts/ci-fonts.sh
#
# Progress goes to standard error. Needs root (apt-get) when something is missing, as in CI.
set -euo pipefail

PACKAGES=(fonts-dejavu-core fonts-noto-cjk fonts-tlwg-loma-ttf)

say() { echo "ci-fonts: $*" >&2; }

missing=()
for package in "${PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    say "fonts already installed: ${PACKAGES[*]}"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    say "needs root (to install ${missing[*]})"
    exit 1
fi

say "installing ${missing[*]} from the Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
