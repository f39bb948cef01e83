#!/usr/bin/env bash
# Benchmark of the core commands on a large synthetic city (a script, not a timed test).
#
#   scripts/bench-core.sh            # release build, 2,066 branches, writes docs/benchmarks.md
#   scripts/bench-core.sh --quick    # 144 branches (CI smoke); writes .build-bench/benchmarks-quick.md
#   scripts/bench-core.sh --no-build # use the release binary already built
#
# Builds `plankeeper` in release mode, generates the city with
# Benchmarks/generate_city.py into .build-bench/ (git-ignored) unless it is
# there already, then runs `check` and `schedule --format json` 5 times each
# under /usr/bin/time and reports the median wall time and the peak RSS.
# Target: both under 2 s on the 2-core reference machine.
# Exit status: 0 when the benchmark ran (met or not), non-zero when it could not
# run or the generated plans did not pass `check`.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }

quick=0
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench-core.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

cd "$(dirname "$0")/.."
root=$(pwd)

runs=5
year=2026
target=2.0
if [ "$quick" = 1 ]; then
  branches=144
  city=.build-bench/city-quick
  report=.build-bench/benchmarks-quick.md
else
  branches=2066
  city=.build-bench/city
  report=docs/benchmarks.md
fi

# GNU time (the bash keyword cannot report peak memory).
if [ ! -x /usr/bin/time ]; then
  echo "bench-core.sh: installing GNU time" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq time >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
  fi
fi

if [ "$build" = 1 ]; then
  swift build -c release --product plankeeper >&2
fi
bin=$(swift build -c release --show-bin-path)/plankeeper
if [ ! -x "$bin" ]; then
  echo "bench-core.sh: no release binary at $bin (run without --no-build)" >&2
  exit 1
fi

# The city: regenerated only when missing or made by another generator/arguments.
mkdir -p .build-bench
stamp="$city.stamp"
want_stamp="branches=$branches year=$year generator=$(sha256sum Benchmarks/generate_city.py | cut -c1-16)"
if [ ! -d "$city" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
  rm -f "$stamp"
  python3 Benchmarks/generate_city.py --branches "$branches" --year "$year" --out "$city"
  echo "$want_stamp" >"$stamp"
fi
plans=$(find "$city" -maxdepth 1 -name '*.yaml' | wc -l)
items=$(grep -h -c '^  - id:' "$city"/*.yaml | awk '{s += $1} END {print s}')

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The plans must be valid, else the timings measure error reporting.
if ! "$bin" check "$city" >/dev/null 2>"$tmp/check.err"; then
  echo "bench-core.sh: plankeeper check reports errors on the generated city:" >&2
  head -20 "$tmp/check.err" >&2
  exit 1
fi
warnings=$(grep -c ': warning: ' "$tmp/check.err" || true)

# One untimed run to count the occurrences (also warms the file cache).
"$bin" schedule --format json "$city" >"$tmp/schedule.json"
occurrences=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/schedule.json")
rm -f "$tmp/schedule.json"

# bench NAME ARGS...: run 5 times; sets med_s, min_s, max_s, peak_mb.
bench() {
  local name=$1
  shift
  local i
  : >"$tmp/$name.times"
  for i in $(seq "$runs"); do
    if ! /usr/bin/time -f '%e %M' -o "$tmp/$name.one" "$bin" "$@" "$city" >/dev/null 2>"$tmp/$name.err"; then
      echo "bench-core.sh: plankeeper $* failed:" >&2
      head -20 "$tmp/$name.err" >&2
      exit 1
    fi
    tail -n 1 "$tmp/$name.one" >>"$tmp/$name.times"
  done
  read -r med_s min_s max_s peak_mb < <(python3 - "$tmp/$name.times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
secs = [float(r[0]) for r in rows]
kb = [int(r[1]) for r in rows]
print(f"{statistics.median(secs):.2f} {min(secs):.2f} {max(secs):.2f} {max(kb) / 1024:.1f}")
PY
  )
}

bench check check
check_s=$med_s check_min=$min_s check_max=$max_s check_mb=$peak_mb
bench schedule schedule --format json
sched_s=$med_s sched_min=$min_s sched_max=$max_s sched_mb=$peak_mb

verdict() { python3 -c 'import sys; print("met" if float(sys.argv[1]) < float(sys.argv[2]) else "NOT met")' "$1" "$target"; }
check_ok=$(verdict "$check_s")
sched_ok=$(verdict "$sched_s")

cores=$(nproc)
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
[ -n "$cpu" ] || cpu=$(uname -m)
mem=$(awk '/^MemTotal:/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
if commit=$(git rev-parse --short HEAD 2>/dev/null); then
  [ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit, with uncommitted changes"
else
  commit='none (no commit yet)'
fi
swiftv=$(swift --version 2>/dev/null | head -1 | sed 's/^ *//')

section=$(cat <<EOF
## Core: check and schedule on a large city (${branches/2066/2,066} branches)

Generated by \`scripts/bench-core.sh$([ "$quick" = 1 ] && echo ' --quick')\`; do not edit by hand.
The city is synthetic (\`Benchmarks/generate_city.py --branches $branches --year $year\`, fixed seed):
$plans plans, $items items, $occurrences occurrences for $year.
Release build, $runs runs of each command on the whole folder, output to \`/dev/null\`;
wall time and peak resident memory from GNU \`/usr/bin/time -f '%e %M'\`.

| command | median wall (s) | min–max (s) | peak RSS (MB) | target < ${target} s |
|---|---:|---:|---:|---|
| \`plankeeper check\` | $check_s | $check_min–$check_max | $check_mb | $check_ok |
| \`plankeeper schedule --format json\` | $sched_s | $sched_min–$sched_max | $sched_mb | $sched_ok |

Target: each command under 2 s on the 2-core reference machine in a release build:
$(if [ "$check_ok" = met ] && [ "$sched_ok" = met ]; then echo "**met** for both."; else echo "**not met** (check: $check_ok, schedule: $sched_ok)."; fi)
\`check\` reported $warnings warnings and no errors.

- Machine: $cores cores, $cpu, $mem RAM
- Toolchain: $swiftv
- Date: $when
- Commit: $commit
EOF
)

printf '%s\n' "$section"

# Write the section into the report, replacing an older copy of the same section
# and keeping any other sections of the file.
mkdir -p "$(dirname "$report")"
SECTION="$section" python3 - "$report" <<'PY'
import os, re, sys
path = sys.argv[1]
section = os.environ["SECTION"].rstrip("\n") + "\n"
heading = section.splitlines()[0]
try:
    text = open(path, encoding="utf-8").read()
except FileNotFoundError:
    text = "# Benchmarks\n\nFigures from the scripts under `scripts/bench-*.sh`; rerun them to refresh.\n"
start = text.find(heading)
if start < 0:
    text = text.rstrip("\n") + "\n\n" + section
else:
    m = re.search(r"^## ", text[start + len(heading):], re.M)
    end = start + len(heading) + m.start() if m else len(text)
    rest = text[end:]
    text = text[:start] + section + ("\n" + rest if rest else "")
with open(path, "w", encoding="utf-8") as f:
    f.write(text)
PY
echo "bench-core.sh: wrote $report" >&2
