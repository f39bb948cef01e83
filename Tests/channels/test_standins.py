"""The stand-ins themselves: each contract rule, answered with the service's own code.

A stand-in that let a wrong request through would make every channel test
downstream worthless, so each rule here has a request that breaks it.
"""
import base64
import hashlib
import hmac
import json
import pathlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import standins  # noqa: E402

SECRET = "SECtest0123456789abcdef"
CONFIG = {
    "wecom-robot": {"keys": ["robot-key-1", "robot-key-2"]},
    "wecom-app": {"corp_id": "ww0123456789abcdef", "secret": "app-secret", "agent_id": 1000002,
                  "users": ["WangWu", "lisi", "zhaoliu"]},
    "dingtalk-robot": {"robots": {"ding-signed": {"secret": SECRET},
                                  "ding-keyword": {"keywords": ["党建"]},
                                  "ding-plain": {}}},
}


@pytest.fixture
def s():
    stand = standins.StandIns(CONFIG)
    stand.start()
    yield stand
    stand.stop()


def call(url, body=None, method=None, content_type="application/json", raw=None):
    data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else None)
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"))
    if data is not None and content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        payload = e.read()
        try:
            return e.code, json.loads(payload)
        except ValueError:
            return e.code, payload.decode(errors="replace")


def robot(s, key="robot-key-1"):
    return s.url("wecom-robot") + "/cgi-bin/webhook/send?key=" + key


def ding_url(s, token, ts=None, secret=SECRET, sign=None):
    url = s.url("dingtalk-robot") + "/robot/send?access_token=" + token
    if ts is not None:
        if sign is None:
            sign = urllib.parse.quote(standins.DingTalkRobot.signature(str(ts), secret), safe="")
        url += f"&timestamp={ts}&sign={sign}"
    return url


def now_ms(s):
    return int(s.clock.now() * 1000)


# ---------------------------------------------------------------- wecom robot

def test_wecom_robot_accepts_markdown_and_records_it(s):
    status, answer = call(robot(s), {"msgtype": "markdown", "markdown": {"content": "**提醒** 主题党日"}})
    assert (status, answer) == (200, {"errcode": 0, "errmsg": "ok"})
    [r] = s.received("wecom-robot")
    assert r["accepted"] and r["destination"] == "robot-key-1"
    assert r["content"]["markdown"]["content"] == "**提醒** 主题党日"
    assert r["u_escaped"] is False


def test_wecom_robot_unknown_key_is_93000(s):
    assert call(robot(s, "nope"), {"msgtype": "text", "text": {"content": "x"}})[1]["errcode"] == 93000
    assert call(s.url("wecom-robot") + "/cgi-bin/webhook/send", {"msgtype": "text", "text": {"content": "x"}})[1]["errcode"] == 93000


def test_wecom_robot_byte_limits_at_the_boundary(s):
    # 4,096 bytes of markdown pass; 4,097 do not. Chinese is 3 bytes a character.
    ok = "党" * 1365 + "a"  # 4,096 bytes
    assert len(ok.encode()) == 4096
    assert call(robot(s), {"msgtype": "markdown", "markdown": {"content": ok}})[1]["errcode"] == 0
    assert call(robot(s), {"msgtype": "markdown", "markdown": {"content": ok + "a"}})[1]["errcode"] == 40058
    text = "a" * 2048
    assert call(robot(s), {"msgtype": "text", "text": {"content": text}})[1]["errcode"] == 0
    assert call(robot(s), {"msgtype": "text", "text": {"content": text + "a"}})[1]["errcode"] == 40058


def test_wecom_robot_schema_is_strict(s):
    assert call(robot(s), {"msgtype": "markdown", "markdown": {"content": "x", "title": "t"}})[1]["errcode"] == 40035
    assert call(robot(s), {"msgtype": "news", "news": {}})[1]["errcode"] == 40008
    assert call(robot(s), {"msgtype": "text", "text": {"content": ""}})[1]["errcode"] == 40035
    assert call(robot(s), {"msgtype": "text", "text": {"content": "x", "mentioned_mobile_list": "138"}})[1]["errcode"] == 40035
    assert call(robot(s), {"msgtype": "text", "text": {"content": "x"}}, content_type="text/plain")[1]["errcode"] == 40035
    assert call(robot(s), raw=b"{not json")[1]["errcode"] == 40035
    assert call(robot(s), raw="{\"msgtype\":\"text\"".encode() + b"\xff}")[1]["errcode"] == 40035
    assert call(robot(s), method="GET")[0] == 405
    assert call(robot(s) + "&extra=1", {"msgtype": "text", "text": {"content": "x"}})[1]["errcode"] == 40035


