#!/usr/bin/env bash
# The e2e stage of scripts/test: plankeeper as a systemd service in a booted
# Debian 12 (systemd-nspawn) with postfix, installed as docs/operations.md
# says, then started, edited, reloaded, killed, hung, starved and faulted;
# see Tests/e2e/e2e.py for what is checked and why.
#
#   Tests/e2e/run.sh            (as root, from the repository root)
#
# Builds the release binary in its own scratch path (.build-e2e) and, the
# first time, the container root (mmdebstrap, cached under
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
#   E2E_PARTS="container vm"        which of the two parts to run (default both)
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
start=$SECONDS
say() { echo "e2e: $* ($((SECONDS - start)) s)"; }
fail() { echo "e2e: FAIL: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root (it boots a container)"
only=()
if [[ ${1:-} == --only && -n ${2:-} ]]; then only=(--only "$2"); fi
parts=${E2E_PARTS:-container vm}

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

# ---------------------------------------------------------------- binary and root, at once
source Tests/e2e/lib/root.sh
( e2e_root "$repo/$scratch/container" >"$work/root.path" ) 2>"$work/root.log" &
root_job=$!

say "building the release binary (swift build -c release --static-swift-stdlib, scratch $scratch)"
swift build -c release --product plankeeper --static-swift-stdlib --scratch-path "$scratch" 2>&1 \
    | grep -vE '^\[[0-9]+/[0-9]+\]|^Building for|^Compiling|^Write|^Linking'
((PIPESTATUS[0] == 0)) || fail "the release build failed"
bin=$scratch/release/plankeeper
say "built $bin ($(du -h "$bin" | cut -f1))"

wait "$root_job"
root_status=$?
cat "$work/root.log" >&2
((root_status == 0)) || fail "could not build the container root"
root=$(cat "$work/root.path")
say "container root $root"

# What an admin copies to the server: the checkout's README, systemd/,
# plans/ and docs/, and the binary where the docs' install commands expect it.
stage=$scratch/stage
rm -rf "$stage"
mkdir -p "$stage/.build/release"
cp -r README.md systemd plans docs "$stage/"
ln "$bin" "$stage/.build/release/plankeeper" 2>/dev/null || cp "$bin" "$stage/.build/release/plankeeper"

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
exit $status
