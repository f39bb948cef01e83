"""Channels end to end: `tick` + `deliver` against the stand-ins of 企业微信 and 钉钉.

Each scenario builds a site (plans, people.yaml, secrets in files, channels
pointing at the stand-ins), runs the built binary with `--now`, moves the
stand-ins' clock in step (no sleeping for time to pass), and asserts on what
the stand-ins recorded: each group and each person gets exactly what the
plan says, once; a service down for an hour loses nothing and repeats
nothing; SIGKILL during delivery repeats nothing; 2,066 branches' robots at
08:30 are all served within the limits.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import standins  # noqa: E402

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = "2026-11-18T08:30"
SECRET = "SECtest0123456789abcdef0123456789abcdef0123456789abcdef01234567"


def binary() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("PLANKEEPER_BIN", ROOT / ".build/debug/plankeeper"))
    if not path.exists():
        pytest.fail(f"plankeeper binary not found at {path}: build it first")
    return path


def epoch(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def at(seconds: float) -> str:
    """`--now` for an epoch, with its zone."""
    return dt.datetime.fromtimestamp(seconds, SHANGHAI).isoformat()


def env() -> dict:
    e = dict(os.environ)
    for k in ("PLANKEEPER_LANG", "PLANKEEPER_CONFIG", "CREDENTIALS_DIRECTORY", "https_proxy", "http_proxy", "all_proxy",
              "HTTPS_PROXY", "ALL_PROXY"):
        e.pop(k, None)
    e["PLANKEEPER_LOG"] = "stderr"
    return e


def pk(site: pathlib.Path, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    r = subprocess.run([str(binary()), args[0], "--config", str(site / "plankeeper.yaml"), *args[1:]],
                       capture_output=True, text=True, env=env(), timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"plankeeper {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def plan(plan_id: str, owner: str, items: list[tuple[str, str]], due: str = "2026-11-25", extra_contacts: str = "") -> str:
    lines = [f"id: {plan_id}", f"title: {owner} 2026 年党建工作计划", f"owner: {owner}", "year: 2026", "contacts:",
             "  secretary: 王五 <wangwu@hospital.example>", "  organizer: 李四 <lisi@hospital.example>"]
    if extra_contacts:
        lines.append(extra_contacts)
    lines += ["defaults:", "  remind: [5wd]", "  notify: [secretary, organizer]", "items:"]
    for item_id, title in items:
        lines += [f"  - id: {item_id}", f"    title: {title}", f"    date: {due}"]
    return "\n".join(lines) + "\n"


PEOPLE = """people:
  - id: wangwu
    name: 王五
    email: wangwu@hospital.example
    wecom: WangWu
    mobile: "13800001111"
  - id: lisi
    name: 李四
    email: lisi@hospital.example
    wecom: lisi
    mobile: "13900002222"
"""

CONFIG = {
    "wecom-robot": {"keys": ["robot-key-1"]},
    "wecom-app": {"corp_id": "ww0123456789abcdef", "secret": "app-secret", "agent_id": 1000002, "users": ["WangWu", "lisi"]},
    "dingtalk-robot": {"robots": {"ding-token-1": {"secret": SECRET}}},
}


@pytest.fixture
def stand():
    s = standins.StandIns(CONFIG)
    s.clock.set(epoch(NOW))
    s.start()
    yield s
    s.stop()


def site(tmp: pathlib.Path, s: standins.StandIns, plans: dict[str, str], channels: str | None = None) -> pathlib.Path:
    (tmp / "plans").mkdir(parents=True, exist_ok=True)
    for name, text in plans.items():
        (tmp / "plans" / f"{name}.yaml").write_text(text, encoding="utf-8")
    (tmp / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    secrets = tmp / "secrets"
    secrets.mkdir(exist_ok=True)
    (secrets / "wecom.key").write_text("robot-key-1\n")
    (secrets / "ding.token").write_text("ding-token-1\n")
    (secrets / "ding.secret").write_text(SECRET + "\n")
    (secrets / "app.secret").write_text("app-secret\n")
    if channels is None:
        channels = f"""  - name: 外科第二党支部企业微信群
    kind: wecom-robot
    url: {s.url('wecom-robot')}/cgi-bin/webhook/send
    token-file: secrets/wecom.key
    plans: [surgery-2-2026]
  - name: 外科第二党支部钉钉群
    kind: dingtalk-robot
    url: {s.url('dingtalk-robot')}/robot/send
    token-file: secrets/ding.token
    secret-file: secrets/ding.secret
    plans: [surgery-2-2026]
    mention: true
  - name: 企业微信应用
    kind: wecom-app
    url: {s.url('wecom-app')}/cgi-bin
    corp-id: ww0123456789abcdef
    agent-id: 1000002
    secret-file: secrets/app.secret
