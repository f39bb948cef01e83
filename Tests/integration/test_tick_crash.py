"""`tick` killed with SIGKILL at random moments, 200 times, then run to completion:
every expected notice is in the spool exactly once, byte for byte the same as an
uninterrupted run, and nothing is half-written."""
import email
import os
import shutil
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
    rng = random.Random(20261124)
    env = {**os.environ, "PLANKEEPER_LOG": "stderr"}
    kills = completions = 0

    def fresh():
        shutil.rmtree(crashed, ignore_errors=True)
        crashed.mkdir()
        return write_config(crashed, city)

    config = fresh()
    while kills < 200:
        p = subprocess.Popen([str(binary()), "tick", "--config", str(config), "--now", NOW],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # A random moment within a full tick's duration.
        time.sleep(rng.uniform(0, duration))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
            p.wait()
            continue
        # This run outlived its kill and finished the work left by the killed
        # ones: the spool must now be exactly the uninterrupted run's.
        assert p.wait() == 0
        check(spooled(crashed), expected)
        completions += 1
        config = fresh()

    r = run("tick", "--config", str(config), "--now", NOW)
    assert r.returncode == 0, r.stderr
    check(spooled(crashed), expected)

    # A further tick adds nothing.
    r = run("tick", "--config", str(config), "--now", NOW)
    assert r.returncode == 0
    assert sorted(spooled(crashed)) == sorted(expected)
    assert not list((crashed / "spool" / "new").glob(".*")), "no hidden leftovers in new/"


def check(got, expected):
    assert sorted(got) == sorted(expected), f"missing {sorted(set(expected) - set(got))[:5]}, extra {sorted(set(got) - set(expected))[:5]}"
    for name, data in expected.items():
        assert got[name] == data, f"{name} differs from the uninterrupted run"
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert msg["X-Plankeeper-Kind"] in {"reminder", "due", "overdue", "escalation", "backlog", "digest", "report", "combined"}
        assert msg.get_body(("plain",)).get_content().strip(), name