def test_wecom_robot_twenty_a_minute_per_robot_then_45009(s):
    msg = {"msgtype": "text", "text": {"content": "x"}}
    for _ in range(20):
        assert call(robot(s), msg)[1]["errcode"] == 0
    assert call(robot(s), msg)[1]["errcode"] == 45009
    assert call(robot(s, "robot-key-2"), msg)[1]["errcode"] == 0  # another robot has its own budget
    s.clock.advance(59)
    assert call(robot(s), msg)[1]["errcode"] == 45009
    s.clock.advance(1.01)
    assert call(robot(s), msg)[1]["errcode"] == 0


# ---------------------------------------------------------------- wecom app

def token(s):
    status, answer = call(s.url("wecom-app") + "/cgi-bin/gettoken?corpid=ww0123456789abcdef&corpsecret=app-secret")
    assert status == 200 and answer["errcode"] == 0 and answer["expires_in"] == 7200
    return answer["access_token"]


def app_msg(touser="wangwu", content="提醒", agentid=1000002, **extra):
    body = {"touser": touser, "msgtype": "text", "agentid": agentid, "text": {"content": content}}
    body.update(extra)
    return body


def send_url(s, t):
    return s.url("wecom-app") + "/cgi-bin/message/send?access_token=" + t


def test_wecom_app_token_and_message(s):
    t = token(s)
    assert token(s) == t  # the same token while it is valid
    status, answer = call(send_url(s, t), app_msg(enable_duplicate_check=1, duplicate_check_interval=1800))
    assert answer["errcode"] == 0 and "invaliduser" not in answer
    sent = [r for r in s.received("wecom-app") if r["path"] == "/cgi-bin/message/send"]
    assert sent[0]["destination"] == "wangwu"


def test_wecom_app_gettoken_refusals(s):
    base = s.url("wecom-app") + "/cgi-bin/gettoken"
    assert call(base + "?corpid=wrong&corpsecret=app-secret")[1]["errcode"] == 40013
    assert call(base + "?corpid=ww0123456789abcdef&corpsecret=wrong")[1]["errcode"] == 40001
    assert call(base + "?corpsecret=app-secret")[1]["errcode"] == 41002


def test_wecom_app_token_errors(s):
    assert call(s.url("wecom-app") + "/cgi-bin/message/send", app_msg())[1]["errcode"] == 41001
    assert call(send_url(s, "never-issued"), app_msg())[1]["errcode"] == 40014
    t = token(s)
    s.clock.advance(7200)
    assert call(send_url(s, t), app_msg())[1]["errcode"] == 42001
    t2 = token(s)
    assert t2 != t
    s.services["wecom-app"].expire_tokens()
    assert call(send_url(s, t2), app_msg())[1]["errcode"] == 42001
    t3 = token(s)
    s.services["wecom-app"].invalidate_tokens()
    assert call(send_url(s, t3), app_msg())[1]["errcode"] == 40014


def test_wecom_app_recipients(s):
    t = token(s)
    answer = call(send_url(s, t), app_msg(touser="wangwu|ghost"))[1]
    assert answer["errcode"] == 0 and answer["invaliduser"] == "ghost"
    assert call(send_url(s, t), app_msg(touser="ghost|nobody"))[1]["errcode"] == 81013


def test_wecom_app_schema_and_limits(s):
    t = token(s)
    assert call(send_url(s, t), app_msg(agentid=1000003))[1]["errcode"] == 40056
    assert call(send_url(s, t), app_msg(agentid="1000002"))[1]["errcode"] == 40035
    assert call(send_url(s, t), app_msg(content="a" * 2049))[1]["errcode"] == 40058
    assert call(send_url(s, t), app_msg(content="党" * 682 + "aa"))[1]["errcode"] == 0  # 2,048 bytes
    assert call(send_url(s, t), app_msg(extra_field=1))[1]["errcode"] == 40035


def test_wecom_app_thirty_a_minute_and_a_thousand_an_hour_per_person(s):
    t = token(s)
    for i in range(30):
        assert call(send_url(s, t), app_msg(content=f"m{i}"))[1]["errcode"] == 0
    assert call(send_url(s, t), app_msg(content="m30"))[1]["errcode"] == 45009
    assert call(send_url(s, t), app_msg(touser="lisi", content="m30"))[1]["errcode"] == 0
    app = s.services["wecom-app"]
    # Fill the hour without a thousand requests: the window is the stand-in's own.
    now = s.clock.now()
    app.hour.events["wangwu"].extend([now] * 970)
    s.clock.advance(61)
    assert call(send_url(s, t), app_msg(content="late"))[1]["errcode"] == 45009
    s.clock.advance(3600)
    t = token(s)
    assert call(send_url(s, t), app_msg(content="next hour"))[1]["errcode"] == 0


