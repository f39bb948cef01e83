"""The channels' scenario of the end-to-end test (issue 18), for e2e.py to call.

    from channels_scenarios import channel_scenarios
    for name, fn in channel_scenarios(t):
        t.step(name, fn)

A 钉钉 robot stand-in (Tests/channels/standins.py) runs on the host, in the
container's network namespace (the container has a private network: it is
reached at 127.0.0.1 from inside, while its process and its record of what
it received stay on the host). The robot's access_token and signing secret
reach the service through systemd credentials (`LoadCredential=` in a
drop-in), never through the configuration file. A plan whose reminders fall
due now is dropped in; the daemon is killed with SIGKILL while its first
request to the robot is in flight (the stand-in answers slowly); systemd
restarts it; and at the end the robot has received every reminder exactly
once, signed and within the hour, in UTF-8 as is, while the mail of the same
notices still reaches the mailbox. The message in flight at the kill is
marked uncertain in the outbox and not sent again (it did arrive): nothing
twice.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from e2e import CONFIG, E2E, STATE, UNIT, expect, host_pid, log, plan_yaml
from machine import wait_for

REPO = Path(__file__).resolve().parents[2]
STANDINS = REPO / "Tests/channels/standins.py"
TOKEN = "e2e-ding-access-token-0123456789abcdef"
SECRET = "SECe2e0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
DROP_IN = f"/etc/systemd/system/{UNIT}.service.d/e2e-channels.conf"
PLAN = "e2e-ding"
ITEMS = 4


class RobotStandIn:
    """The stand-in process on the host, in the container's network namespace."""

    def __init__(self, t: E2E):
        self.t = t
        self.original_config: str | None = None
        self.state = t.work / "ding-standin"
        self.state.mkdir(parents=True, exist_ok=True)
        config = self.state / "standins.json"
        config.write_text(json.dumps({"dingtalk-robot": {"robots": {TOKEN: {"secret": SECRET}}, "delay": 1.5}}))
        self.proc = subprocess.Popen(
            ["nsenter", "-t", str(t.m.pid1), "-n", sys.executable, str(STANDINS), "serve", "--config", str(config),
             "--state", str(self.state), "--lifetime", "900"],
            stdout=open(self.state / "standin.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
        ports = wait_for("the robot stand-in to listen", lambda: self._ports(), 20, 0.05)
        self.port = ports["dingtalk-robot"]
        self.control = ports["control"]

    def _ports(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"the stand-in exited: {(self.state / 'standin.log').read_text(errors='replace')}")
        path = self.state / "ports.json"
        return json.loads(path.read_text()) if path.exists() else None

    def received(self) -> list[dict]:
        path = self.state / "received.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def set_delay(self, seconds: float) -> None:
        # The control port lives in the container's network namespace too.
        self.t.m.sh(f"python3 -c \"import urllib.request; urllib.request.urlopen(urllib.request.Request("
                    f"'http://127.0.0.1:{self.control}/delay?service=dingtalk-robot&seconds={seconds}', data=b''))\"")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


def configure(t: E2E, robot: RobotStandIn) -> None:
    """The admin's steps of docs/channels.md: the secrets in root-only files,
    LoadCredential= in a drop-in, the channel in the configuration."""
    t.m.sh("install -d -m 0700 /etc/plankeeper/secrets")
    t.m.sh(f"umask 077 && printf '%s\\n' {TOKEN} > /etc/plankeeper/secrets/e2e-ding.token && "
           f"printf '%s\\n' {SECRET} > /etc/plankeeper/secrets/e2e-ding.secret")
    t.m.sh(f"install -d /etc/systemd/system/{UNIT}.service.d")
    t.m.write(DROP_IN, "[Service]\n"
                       "LoadCredential=e2e-ding-token:/etc/plankeeper/secrets/e2e-ding.token\n"
                       "LoadCredential=e2e-ding-secret:/etc/plankeeper/secrets/e2e-ding.secret\n")
    config = t.m.path(CONFIG).read_text()
    expect(re.search(r"^channels:", config, re.M) is None, "the configuration already has channels:")
    robot.original_config = config
    config += (
        "channels:\n"
        "  - name: 端到端测试钉钉群\n"
        "    kind: dingtalk-robot\n"
        f"    url: http://127.0.0.1:{robot.port}/robot/send\n"
        "    token-credential: e2e-ding-token\n"
        "    secret-credential: e2e-ding-secret\n"
        f"    plans: [{PLAN}]\n")
    t.m.write(CONFIG, config)
    t.m.sh(f"systemctl daemon-reload && systemctl restart {UNIT}")
    expect(t.running(), "not running after the restart with a channel")
    listed = t.m.sh(f"grep -c {TOKEN} {CONFIG} || true").strip()
    expect(listed == "0", "the robot's token is in the configuration file")


def robot_kill_9(t: E2E) -> None:
    robot = RobotStandIn(t)
    try:
        configure(t, robot)
        items = [{"id": f"ding-{i}", "title": f"钉钉端到端事项{i}", "due": t.dates.day(1), "remind": "1d"} for i in range(1, ITEMS + 1)]
        pid = t.main_pid()
        restarts = int(t.show("NRestarts")["NRestarts"])
        t.add_plan(f"{PLAN}.yaml", plan_yaml(PLAN, items))
        # The first request reaches the robot, which answers 1.5 s later: kill now.
        wait_for("the first request at the robot", lambda: robot.received(), 30, 0.01)
        os.kill(host_pid(t.m, pid), signal.SIGKILL)
        log(f"killed {pid} with {len(robot.received())} request(s) at the robot, the first unanswered")
        robot.set_delay(0)
        wait_for("a restarted main process", lambda: t.running() and t.main_pid() != pid, 30, 0.1)
        expect(int(t.show("NRestarts")["NRestarts"]) == restarts + 1, "NRestarts did not go up by one")

        def all_arrived():
            titles = [r["content"]["markdown"]["title"] for r in robot.received() if r.get("accepted")]
            return titles if len(set(titles)) >= ITEMS else None

        wait_for(f"{ITEMS} reminders at the robot", all_arrived, 90, 0.2)
        time.sleep(3)  # anything sent twice would arrive now
        records = robot.received()
        refused = [r for r in records if not r.get("accepted")]
        expect(not refused, f"the robot refused: {[(r.get('errcode'), r.get('errmsg')) for r in refused]}")
        titles = Counter(r["content"]["markdown"]["title"] for r in records)
        twice = {k: n for k, n in titles.items() if n > 1}
        expect(not twice, f"received more than once: {twice}")
        expect(len(titles) == ITEMS and all(any(f"钉钉端到端事项{i}" in k for k in titles) for i in range(1, ITEMS + 1)),
               f"the robot received {sorted(titles)}")
        expect(not any(r["u_escaped"] for r in records), "a body had \\u escapes instead of UTF-8")
        expect(all(r["body_bytes"] < 20000 for r in records), "a body of 20,000 bytes or more")
        # The outbox: the one in flight at the kill is uncertain (it did arrive), the rest sent.
        states = t.m.sh(f"python3 -c \"import sqlite3; c = sqlite3.connect('file:{STATE}/plankeeper.sqlite?mode=ro', uri=True, timeout=10); "
                        f"print('\\n'.join(s + ' ' + str(n) for s, n in c.execute("
                        f"'select state, count(*) from outbox where plan = ? group by state', ('{PLAN}',))))\"")
        counts = dict(line.split() for line in states.splitlines() if line.strip())
        expect(counts.get("sent") == str(ITEMS - 1) and counts.get("uncertain") == "1",
               f"outbox states after the kill: {counts}")
        uncertain = [e for e in t.o.entries("", priority=3) if e.get("PLANKEEPER_CHANNEL") == "端到端测试钉钉群"]
        expect(uncertain, "no journal error for the message in flight at the kill")
        # Mail goes on as before: the same notices reach the mailbox.
        t.wait_mail(PLAN, ITEMS, 60)
        status = t.m.sh(f"plankeeper status --delivery --config {CONFIG}", check=False)
        expect("端到端测试钉钉群" in status, f"status --delivery does not list the channel:\n{status}")
        log(f"robot: {ITEMS} reminders, each once; outbox {counts}")
    finally:
        robot.stop()
        # Leave the machine as it was for the steps after this one.
        if robot.original_config is not None:
            t.m.write(CONFIG, robot.original_config)
        t.m.sh(f"rm -f {DROP_IN} && systemctl daemon-reload && systemctl restart {UNIT}", check=False)


def channel_scenarios(t: E2E):
    return [("channels: 钉钉 robot stand-in, kill -9 mid-request, LoadCredential=: each reminder once", lambda: robot_kill_9(t))]


def scenarios(t: E2E):
    """The e2e's plug-in entry point (Tests/e2e/README.md): run in the container."""
    return channel_scenarios(t)