"""
    (tmp / "plankeeper.yaml").write_text(f"""plans: plans
holidays: null
state: state
spool: spool
timezone: Asia/Shanghai
send-at: "08:30"
people: people.yaml
mail:
  from: 党建工作计划提醒 <plankeeper@hospital.example>
  transport: none
channels:
{channels}""", encoding="utf-8")
    return tmp


def mail_recipients(site_dir: pathlib.Path) -> set[str]:
    """The To: addresses of the mail in the spool's new/."""
    import email
    import email.policy
    out = set()
    for f in (site_dir / "spool" / "new").iterdir():
        message = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        out |= {a.addr_spec for a in message["To"].addresses}
    return out


def outbox(site_dir: pathlib.Path) -> list[sqlite3.Row]:
    c = sqlite3.connect(f"file:{site_dir}/state/plankeeper.sqlite?mode=ro", uri=True, timeout=10)
    c.row_factory = sqlite3.Row
    try:
        return c.execute("select * from outbox order by created_at, rowid").fetchall()
    finally:
        c.close()


def accepted(s, service: str, path: str | None = None) -> list[dict]:
    return [r for r in s.received(service) if r.get("accepted") and (path is None or r["path"] == path)]


def title(record: dict) -> str:
    c = record["content"]
    if c.get("msgtype") == "markdown" and "title" in c.get("markdown", {}):
        return c["markdown"]["title"]
    text = c.get("markdown", {}).get("content") or c.get("text", {}).get("content", "")
    return text.split("\n", 1)[0].strip("*").replace('<font color="warning">', "").replace("</font>", "")


# ---------------------------------------------------------------- exactly what the plan says, once