def test_wecom_app_duplicate_check_is_recorded(s):
    t = token(s)
    body = app_msg(enable_duplicate_check=1, duplicate_check_interval=1800)
    call(send_url(s, t), body)
    call(send_url(s, t), body)
    sent = [r for r in s.received("wecom-app") if r["path"] == "/cgi-bin/message/send"]
    assert [r["duplicate_suppressed"] for r in sent] == [False, True]


# ---------------------------------------------------------------- dingtalk robot

def test_dingtalk_signature_matches_the_documented_recipe():
    # The documentation's Python recipe, written out independently.
    ts, secret = "1700000000000", "this is secret"
    expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
    assert standins.DingTalkRobot.signature(ts, secret) == expected


def test_dingtalk_signed_robot(s):
    ts = now_ms(s)
    body = {"msgtype": "markdown", "markdown": {"title": "党建提醒", "text": "## 主题党日\n截止 02-06"}}
    assert call(ding_url(s, "ding-signed", ts), body)[1] == {"errcode": 0, "errmsg": "ok"}
    # Wrong secret, missing sign, a timestamp more than an hour off: 310000.
    assert call(ding_url(s, "ding-signed", ts, secret="other"), body)[1]["errcode"] == 310000
    assert call(ding_url(s, "ding-signed"), body)[1]["errcode"] == 310000
    assert call(ding_url(s, "ding-signed", ts - 3_601_000), body)[1]["errcode"] == 310000
    assert call(ding_url(s, "ding-signed", ts + 3_601_000), body)[1]["errcode"] == 310000
    assert call(ding_url(s, "ding-signed", ts - 3_500_000), body)[1]["errcode"] == 0
    # The signature not URL-encoded: '+' arrives as a space, '/' and '=' may pass. Refused when it matters.
    raw = standins.DingTalkRobot.signature(str(ts), SECRET)
    if "+" in raw:
        assert call(ding_url(s, "ding-signed", ts, sign=raw), body)[1]["errcode"] == 310000
    assert call(ding_url(s, "nope", ts), body)[1]["errcode"] == 300001


def test_dingtalk_keywords_and_unsigned(s):
    assert call(ding_url(s, "ding-keyword"), {"msgtype": "text", "text": {"content": "普通消息"}})[1]["errcode"] == 310000
    assert call(ding_url(s, "ding-keyword"), {"msgtype": "text", "text": {"content": "党建提醒"}})[1]["errcode"] == 0
    # A signature sent to a robot that does not sign is a mistake in the config.
    assert call(ding_url(s, "ding-plain", now_ms(s)), {"msgtype": "text", "text": {"content": "x"}})[1]["errcode"] == 310000


def test_dingtalk_markdown_needs_a_title_and_at_is_checked(s):
    assert call(ding_url(s, "ding-plain"), {"msgtype": "markdown", "markdown": {"text": "x"}})[1]["errcode"] == 40035
    assert call(ding_url(s, "ding-plain"), {"msgtype": "markdown", "markdown": {"title": " ", "text": "x"}})[1]["errcode"] == 40035
    ok = {"msgtype": "text", "text": {"content": "x"}, "at": {"atMobiles": ["13800001111"], "isAtAll": False}}
    assert call(ding_url(s, "ding-plain"), ok)[1]["errcode"] == 0
    bad = {"msgtype": "text", "text": {"content": "x"}, "at": {"isAtAll": "no"}}
    assert call(ding_url(s, "ding-plain"), bad)[1]["errcode"] == 40035


def test_dingtalk_body_under_20000_bytes(s):
    def body_of(n):
        skeleton = json.dumps({"msgtype": "text", "text": {"content": ""}}, ensure_ascii=False).encode()
        return json.dumps({"msgtype": "text", "text": {"content": "a" * (n - len(skeleton))}}, ensure_ascii=False).encode()
    assert len(body_of(19999)) == 19999
    assert call(ding_url(s, "ding-plain"), raw=body_of(19999))[1]["errcode"] == 0
    assert call(ding_url(s, "ding-plain"), raw=body_of(20000))[1]["errcode"] == 460101


