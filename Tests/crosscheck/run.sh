#!/usr/bin/env bash
# Cross-check plankeeper against the independent Python reference.
# Usage (from anywhere): bash Tests/crosscheck/run.sh [extra pytest args]
# Binary: $PLANKEEPER_BIN (default .build/debug/plankeeper, relative to the repo root).
set -u
cd "$(dirname "$0")/../.." || exit 2

if ! python3 -c 'import chinese_calendar, lunar_python, pytest, yaml' 2>/dev/null; then
    python3 -m pip install -q chinese-calendar lunar-python pytest pyyaml || exit $?
fi
# chinese-calendar must know 2026 (added in 1.11.0)
if ! python3 -c 'import chinese_calendar, datetime; chinese_calendar.is_workday(datetime.date(2026, 12, 31))' 2>/dev/null; then
    python3 -m pip install -q --upgrade chinese-calendar || exit $?
fi

export PYTHONDONTWRITEBYTECODE=1
python3 -m pytest -q -p no:cacheprovider Tests/crosscheck "$@"
exit $?
