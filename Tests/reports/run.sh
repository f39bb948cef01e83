#!/usr/bin/env bash
# Reports stage: checks `ics`, `report` (CSV, JSON, HTML) and the scheduled
# report mail with independent parsers (PyPI icalendar, Python's csv and
# email packages), and renders the HTML report in a real headless Chromium.
#
#   bash Tests/reports/run.sh [extra pytest args]
#   REPORT_SAMPLE=docs/report-sample.png bash Tests/reports/run.sh   # also refresh the committed screenshot
#
# Binary: $PLANKEEPER_BIN (default .build/debug/plankeeper). Installs what is
# missing the way scripts/setup does: Debian's chromium and a CJK font (so the
# screenshot shows Chinese, not boxes), and PyPI's icalendar and pytest.
set -u
cd "$(dirname "$0")/../.." || exit 2

want_debs=(chromium fonts-noto-cjk)
missing=()
for pkg in "${want_debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "reports: installing Debian packages: ${missing[*]}" >&2
    SUDO=""
    if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
        $SUDO apt-get update -qq || true
    fi
    # A machine without chromium still runs every other check; the
    # screenshot test then says why it was skipped.
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || echo "reports: could not install ${missing[*]}; the browser check will be skipped" >&2
fi

py_missing=()
python3 -c 'import icalendar' 2>/dev/null || py_missing+=(icalendar)
python3 -c 'import pytest' 2>/dev/null || py_missing+=(pytest)
if ((${#py_missing[@]})); then
    echo "reports: installing Python packages: ${py_missing[*]}" >&2
    python3 -m pip install -q "${py_missing[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${py_missing[@]}" || exit 1
fi

export PYTHONDONTWRITEBYTECODE=1
python3 -m pytest -q -p no:cacheprovider Tests/reports "$@"