def test_dingtalk_records_raw_utf8_and_flags_u_escapes(s):
    call(ding_url(s, "ding-plain"), raw=json.dumps({"msgtype": "text", "text": {"content": "党建"}}, ensure_ascii=False).encode())
    call(ding_url(s, "ding-plain"), raw=json.dumps({"msgtype": "text", "text": {"content": "党建"}}).encode())
    call(ding_url(s, "ding-plain"), raw=json.dumps({"msgtype": "text", "text": {"content": "a\\u515a"}}, ensure_ascii=False).encode())
    first, second, third = s.received("dingtalk-robot")
    assert first["u_escaped"] is False and "党建" in first["body"]
    assert second["u_escaped"] is True
    assert third["u_escaped"] is False  # the text itself says \u515a: escaped backslash, not an escape


def test_dingtalk_twenty_a_minute_then_a_ten_minute_block(s):
    msg = {"msgtype": "text", "text": {"content": "x"}}
    for _ in range(20):
        assert call(ding_url(s, "ding-plain"), msg)[1]["errcode"] == 0
    assert call(ding_url(s, "ding-plain"), msg)[1]["errcode"] == 130101
    s.clock.advance(61)  # the minute is over, the block is not
    assert call(ding_url(s, "ding-plain"), msg)[1]["errcode"] == 130101
    s.clock.advance(540)
    assert call(ding_url(s, "ding-plain"), msg)[1]["errcode"] == 0


# ---------------------------------------------------------------- down and up, the process

def test_down_modes_and_back_on_the_same_port(s):
    msg = {"msgtype": "text", "text": {"content": "x"}}
    port = s.services["wecom-robot"].port
    s.services["wecom-robot"].go_down("error")
    assert call(robot(s), msg)[0] == 502
    s.services["wecom-robot"].come_up()
    s.services["wecom-robot"].go_down("refuse")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    # The other services are not affected.
    assert call(ding_url(s, "ding-plain"), msg)[1]["errcode"] == 0
    s.services["wecom-robot"].come_up()
    assert s.services["wecom-robot"].port == port
    assert call(robot(s), msg)[1]["errcode"] == 0
    s.services["wecom-robot"].go_down("reset")
    with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
        urllib.request.urlopen(urllib.request.Request(robot(s), data=b"{}", headers={"Content-Type": "application/json"}), timeout=5)
    s.services["wecom-robot"].come_up()


def test_serve_process_ports_file_control_and_records(tmp_path):
    config = tmp_path / "standins.json"
    config.write_text(json.dumps(CONFIG))
    state = tmp_path / "state"
    proc = subprocess.Popen([sys.executable, str(pathlib.Path(standins.__file__)), "serve", "--config", str(config),
                             "--state", str(state), "--lifetime", "60"])
    try:
        deadline = time.monotonic() + 20
        while not (state / "ports.json").exists():
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        ports = json.loads((state / "ports.json").read_text())
        assert set(ports) == {"wecom-robot", "wecom-app", "dingtalk-robot", "control"}
        control = f"http://127.0.0.1:{ports['control']}"
        before = call(control + "/clock")[1]["now"]
        after = call(control + "/clock?advance=3600", method="POST", raw=b"")[1]["now"]
        assert after - before >= 3599
        url = f"http://127.0.0.1:{ports['wecom-robot']}/cgi-bin/webhook/send?key=robot-key-1"
        assert call(url, {"msgtype": "text", "text": {"content": "记录"}})[1]["errcode"] == 0
        call(control + "/down?service=wecom-robot&mode=error", method="POST", raw=b"")
        assert call(url, {"msgtype": "text", "text": {"content": "x"}})[0] == 502
        call(control + "/up?service=wecom-robot", method="POST", raw=b"")
        records = [json.loads(line) for line in (state / "received.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [r["accepted"] for r in records] == [True, False]
        assert records[0]["content"]["text"]["content"] == "记录"
        assert call(control + "/received?service=wecom-robot")[1][0]["destination"] == "robot-key-1"
        call(control + "/quit", method="POST", raw=b"")
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sign_command_prints_the_url_encoded_signature():
    out = subprocess.run([sys.executable, str(pathlib.Path(standins.__file__)), "sign", "1700000000000", "this is secret",
                          "--urlencode"], capture_output=True, text=True, check=True).stdout.strip()
    expected = base64.b64encode(hmac.new(b"this is secret", b"1700000000000\nthis is secret", hashlib.sha256).digest()).decode()
    assert out == urllib.parse.quote(expected, safe="")