def test_each_group_and_person_gets_what_the_plan_says_once(tmp_path, stand):
    s = stand
    site_dir = site(tmp_path, s, {
        "surgery": plan("surgery-2-2026", "外科第二党支部", [("committee", "支部委员会会议"), ("lecture", "专题党课")]),
        "medicine": plan("medicine-1-2026", "内科第一党支部", [("theme-day", "主题党日活动")]),
    })
    tick = pk(site_dir, "tick", "--now", NOW)
    assert "渠道：" in tick.stderr
    deliver = pk(site_dir, "deliver", "--now", NOW)
    assert deliver.stdout.count("delivered\t") == 2 + 2 + 6, deliver.stdout

    # The surgery group's robots: one message per notice (not per recipient), in the plan's words.
    robot = accepted(s, "wecom-robot")
    ding = accepted(s, "dingtalk-robot")
    for records in (robot, ding):
        titles = Counter(title(r) for r in records)
        assert sorted(titles) == ["【党建提醒】外科第二党支部 · 专题党课（2026）· 还有 5 个工作日",
                                  "【党建提醒】外科第二党支部 · 支部委员会会议（2026）· 还有 5 个工作日"], titles
        assert set(titles.values()) == {1}
        assert not any(r["u_escaped"] for r in records)
    assert all("截止日期：2026-11-25（周三）" in r["body"] for r in robot + ding)
    # mention: both recipients' mobiles, in `at` and in the text (钉钉 needs both).
    for r in ding:
        assert r["content"]["at"] == {"atMobiles": ["13800001111", "13900002222"], "isAtAll": False}
        assert r["content"]["markdown"]["text"].endswith("@13800001111 @13900002222")
    # The app: each person their own, all three items (it carries every plan), one token.
    app = accepted(s, "wecom-app", "/cgi-bin/message/send")
    per_person = Counter((r["destination"], title(r)) for r in app)
    assert len(per_person) == 6 and set(per_person.values()) == {1}, per_person
    assert {d for d, _ in per_person} == {"wangwu", "lisi"}
    assert len(accepted(s, "wecom-app", "/cgi-bin/gettoken")) == 1
    # Mail goes on as before: each recipient has theirs (one combined mail each, the default).
    assert mail_recipients(site_dir) == {"wangwu@hospital.example", "lisi@hospital.example"}

    # Again: nothing new is written, nothing sent again.
    before = len(s.received())
    again = pk(site_dir, "tick", "--now", NOW)
    assert "渠道：" not in again.stderr
    pk(site_dir, "deliver", "--now", NOW)
    pk(site_dir, "deliver", "--now", at(epoch(NOW) + 86400), "--retry-now")
    assert len(s.received()) == before
    rows = outbox(site_dir)
    assert len(rows) == 10 and {r["state"] for r in rows} == {"sent"}

    status = json.loads(pk(site_dir, "status", "--delivery", "--format", "json").stdout)
    by = {c["name"]: c for c in status["channels"]}
    assert by["外科第二党支部钉钉群"]["sent"] == 2 and by["企业微信应用"]["sent"] == 6
    assert status["mail"]["waiting"] == 2  # one combined mail per person
    text = pk(site_dir, "status", "--delivery").stdout
    assert "外科第二党支部企业微信群" in text and "wecom-robot" in text


# ---------------------------------------------------------------- @id contacts

def test_plans_may_name_people_by_id(tmp_path, stand):
    s = stand
    text = """id: surgery-2-2026
title: 外科第二党支部 2026 年党建工作计划
owner: 外科第二党支部
year: 2026
contacts:
  secretary: "@wangwu"
  organizer: "@zhaoliu"
defaults:
  remind: [5wd]
  notify: [secretary, organizer]
items:
  - id: committee
    title: 支部委员会会议
    date: 2026-11-25
"""
    site_dir = site(tmp_path, s, {"surgery": text})
    with open(site_dir / "people.yaml", "a", encoding="utf-8") as f:
        f.write("  - id: zhaoliu\n    name: 赵六\n    wecom: zhaoliu\n")  # no e-mail: reached through the channels only
    s.services["wecom-app"].users.add("zhaoliu")
    r = pk(site_dir, "tick", "--now", NOW)
    assert mail_recipients(site_dir) == {"wangwu@hospital.example"}, r.stderr  # 赵六 has no e-mail
    pk(site_dir, "deliver", "--now", NOW)
    app = accepted(s, "wecom-app", "/cgi-bin/message/send")
    assert sorted(r["destination"] for r in app) == ["wangwu", "zhaoliu"]
    # An id the directory does not know: the plan is left out, the error points at it.
    (site_dir / "plans" / "surgery.yaml").write_text(text.replace('"@zhaoliu"', '"@zhaoliou"'), encoding="utf-8")
    bad = pk(site_dir, "tick", "--now", NOW, check=False)
    assert bad.returncode == 1
    assert "surgery.yaml:7:14: error: 人员目录中没有“@zhaoliou”；您是否想写“@zhaoliu”？" in bad.stderr, bad.stderr


# ---------------------------------------------------------------- reports

