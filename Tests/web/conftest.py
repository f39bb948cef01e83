"""Shared by the web stage's tests: `plankeeper serve` on loopback with a
scratch configuration over the sample plans, and the spool it mails to."""

import base64
import email
import email.policy
import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("PLANKEEPER_BIN", str(ROOT / ".build/debug/plankeeper"))
OUT = Path(os.environ.get("WEB_OUT", str(ROOT / ".build/web-screenshots")))
NOW = "2026-11-20T10:00"  # the desk's "today": a Friday with the November meeting due on the 25th
SECRETARY = "wangwu@hospital.example"
OFFICE = "dangban@hospital.example"
ITEM = "/record/surgery-2-2026/branch-committee/2026-11"

# The first bytes of a phone camera's JPEG (the desk tells the type from them)
# and its end marker: what a sign-in sheet photo looks like to the server.
PHOTO = (b"\xff\xd8\xff\xe1\x00\x18Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"
         + bytes(range(256)) * 64 + b"\xff\xd9")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Desk:
    def __init__(self, base, port, process, config):
        self.base = base
        self.url = f"http://127.0.0.1:{port}"
        self.process = process
        self.config = config

    @property
    def spool(self):
        return self.base / "spool" / "new"

    def mails(self):
        return sorted(self.spool.iterdir()) if self.spool.exists() else []

    def link_after(self, before):
        """The sign-in link in the first mail spooled after `before` (the desk
        spools after answering the page, so wait a little for it)."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            new = [m for m in self.mails() if m not in before]
            if new:
                message = email.message_from_bytes(new[0].read_bytes(), policy=email.policy.default)
                body = message.get_body(preferencelist=("plain",)).get_content()
                match = re.search(r"http://127\.0\.0\.1:\d+/signin/[a-z2-7]+", body)
                assert match, body
                return match.group(0)
            time.sleep(0.1)
        raise AssertionError("no sign-in mail was spooled")

    def records(self):
        p = subprocess.run([BIN, "records", "--config", str(self.config), "--format", "json"], capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr.decode()
        return json.loads(p.stdout or b"[]")


@pytest.fixture(scope="session")
def desk(tmp_path_factory):
    base = tmp_path_factory.mktemp("web")
    port = free_port()
    config = base / "plankeeper.yaml"
    config.write_text(
        f"""plans: {ROOT / 'plans'}
holidays: null
state: {base / 'state'}
spool: {base / 'spool'}
timezone: Asia/Shanghai
language: zh
track-from: 2026-11-16       # the service began on 16 November: what was overdue before is history
mail:
  from: 党建工作计划提醒 <plankeeper@hospital.example>
  transport: none
reports:
  - period: quarter
    to: [纪委 <jiwei@hospital.example>]
web:
  listen: 127.0.0.1:{port}
  url: http://127.0.0.1:{port}
  admins: [信息科 <it@hospital.example>]
""",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANKEEPER_") and k not in ("LISTEN_PID", "LISTEN_FDS")}
    env["PLANKEEPER_LOG"] = "stderr"
    log = open(base / "serve.log", "wb")
    process = subprocess.Popen([BIN, "serve", "--config", str(config), "--now", NOW], stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        assert process.poll() is None, (base / "serve.log").read_text()
        assert time.monotonic() < deadline, "plankeeper serve did not answer"
        time.sleep(0.1)
    yield Desk(base, port, process, config)
    process.terminate()
    assert process.wait(timeout=20) == 0, (base / "serve.log").read_text()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve.log").write_bytes((base / "serve.log").read_bytes())


