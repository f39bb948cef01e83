"""`tick` killed with SIGKILL at random moments, 200 times, then run to completion:
every expected notice is in the spool exactly once, byte for byte the same as an
uninterrupted run, and nothing is half-written. The same holds for the channels'
outbox (企业微信, 钉钉; a group robot for every plan and the 企业微信 app to each
person of a people directory): every entry once, byte for byte the same."""
import email
import os
import re
import shutil
import email.policy
import random
import signal
import sqlite3
import subprocess
import time

from conftest import binary, run, spooled, write_config

NOW = "2026-03-24T09:00"


def with_channels(folder, plans):
    """Adds channels (never delivered here: the outbox is what is checked) and
    a people directory of every contact in the plans to a site's config."""
    addresses = sorted({m for f in plans.glob("*.yaml") for m in re.findall(r"<([^<>@\s]+@[^<>\s]+)>", f.read_text(encoding="utf-8"))})
    people = ["people:"] + [f"  - id: p{i}\n    name: 成员{i}\n    email: {a}\n    wecom: user{i}" for i, a in enumerate(addresses)]
    (folder / "people.yaml").write_text("\n".join(people) + "\n", encoding="utf-8")
    (folder / "robot.token").write_text("t\n")
    (folder / "app.secret").write_text("s\n")
    config = folder / "plankeeper.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"""people: {folder / 'people.yaml'}
channels:
  - name: 全市党建群
    kind: dingtalk-robot
    url: http://127.0.0.1:9/robot/send
    token-file: {folder / 'robot.token'}
    kinds: [reminder, due, overdue, escalation, digest]
  - name: 企业微信应用
    kind: wecom-app
    url: http://127.0.0.1:9/cgi-bin
    corp-id: ww01
    agent-id: 1000002
    secret-file: {folder / 'app.secret'}
""", encoding="utf-8")
    return config


def outbox(folder):
    db = folder / "state" / "plankeeper.sqlite"
    if not db.exists():
        return {}
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return {row[0]: (row[1], row[2], bytes(row[3])) for row in c.execute("select id, channel, recipient, body from outbox").fetchall()} \
            if c.execute("select count(*) from sqlite_master where name = 'outbox'").fetchone()[0] else {}
    finally:
        c.close()


def test_tick_survives_200_kills(tmp_path, city):
    reference = tmp_path / "reference"
    reference.mkdir()
    write_config(reference, city)
    config = with_channels(reference, city)
    started = time.monotonic()
    r = run("tick", "--config", str(config), "--now", NOW)
    duration = time.monotonic() - started
    assert r.returncode == 0, r.stderr
    expected = spooled(reference)
    assert len(expected) > 100, f"the scenario should produce many notices, got {len(expected)}"
    expected_outbox = outbox(reference)
    kinds = {channel for channel, _, _ in expected_outbox.values()}
    assert kinds == {"全市党建群", "企业微信应用"} and len(expected_outbox) > 100, f"outbox: {len(expected_outbox)} entries, {kinds}"

    crashed = tmp_path / "crashed"
    rng = random.Random(20261124)
    env = {**os.environ, "PLANKEEPER_LOG": "stderr"}
    kills = completions = 0

    def fresh():
        shutil.rmtree(crashed, ignore_errors=True)
        crashed.mkdir()
        write_config(crashed, city)
        return with_channels(crashed, city)

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
        assert outbox(crashed) == expected_outbox, "the outbox differs from the uninterrupted run's"
        completions += 1
        config = fresh()

    r = run("tick", "--config", str(config), "--now", NOW)
    assert r.returncode == 0, r.stderr
    check(spooled(crashed), expected)
    assert outbox(crashed) == expected_outbox, "the outbox differs from the uninterrupted run's"

    # A further tick adds nothing.
    r = run("tick", "--config", str(config), "--now", NOW)
    assert r.returncode == 0
    assert sorted(spooled(crashed)) == sorted(expected)
    assert outbox(crashed) == expected_outbox
    assert not list((crashed / "spool" / "new").glob(".*")), "no hidden leftovers in new/"


def check(got, expected):
    assert sorted(got) == sorted(expected), f"missing {sorted(set(expected) - set(got))[:5]}, extra {sorted(set(got) - set(expected))[:5]}"
    for name, data in expected.items():
        assert got[name] == data, f"{name} differs from the uninterrupted run"
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert msg["X-Plankeeper-Kind"] in {"reminder", "due", "overdue", "escalation", "backlog", "digest", "report", "combined"}
        assert msg.get_body(("plain",)).get_content().strip(), name