def test_a_period_report_reaches_a_group_as_one_message_with_the_figures(tmp_path, stand):
    s = stand
    plans = {
        "surgery": plan("surgery-2-2026", "外科第二党支部", [("committee", "支部委员会会议"), ("lecture", "专题党课")]),
        "medicine": plan("medicine-1-2026", "内科第一党支部", [("theme-day", "主题党日活动")]),
    }
    channels = f"""  - name: 医院党委群
    kind: dingtalk-robot
    url: {s.url('dingtalk-robot')}/robot/send
    token-file: secrets/ding.token
    secret-file: secrets/ding.secret
    kinds: [report]
"""
    site_dir = site(tmp_path, s, plans, channels)
    config = site_dir / "plankeeper.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "channels:\n", "reports:\n  - period: month\n    to: [党委办公室 <dangban@hospital.example>]\n    format: text\nchannels:\n"), encoding="utf-8")
    pk(site_dir, "done", "surgery-2-2026", "committee", "2026", "--date", "2026-11-20", "--now", "2026-11-20")
    when = "2026-12-01T08:30"  # the first working day after November
    s.clock.set(epoch(when))
    r = pk(site_dir, "tick", "--now", when)
    assert "1 份工作报告" in r.stderr, r.stderr
    pk(site_dir, "deliver", "--now", when)
    [record] = accepted(s, "dingtalk-robot")
    text = record["content"]["markdown"]["text"]
    assert "2026 年 11 月" in record["content"]["markdown"]["title"]
    assert "应完成：**3**" in text and "逾期未完成" in text and "完成率" in text, text
    assert "外科第二党支部：完成" in text and "内科第一党支部：完成" in text, text
    assert record["body_bytes"] < 20000
    # Once: a second tick and deliver send nothing.
    pk(site_dir, "tick", "--now", when)
    pk(site_dir, "deliver", "--now", when)
    assert len(accepted(s, "dingtalk-robot")) == 1


# ---------------------------------------------------------------- down for an hour, then up

@pytest.mark.parametrize("mode", ["refuse", "error"])
def test_a_service_down_for_an_hour_loses_nothing_and_repeats_nothing(tmp_path, stand, mode):
    s = stand
    items = [(f"item-{i}", f"第 {i} 项工作") for i in range(1, 4)]
    site_dir = site(tmp_path, s, {"surgery": plan("surgery-2-2026", "外科第二党支部", items)})
    pk(site_dir, "tick", "--now", NOW)
    s.services["dingtalk-robot"].go_down(mode)
    start = epoch(NOW)
    t = start
    # An hour of the service's absence, deliver run whenever a retry is due (and every 10 minutes by cron).
    while t < start + 3600:
        r = pk(site_dir, "deliver", "--now", at(t), check=False)
        assert r.returncode == 0, r.stderr
        t += 300
        s.clock.set(t)
    # The other channels did not wait for it.
    assert len(accepted(s, "wecom-robot")) == 3
    assert len(accepted(s, "wecom-app", "/cgi-bin/message/send")) == 6
    ding_rows = [r for r in outbox(site_dir) if r["channel_kind"] == "dingtalk-robot"]
    assert {r["state"] for r in ding_rows} == {"queued"} and all(r["attempts"] >= 2 for r in ding_rows)
    assert not accepted(s, "dingtalk-robot")
    s.services["dingtalk-robot"].come_up()
    for _ in range(30):
        if not [r for r in outbox(site_dir) if r["state"] == "queued"]:
            break
        pk(site_dir, "deliver", "--now", at(t))
        t += 600
        s.clock.set(t)
    titles = Counter(title(r) for r in accepted(s, "dingtalk-robot"))
    assert len(titles) == 3 and set(titles.values()) == {1}, titles
    assert {r["state"] for r in outbox(site_dir)} == {"sent"}
    # Signed within the hour although the messages were written an hour before: signed when sent.
    assert all(r.get("errcode") in (0, None) for r in s.received("dingtalk-robot"))


# ---------------------------------------------------------------- SIGKILL during delivery

