#!/usr/bin/env bash
# The channels stage of scripts/test: 企业微信 and 钉钉 against local stand-ins
# (Tests/channels/standins.py, loopback only, port 0).
#
#   1. the stand-ins themselves: every contract rule answered with the
#      service's own code (test_standins.py);
#   2. tick + deliver with the built binary (PLANKEEPER_BIN): each group and
#      person gets what the plan says, once; a service down for an hour
#      (refusing, or answering 502) loses nothing and repeats nothing while
#      the other channels go on; SIGKILL during delivery repeats nothing; a
#      secret in the YAML is refused; secrets from $CREDENTIALS_DIRECTORY;
#      a bad signature is given up naming the config line; 2,066 branches'
#      robots at 08:30 are all served within the limits (test_channels.py).
#
# Needs python3 with pytest (scripts/setup --test installs it); no root, no network.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1
export PLANKEEPER_BIN=${PLANKEEPER_BIN:-$PWD/.build/debug/plankeeper}
[[ -x $PLANKEEPER_BIN ]] || { echo "channels: no plankeeper binary at $PLANKEEPER_BIN (build first)" >&2; exit 1; }
python3 -m pytest -q -p no:cacheprovider Tests/channels "$@"
