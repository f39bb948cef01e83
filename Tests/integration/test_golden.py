"""The outputs of the demo's tick and of the plan-reading commands stay byte
for byte what Tests/golden/ holds (scripts/spool-identical; `--update` after
an intended change)."""
import os
import subprocess

from conftest import ROOT, binary


def test_spool_and_outputs_match_the_golden_copies():
    env = dict(os.environ, PLANKEEPER_BIN=str(binary()))
    result = subprocess.run([str(ROOT / "scripts" / "spool-identical")], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
