#!/usr/bin/env bash
# Runs the JournalIntegration tests against a real systemd-journald, and
# checks that systemd/plankeeper.catalog is accepted by journalctl.
#
#   scripts/journald-test.sh [SCRATCH_PATH]      (as root, default .build)
#
# The tests must be built already, in SCRATCH_PATH:
#   swift build --build-tests --scratch-path SCRATCH_PATH
#
# Nothing touches the host's journal: the script re-runs itself in a private
# mount namespace (unshare), puts tmpfs over /run, /var/log/journal and
# /var/lib/systemd/catalog, and starts its own journald there. When the
# script exits, journald is stopped (trap) and the namespace, with every
# mount, disappears. Exit status: 0 only when every check passed.
set -euo pipefail

self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$self")/.."
scratch="${1:-.build}"
journald=/lib/systemd/systemd-journald

say() { echo "journald-test: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }

# ---------------------------------------------------------------- on the host
if [[ -z "${PLANKEEPER_JOURNALD_NAMESPACE:-}" ]]; then
    [[ $(id -u) -eq 0 ]] || fail "run as root (needs mount namespaces and tmpfs mounts)"

    if [[ ! -x $journald ]] || ! command -v journalctl >/dev/null; then
        say "installing systemd (for systemd-journald and journalctl)"
        export DEBIAN_FRONTEND=noninteractive
        if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
            apt-get update -qq
        fi
        apt-get install -y -qq --no-install-recommends systemd >/dev/null
        [[ -x $journald ]] || fail "$journald still missing after installing systemd"
    fi
    command -v unshare >/dev/null || fail "unshare (util-linux) is missing"

    if ! command -v swift >/dev/null; then
        for dir in /opt/swift/usr/bin /opt/swift/bin; do
            [[ -x "$dir/swift" ]] && export PATH="$dir:$PATH"
        done
        command -v swift >/dev/null || fail "the Swift toolchain is not on PATH"
    fi
    compgen -G "$scratch/debug/*PackageTests.xctest" >/dev/null \
        || fail "no built tests in $scratch; first run: swift build --build-tests --scratch-path $scratch"

    PLANKEEPER_JOURNALD_NAMESPACE=1 exec unshare --mount --propagation private -- "$self" "$scratch"
fi

# ---------------------------------------------------------------- in the namespace
mount -t tmpfs -o mode=0755 tmpfs /run
[[ -d /var/log/journal ]] && mount -t tmpfs -o mode=2755 tmpfs /var/log/journal
mkdir -p /run/systemd/journal
work=/run/plankeeper-journald-test
mkdir -p "$work"

journald_pid=""
cleanup() {
    local status=$?
    if [[ -n $journald_pid ]] && kill -0 "$journald_pid" 2>/dev/null; then
        kill -TERM "$journald_pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$journald_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$journald_pid" 2>/dev/null || true
        wait "$journald_pid" 2>/dev/null || true
    fi
    if [[ $status -ne 0 && -s $work/journald.log ]]; then
        say "journald's own output:"
        sed 's/^/    /' "$work/journald.log" >&2
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The ids the code defines, from the single place they are written.
mapfile -t ids < <(grep -oE 'static let [A-Za-z]+ = "[0-9a-f]{32}"' Sources/Journal/MessageID.swift | grep -oE '[0-9a-f]{32}')
((${#ids[@]} > 0)) || fail "no message ids found in Sources/Journal/MessageID.swift"

# ---- 1. The catalog, as journalctl --update-catalog reads it.
say "checking systemd/plankeeper.catalog with journalctl --update-catalog"
root="$work/catalog-root"
mkdir -p "$root/usr/lib/systemd/catalog"
cp systemd/plankeeper.catalog "$root/usr/lib/systemd/catalog/"
if ! journalctl --root="$root" --update-catalog 2>"$work/catalog.err" || [[ -s $work/catalog.err ]]; then
    cat "$work/catalog.err" >&2
    fail "journalctl rejected systemd/plankeeper.catalog"
fi
listed=$(journalctl --root="$root" --list-catalog)
for id in "${ids[@]}"; do
    grep -q "^$id plankeeper: " <<<"$listed" || fail "catalog has no entry for MESSAGE_ID $id"
    LC_ALL=C.UTF-8 journalctl --root="$root" --dump-catalog "$id" | grep -q '^Subject: .' \
        || fail "the English catalog entry for $id has no Subject"
done
say "catalog: ${#ids[@]} ids listed"

# zh_CN entries: a zh_CN locale is needed for journalctl to pick them; build
# one in the namespace from glibc's locale sources when it is not installed.
locpath=""
if locale -a 2>/dev/null | grep -qiE '^zh_CN\.utf-?8$'; then
    locpath=/usr/lib/locale
elif [[ -e /usr/share/i18n/locales/zh_CN ]] && command -v localedef >/dev/null \
    && mkdir -p "$work/locale" && localedef --no-archive -i zh_CN -f UTF-8 "$work/locale/zh_CN.UTF-8" 2>/dev/null; then
    locpath="$work/locale"
fi
if [[ -n $locpath ]]; then
    for id in "${ids[@]}"; do
        english=$(LC_ALL=C.UTF-8 journalctl --root="$root" --dump-catalog "$id" | grep -m1 '^Subject:' || true)
        chinese=$(LOCPATH=$locpath LC_ALL=zh_CN.UTF-8 journalctl --root="$root" --dump-catalog "$id" \
            | grep -m1 '^Subject:' || true)
        [[ -n $chinese && $chinese != "$english" ]] || fail "no zh_CN catalog entry for $id (got: ${chinese:-no Subject})"
    done
    say "catalog: zh_CN entries found for all ${#ids[@]} ids"
else
    say "note: no zh_CN locale and no way to build one: zh_CN catalog entries not checked here"
fi

# Make the database the one journalctl -x uses, inside the namespace only.
catalog_env=()
if [[ -d /var/lib/systemd/catalog ]]; then
    mount -t tmpfs tmpfs /var/lib/systemd/catalog
    cp "$root/var/lib/systemd/catalog/database" /var/lib/systemd/catalog/database
    catalog_env=(PLANKEEPER_JOURNAL_CATALOG=1)
    [[ -n $locpath ]] && catalog_env+=(PLANKEEPER_JOURNAL_LOCPATH="$locpath")
else
    say "note: /var/lib/systemd/catalog is missing: journalctl -x not checked"
fi

# ---- 2. A journald of our own.
say "starting $journald"
env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID "$journald" >"$work/journald.log" 2>&1 &
journald_pid=$!
for _ in $(seq 100); do
    [[ -S /run/systemd/journal/socket ]] && break
    kill -0 "$journald_pid" 2>/dev/null || fail "systemd-journald exited at start-up"
    sleep 0.05
done
[[ -S /run/systemd/journal/socket ]] || fail "no /run/systemd/journal/socket after 5 s"

# ---- 3. The Swift integration tests.
say "running swift test --filter JournalIntegration"
set +e
env -u JOURNAL_STREAM -u PLANKEEPER_LOG -u WATCHDOG_PID \
    PLANKEEPER_JOURNAL_TEST=1 \
    NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=4000000 \
    "${catalog_env[@]}" \
    swift test --skip-build --scratch-path "$scratch" --filter JournalIntegration >"$work/test.log" 2>&1
status=$?
set -e
grep -vE ' started\.$|^\[[0-9]+/[0-9]+\]' "$work/test.log" >&2 || true

((status == 0)) || fail "swift test exited $status"
# A filter that matched nothing, or a suite that skipped, also exits 0.
grep -qE 'Test run with [1-9][0-9]* tests? .*passed' "$work/test.log" || fail "no integration test ran"
! grep -qE '\bskipped\b' "$work/test.log" || fail "integration tests were skipped"
say "PASS"