def test_sigkill_loop_during_delivery_sends_nothing_twice(tmp_path, stand):
    s = stand
    items = [(f"item-{i:02d}", f"崩溃测试事项{i:02d}") for i in range(1, 31)]
    channels = f"""  - name: 钉钉群
    kind: dingtalk-robot
    url: {s.url('dingtalk-robot')}/robot/send
    token-file: secrets/ding.token
    secret-file: secrets/ding.secret
    limits: [1000/1m]
  - name: 企业微信群
    kind: wecom-robot
    url: {s.url('wecom-robot')}/cgi-bin/webhook/send
    token-file: secrets/wecom.key
    limits: [1000/1m]
"""
    site_dir = site(tmp_path, s, {"surgery": plan("surgery-2-2026", "外科第二党支部", items)}, channels)
    # The test's own limits (1000/1m) let all 60 go in one pass; the stand-ins' do not apply here.
    s.services["dingtalk-robot"].window = standins.SlidingWindow(10_000, 60)
    s.services["wecom-robot"].window = standins.SlidingWindow(10_000, 60)
    for svc in ("dingtalk-robot", "wecom-robot"):
        s.services[svc].delay = 0.02  # requests take a moment, so kills land mid-request too
    pk(site_dir, "tick", "--now", NOW)
    rng = random.Random(20261118)
    kills = 0
    for _ in range(200):
        if not [r for r in outbox(site_dir) if r["state"] in ("queued", "sending")]:
            break
        p = subprocess.Popen([str(binary()), "deliver", "--config", str(site_dir / "plankeeper.yaml"), "--now", NOW],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
        time.sleep(rng.uniform(0, 0.4))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
        p.wait()
    pk(site_dir, "deliver", "--now", NOW, check=False)
    assert kills >= 5, f"only {kills} kills landed"
    rows = outbox(site_dir)
    assert {r["state"] for r in rows} <= {"sent", "uncertain"}, Counter(r["state"] for r in rows)
    for service in ("dingtalk-robot", "wecom-robot"):
        titles = Counter(title(r) for r in accepted(s, service))
        twice = {k: n for k, n in titles.items() if n > 1}
        assert not twice, f"{service}: sent twice: {twice}"
    # Every sent entry arrived exactly once; an uncertain one at most once.
    received = Counter(title(r) for svc in ("dingtalk-robot", "wecom-robot") for r in accepted(s, svc))
    sent = [r for r in rows if r["state"] == "sent"]
    assert len(sent) + sum(1 for r in rows if r["state"] == "uncertain") == 60
    assert sum(received.values()) >= len(sent)
    print(f"{kills} kills: {len(sent)} sent, {len(rows) - len(sent)} uncertain, {sum(received.values())} received")


# ---------------------------------------------------------------- the secrets

def test_a_secret_written_in_the_configuration_is_refused(tmp_path, stand):
    site_dir = site(tmp_path, stand, {"surgery": plan("surgery-2-2026", "外科第二党支部", [("a", "甲")])},
                    "  - name: 群\n    kind: wecom-robot\n    token: 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa\n")
    r = pk(site_dir, "tick", "--now", NOW, check=False)
    assert r.returncode == 1
    assert "plankeeper.yaml:14:5: error: 不能把密钥直接写在配置文件里" in r.stderr, r.stderr
    assert "693a91f6" not in r.stderr + r.stdout


def test_secrets_from_credentials_directory_never_logged(tmp_path, stand):
    s = stand
    channels = f"""  - name: 钉钉群
    kind: dingtalk-robot
    url: {s.url('dingtalk-robot')}/robot/send
    token-credential: ding-token
    secret-credential: ding-secret
"""
    site_dir = site(tmp_path, s, {"surgery": plan("surgery-2-2026", "外科第二党支部", [("a", "甲")])}, channels)
    pk(site_dir, "tick", "--now", NOW)
    # No $CREDENTIALS_DIRECTORY: deferred, the journal says which credential.
    r = pk(site_dir, "deliver", "--now", NOW)
    assert "找不到 systemd 凭据“ding-token”" in r.stderr and "deferred\t" in r.stdout
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "ding-token").write_text("ding-token-1\n")
    (creds / "ding-secret").write_text(SECRET + "\n")
    e = env()
    e["CREDENTIALS_DIRECTORY"] = str(creds)
    r = subprocess.run([str(binary()), "deliver", "--config", str(site_dir / "plankeeper.yaml"), "--now", NOW, "--retry-now"],
                       capture_output=True, text=True, env=e, timeout=60)
    assert r.returncode == 0 and "delivered\t" in r.stdout, r.stderr
    assert "ding-token-1" not in r.stderr + r.stdout and SECRET not in r.stderr + r.stdout
    assert len(accepted(s, "dingtalk-robot")) == 1


