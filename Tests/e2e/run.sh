#!/usr/bin/env bash
# The e2e stage of scripts/test: plankeeper's Debian package (scripts/package)
# installed in a booted Debian 12 (systemd-nspawn) with postfix as
# docs/operations.md says, upgraded from the previous commit's package, then
# started, edited, reloaded, killed, hung, starved, faulted, removed and
# purged; see Tests/e2e/README.md and e2e.py for what is checked and why.
#
#   Tests/e2e/run.sh            (as root, from the repository root)
#
# Builds the package (release build in its own scratch path, .build-e2e) and,
# the first time, the container root (mmdebstrap, cached under
# .build-e2e/container); both at once, since one waits on the network and the
# other on the CPU. Logs, the container's journal and the mailbox of the last
# run are kept in .build-e2e/run/.
#
# The faults that step the wall clock (a day ahead, an hour back) run in a
# qemu VM of their own (Tests/e2e/vm.py: Debian's kernel, the same root as
# the container, KVM when it works and TCG emulation otherwise), never on
# this machine: a container shares its host's clock. This script changes
# nothing on the host beyond the packages it installs (systemd-container,
# mmdebstrap, qemu-system-x86) and its scratch folder .build-e2e.
#
#   Tests/e2e/run.sh --only REGEX   only the matching scenarios (debugging)
#   E2E_PARTS="container vm upgrade"   which parts to run (default all three)
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
start=$SECONDS
say() { echo "e2e: $* ($((SECONDS - start)) s)"; }
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root (it boots a container)"
only=()
if [[ ${1:-} == --only && -n ${2:-} ]]; then only=(--only "$2"); fi
parts=${E2E_PARTS:-container vm upgrade}

scratch=.build-e2e
work=$scratch/run
mkdir -p "$scratch"
rm -rf "$work"
mkdir -p "$work"

# ---------------------------------------------------------------- host tools
missing=()
command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v nsenter >/dev/null || missing+=(util-linux)
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -1)" ]]; then
        apt-get update -qq
    fi
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]}"
fi
if ! command -v swift >/dev/null; then
    for dir in /opt/swift/usr/bin /opt/swift/bin; do
        [[ -x "$dir/swift" ]] && export PATH="$dir:$PATH"
    done
    command -v swift >/dev/null || fail "the Swift toolchain is not on PATH"
fi

# ---------------------------------------------------------------- package and root, at once
source Tests/e2e/lib/root.sh
( e2e_root "$repo/$scratch/container" >"$work/root.path" ) 2>"$work/root.log" &
root_job=$!

say "building the package (scripts/package, release build in scratch $scratch, lintian)"
deb=$(scripts/package --out "$scratch/deb" --scratch "$scratch" --fast) || fail "scripts/package failed"
say "built $deb ($(du -h "$deb" | cut -f1))"

# The previous commit's package, for the upgrade test: the commit before
# HEAD (or HEAD itself when the work tree has uncommitted changes), built
# from `git archive` by that commit's own scripts/package, once per commit
# (cached in $scratch/prev/COMMIT/), in the background while the container
# and the VM parts run (they mostly wait; the upgrade part runs last). A
# commit from before scripts/package existed has none: the upgrade test is
# then skipped, and says so.
if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then prev_rev=HEAD; else prev_rev=HEAD~1; fi
prev_job=""
prev_cache=""
if [[ " $parts " == *" upgrade "* ]] && prev=$(git rev-parse -q --verify "$prev_rev^{commit}" 2>/dev/null) \
    && git cat-file -e "$prev:scripts/package" 2>/dev/null && git cat-file -e "$prev:VERSION" 2>/dev/null; then
    prev_cache=$scratch/prev/$prev
    if ! ls "$prev_cache"/plankeeper_*_amd64.deb >/dev/null 2>&1; then
        say "building the previous commit's package (${prev:0:12}) in the background; cached in $prev_cache"
        read -r prev_version prev_commit < <(scripts/version --at "$prev")
        src=$scratch/prev-src
        rm -rf "$src" && mkdir -p "$src"
        git archive "$prev" | tar -x -C "$src"
        # Only the options every scripts/package since the first knows; paths
        # relative to its tree. One scratch folder for every previous build.
        fast=(); grep -q -- '--fast)' "$src/scripts/package" && fast=(--fast)
        (
            cd "$src" && PLANKEEPER_VERSION=$prev_version PLANKEEPER_COMMIT=$prev_commit nice -n 5 \
                scripts/package --out "../prev/$prev" --scratch ../prev-build --no-lint "${fast[@]}"
        ) >"$work/prev-package.log" 2>&1 &
        prev_job=$!
    fi
elif [[ " $parts " == *" upgrade "* ]]; then
    say "the previous commit has no scripts/package: no upgrade test this time"
fi

wait "$root_job"
root_status=$?
cat "$work/root.log" >&2
((root_status == 0)) || fail "could not build the container root"
root=$(cat "$work/root.path")
say "container root $root"

# What the admin has on the server: the package (and the previous one, for
# the upgrade test, in prev/). Bound read-only at /src in the container.
stage=$scratch/stage
rm -rf "$stage"
mkdir -p "$stage"
ln "$deb" "$stage/" 2>/dev/null || cp "$deb" "$stage/"

# ---------------------------------------------------------------- the test
status=0
if [[ " $parts " == *" container "* ]]; then
    say "booting systemd in a container"
    python3 Tests/e2e/e2e.py --root "$root" --stage "$repo/$stage" --work "$repo/$work" "${only[@]}" || status=1
    say "container done; evidence in $work/ (journal.txt, plankeeper.json, mailbox, console.log)"
fi
if [[ " $parts " == *" vm "* ]]; then
    say "booting the VM for the clock faults"
    python3 Tests/e2e/e2e.py --vm --root "$root" --stage "$repo/$stage" --work "$repo/$work" "${only[@]}" || status=1
    say "VM done; evidence in $work/vm/"
fi
if [[ -n $prev_cache ]]; then
    if [[ -n $prev_job ]]; then
        say "waiting for the previous commit's package"
        if wait "$prev_job"; then
            find "$scratch/prev" -mindepth 1 -maxdepth 1 ! -name "$(basename "$prev_cache")" -exec rm -rf {} +
        else
            tail -20 "$work/prev-package.log" >&2
            say "FAIL: the previous commit's package did not build ($work/prev-package.log)"
            status=1
        fi
        rm -rf "$scratch/prev-src"
    fi
    prev_deb=$(ls "$prev_cache"/plankeeper_*_amd64.deb 2>/dev/null | head -1)
    if [[ -n $prev_deb ]]; then
        mkdir -p "$stage/prev"
        ln "$prev_deb" "$stage/prev/" 2>/dev/null || cp "$prev_deb" "$stage/prev/"
        say "the upgrade from $(basename "$prev_deb"), in a container of its own"
        python3 Tests/e2e/e2e.py --upgrade --root "$root" --stage "$repo/$stage" --work "$repo/$work/upgrade" "${only[@]}" \
            || status=1
        say "upgrade done; evidence in $work/upgrade/"
    fi
fi
exit $status
