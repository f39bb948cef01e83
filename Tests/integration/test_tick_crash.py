"""`tick` killed with SIGKILL at random moments, 200 times, then run to completion:
every expected notice is in the spool exactly once, byte for byte the same as an
uninterrupted run, and nothing is half-written."""
import email
import email.policy
import random
import signal
import subprocess
import time

from conftest import binary, run, spooled, write_config

NOW = "2026-03-24T09:00"


def test_tick_survives_200_kills(tmp_path, city):
    reference = tmp_path / "reference"
    reference.mkdir()
    config = write_config(reference, city)
    started = time.monotonic()
    r = run("tick", "--config", str(config), "--now", NOW)
    duration = time.monotonic() - started
    assert r.returncode == 0, r.stderr
    expected = spooled(reference)
    assert len(expected) > 100, f"the scenario should produce many notices, got {len(expected)}"

    crashed = tmp_path / "crashed"
    crashed.mkdir()
    config = write_config(crashed, city)
    rng = random.Random(20261124)
    env = {"PLANKEEPER_LOG": "stderr"}
    kills = 0
    for _ in range(200):
        p = subprocess.Popen([str(binary()), "tick", "--config", str(config), "--now", NOW],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**__import__("os").environ, **env})
        # A random moment within a full tick's duration (a kill after the end is harmless).
        time.sleep(rng.uniform(0, duration * 1.1))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
        p.wait()
    assert kills >= 100, f"only {kills} runs were killed mid-way; the scenario is too fast to test anything"

    r = run("tick", "--config", str(config), "--now", NOW)
    assert r.returncode == 0, r.stderr
    got = spooled(crashed)
    assert sorted(got) == sorted(expected)
    for name, data in expected.items():
        assert got[name] == data, f"{name} differs from the uninterrupted run"
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert msg["X-Plankeeper-Kind"] in {"reminder", "due", "overdue", "escalation", "backlog"}
        assert msg.get_content().strip(), name

    # A further tick adds nothing.
    r = run("tick", "--config", str(config), "--now", NOW)
    assert r.returncode == 0
    assert sorted(spooled(crashed)) == sorted(expected)