def test_a_bad_signature_is_given_up_naming_the_config_line(tmp_path, stand):
    s = stand
    site_dir = site(tmp_path, s, {"surgery": plan("surgery-2-2026", "外科第二党支部", [("a", "甲")])})
    (site_dir / "secrets" / "ding.secret").write_text("SECwrong\n")
    pk(site_dir, "tick", "--now", NOW)
    r = pk(site_dir, "deliver", "--now", NOW, check=False)
    assert r.returncode == 1
    assert "钉钉群机器人“外科第二党支部钉钉群”（" in r.stderr and "plankeeper.yaml:17:5）" in r.stderr, r.stderr
    assert "310000" in r.stderr
    assert [row["state"] for row in outbox(site_dir) if row["channel_kind"] == "dingtalk-robot"] == ["failed"]


# ---------------------------------------------------------------- 2,066 branches' robots at 08:30

def test_2066_branch_robots_at_half_past_eight_all_within_the_limits(tmp_path):
    plans = tmp_path / "plans"
    subprocess.run([sys.executable, str(ROOT / "Benchmarks/generate_city.py"), "--branches", "2066", "--year", "2026",
                    "--out", str(plans)], check=True, capture_output=True)
    ids = sorted(p.stem for p in plans.glob("*.yaml"))
    assert len(ids) == 2066
    keys = [f"wecom-{i:04d}" for i in range(0, 2066, 2)]
    tokens = {f"ding-{i:04d}": {"secret": SECRET} for i in range(1, 2066, 2)}
    s = standins.StandIns({"wecom-robot": {"keys": keys}, "dingtalk-robot": {"robots": tokens}})
    now = "2026-03-24T08:30"
    s.clock.set(epoch(now))
    s.start()
    try:
        secrets = tmp_path / "secrets"
        secrets.mkdir()
        lines = []
        for i, plan_id in enumerate(ids):
            if i % 2 == 0:
                (secrets / f"{i}.key").write_text(f"wecom-{i:04d}\n")
                lines += [f"  - name: 支部群{i:04d}", "    kind: wecom-robot", f"    url: {s.url('wecom-robot')}/cgi-bin/webhook/send",
                          f"    token-file: secrets/{i}.key", f"    plans: [{plan_id}]"]
            else:
                (secrets / f"{i}.token").write_text(f"ding-{i:04d}\n")
                lines += [f"  - name: 支部群{i:04d}", "    kind: dingtalk-robot", f"    url: {s.url('dingtalk-robot')}/robot/send",
                          f"    token-file: secrets/{i}.token", "    secret-file: secrets/ding.secret", f"    plans: [{plan_id}]",
                          "    kinds: [reminder, due, overdue, escalation]"]
        (secrets / "ding.secret").write_text(SECRET + "\n")
        (tmp_path / "plankeeper.yaml").write_text("\n".join([
            f"plans: {plans}", "holidays: null", "state: state", "spool: spool", "timezone: Asia/Shanghai", 'send-at: "08:30"',
            "catch-up: 7d", "mail:", "  from: 党建工作计划提醒 <plankeeper@hospital.example>", "  transport: none", "channels:"] + lines) + "\n",
            encoding="utf-8")
        t0 = time.monotonic()
        pk(tmp_path, "tick", "--now", now)
        tick_seconds = time.monotonic() - t0
        rows = outbox(tmp_path)
        assert len(rows) > 2000, f"only {len(rows)} channel messages for 2,066 branches"
        per_robot = Counter(r["channel"] for r in rows)
        t = epoch(now)
        passes = 0
        t0 = time.monotonic()
        while [r for r in outbox(tmp_path) if r["state"] == "queued"] and passes < 30:
            r = pk(tmp_path, "deliver", "--now", at(t), check=False)
            assert r.returncode == 0, r.stderr[-2000:]
            passes += 1
            t += 61
            s.clock.set(t)
        deliver_seconds = time.monotonic() - t0
        rows = outbox(tmp_path)
        assert Counter(r["state"] for r in rows) == Counter({"sent": len(rows)})
        records = s.received()
        refused = Counter((r["service"], r.get("errcode")) for r in records if not r.get("accepted"))
        assert not refused, f"refused by the stand-ins: {refused}"
        assert len(records) == len(rows)
        print(f"2,066 robots: {len(rows)} messages (at most {max(per_robot.values())} for one robot), tick {tick_seconds:.1f} s, "
              f"{passes} deliver passes in {deliver_seconds:.1f} s")
    finally:
        s.stop()


