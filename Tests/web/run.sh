#!/usr/bin/env bash
# Web stage: the web desk in a real browser. Starts `plankeeper serve` on
# loopback with a scratch configuration over the sample plans, and drives
# Debian's Chromium through chromium-driver with Selenium (PyPI): sign in
# through the link read from the spool, 我的待办, record an item with a photo,
# see it on 台账 and on the office's 督导 board, undo it; then the same on a
# 390×844 phone window with no horizontal scrolling; and the page through
# nginx with TLS, configured by systemd/nginx-plankeeper.conf (nginx started
# by the test on high ports, not the system's). Screenshots go to $WEB_OUT
# (default .build/web-screenshots).
#
#   bash Tests/web/run.sh [extra pytest args]
#
# Binary: $PLANKEEPER_BIN (default .build/debug/plankeeper). Installs what is
# missing the way scripts/setup does.
set -u
cd "$(dirname "$0")/../.." || exit 2

want_debs=(chromium chromium-driver fonts-noto-cjk nginx openssl)
missing=()
for pkg in "${want_debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "web: installing Debian packages: ${missing[*]}" >&2
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
        $SUDO apt-get update -qq || true
    fi
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || exit 1
    # Installing nginx may start the system's nginx on port 80 (no systemd
    # here to keep it disabled): the test runs its own; stop that one again.
    if [[ " ${missing[*]} " == *" nginx "* && -s /run/nginx.pid ]]; then
        $SUDO nginx -s quit 2>/dev/null || true
    fi
fi

py_missing=()
python3 -c 'import selenium' 2>/dev/null || py_missing+=(selenium)
python3 -c 'import pytest' 2>/dev/null || py_missing+=(pytest)
if ((${#py_missing[@]})); then
    echo "web: installing Python packages: ${py_missing[*]}" >&2
    python3 -m pip install -q "${py_missing[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${py_missing[@]}" || exit 1
fi

export PYTHONDONTWRITEBYTECODE=1
export WEB_OUT="${WEB_OUT:-$PWD/.build/web-screenshots}"
mkdir -p "$WEB_OUT"
python3 -m pytest -q -p no:cacheprovider Tests/web "$@"
status=$?
echo "web: screenshots in $WEB_OUT"
exit $status