# ---------------------------------------------------------------- the daemon

def test_the_daemon_delivers_what_a_tick_queues(tmp_path):
    """`plankeeper run` on the real clock: its first tick queues a reminder
    due now, the channel delivery wakes and the robot has it within seconds;
    SIGTERM stops the daemon cleanly."""
    s = standins.StandIns({"dingtalk-robot": {"robots": {"ding-token-1": {"secret": SECRET}}}})
    s.start()
    daemon = None
    try:
        today = dt.datetime.now(SHANGHAI).date()
        due = today + dt.timedelta(days=1)
        text = plan("daemon-2026", "外科第二党支部", [("committee", "守护进程测试事项")], due=due.isoformat())
        text = text.replace("year: 2026", f"year: {due.year}").replace("remind: [5wd]", "remind: [1d]")
        channels = f"""  - name: 钉钉群
    kind: dingtalk-robot
    url: {s.url('dingtalk-robot')}/robot/send
    token-file: secrets/ding.token
    secret-file: secrets/ding.secret
"""
        site_dir = site(tmp_path, s, {"daemon": text}, channels)
        config = site_dir / "plankeeper.yaml"
        # The real clock: whatever the day and hour, the notice goes now (as the e2e pins it).
        config.write_text(config.read_text(encoding="utf-8").replace(
            'send-at: "08:30"', 'send-at: "00:00"\nsend-window: "00:00-24:00"\ncatch-up-at: immediately'), encoding="utf-8")
        daemon = subprocess.Popen([str(binary()), "run", "--config", str(config)], stdout=subprocess.DEVNULL,
                                  stderr=open(tmp_path / "run.err", "wb"), env=env())
        deadline = time.monotonic() + 30
        while not accepted(s, "dingtalk-robot"):
            assert daemon.poll() is None, (tmp_path / "run.err").read_text(errors="replace")
            assert time.monotonic() < deadline, (tmp_path / "run.err").read_text(errors="replace")
            time.sleep(0.1)
        [record] = accepted(s, "dingtalk-robot")
        assert "守护进程测试事项" in record["content"]["markdown"]["title"]
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0
        log = (tmp_path / "run.err").read_text(errors="replace")
        assert "渠道投递已启动：1 个渠道（钉钉群）" in log and "已发送：" in log, log
        assert [r["state"] for r in outbox(site_dir)] == ["sent"]
    finally:
        if daemon and daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        s.stop()
