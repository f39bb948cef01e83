#!/usr/bin/env python3
"""Local stand-ins for 企业微信 (WeCom) and 钉钉 (DingTalk), stricter than the services.

The real services cannot be reached from a test machine, so plankeeper is tested
against these: small HTTP servers on 127.0.0.1 (port 0, chosen by the kernel)
that implement each published contract strictly and record everything they
receive. The contracts, with the public documentation they come from:

  wecom-robot     POST /cgi-bin/webhook/send?key=KEY                  (developer.work.weixin.qq.com/document/path/91770)
                  text.content <= 2,048 bytes, markdown.content <= 4,096 bytes (else 40058),
                  unknown key 93000, 20 messages per robot in any 60 s (else 45009).
  wecom-app       GET  /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET  (document/path/91039)
                  POST /cgi-bin/message/send?access_token=TOKEN       (document/path/90236)
                  tokens live 7,200 s (42001 after, 40014 for one never issued, 41001 when
                  missing); agentid must match (40056); touser ids the app cannot reach are
                  listed in invaliduser, none valid is 81013; text.content <= 2,048 bytes
                  (40058); 30 a minute and 1,000 an hour to one person (45009; the real
                  service silently drops them, which is worse: this one says so).
  dingtalk-robot  POST /robot/send?access_token=T[&timestamp=MS&sign=S] (open.dingtalk.com/document/robots/
                  custom-robot-access, .../customize-robot-security-settings)
                  sign = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))),
                  timestamp within an hour of now, else 310000; keywords, when configured,
                  must appear, else 310000; markdown needs a title; the whole body under
                  20,000 bytes (460101); 20 a minute, above it 130101 and a 10-minute block.

Beyond the contracts, strictness that catches client bugs: the body must be a
UTF-8 JSON object with exactly the documented keys (40035 otherwise), sent as
`Content-Type: application/json`; every body is recorded raw, so tests can
assert that Chinese went out as UTF-8 and not `\\uXXXX`-escaped.

Each stand-in has a clock of its own, real time plus an offset the control
interface moves (no sleeping in tests: "an hour later" is one request), and can
be taken down (refusing connections, answering 502, or resetting them) and
brought back on the same port.

Run as a process (what the integration tests and the e2e do):

    standins.py serve --config standins.json --state DIR [--lifetime 3600]

writes DIR/ports.json ({"wecom-robot": P1, "wecom-app": P2, "dingtalk-robot": P3,
"control": P4}) once listening, and every request it receives, accepted or
not, as one JSON line in DIR/received.jsonl. The control port (never down)
takes:

    POST /clock?advance=SECONDS | /clock?offset=SECONDS | /clock?set=EPOCH_SECONDS
    GET  /clock                         -> {"now": ..., "offset": ...}
    POST /down?service=NAME&mode=refuse|error|reset
    POST /up?service=NAME
    POST /tokens/expire                 every issued WeCom token answers 42001 from now on
    POST /tokens/invalidate             every issued WeCom token answers 40014 from now on
    GET  /received[?service=NAME]       -> the records, a JSON list
    POST /quit

The process exits by itself after --lifetime seconds (real time), so a test
that dies never leaves it behind. Or use it in-process: `StandIns(config)`.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICES = ("wecom-robot", "wecom-app", "dingtalk-robot")
MAX_BODY = 256 * 1024  # far above every service's limit; larger requests are refused unread
MINUTE = 60
HOUR = 3600


class Clock:
    """Real time plus an offset, shared by every stand-in of a process."""

    def __init__(self) -> None:
        self.offset = 0.0
        self.lock = threading.Lock()

    def now(self) -> float:
        with self.lock:
            return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.offset += seconds

    def set_offset(self, seconds: float) -> None:
        with self.lock:
            self.offset = seconds

    def set(self, epoch: float) -> None:
        with self.lock:
            self.offset = epoch - time.time()


class SlidingWindow:
    """At most `limit` events in any `seconds`-long window, per key."""

    def __init__(self, limit: int, seconds: int) -> None:
        self.limit = limit
        self.seconds = seconds
        self.events: dict[str, deque] = defaultdict(deque)

    def _trim(self, key: str, now: float) -> deque:
        q = self.events[key]
        while q and q[0] <= now - self.seconds:
            q.popleft()
        return q

    def full(self, key: str, now: float) -> bool:
        return len(self._trim(key, now)) >= self.limit

    def add(self, key: str, now: float) -> None:
        self.events[key].append(now)


class Recorder:
    """Every request, as JSON lines in a file and in memory."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.records: list[dict] = []
        self.lock = threading.Lock()

    def add(self, record: dict) -> None:
        with self.lock:
            self.records.append(record)
            if self.path:
                with open(self.path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def select(self, service: str | None = None) -> list[dict]:
        with self.lock:
            return [r for r in self.records if service is None or r["service"] == service]


class Refusal(Exception):
    """An answer with a non-zero errcode."""

    def __init__(self, errcode: int, errmsg: str, http_status: int = 200) -> None:
        super().__init__(errmsg)
        self.errcode = errcode
        self.errmsg = errmsg
        self.http_status = http_status


def utf8_len(s: str) -> int:
    return len(s.encode("utf-8"))


def has_u_escape(raw: bytes) -> bool:
    """True when the body escapes a non-ASCII character as \\uXXXX (>= \\u0080)."""
    text = raw.decode("utf-8", errors="replace")
    i = text.find("\\u")
    while i >= 0:
        # An escaped backslash before it means the text itself says "\u".
        backslashes = 0
        j = i - 1
        while j >= 0 and text[j] == "\\":
            backslashes += 1
            j -= 1
        hexpart = text[i + 2:i + 6]
        if backslashes % 2 == 0 and len(hexpart) == 4:
            try:
                if int(hexpart, 16) >= 0x80:
                    return True
            except ValueError:
                pass
        i = text.find("\\u", i + 2)
    return False


def parse_json_object(raw: bytes, headers) -> dict:
    ctype = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise Refusal(40035, f"invalid Content-Type {ctype!r}, expected application/json")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(40035, "body is not UTF-8")
    try:
        value = json.loads(text)
    except ValueError as e:
        raise Refusal(40035, f"body is not JSON: {e}")
    if not isinstance(value, dict):
        raise Refusal(40035, "body is not a JSON object")
    return value


def exact_keys(obj: dict, required: set, optional: set, where: str) -> None:
    missing = required - obj.keys()
    extra = obj.keys() - required - optional
    if missing:
        raise Refusal(40035, f"{where}: missing {sorted(missing)}")
    if extra:
        raise Refusal(40035, f"{where}: unknown {sorted(extra)}")


def string_list(value, where: str) -> list:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Refusal(40035, f"{where} must be a list of strings")
    return value


class Service:
    """One stand-in service: its contract in `handle`, its listening socket, its down modes."""

    name = ""
    robot_window = None

    def __init__(self, config: dict, clock: Clock, recorder: Recorder) -> None:
        self.config = config
        self.clock = clock
        self.recorder = recorder
        self.lock = threading.Lock()
        self.down_mode: str | None = None
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle
    def start(self, port: int = 0) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 10

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                service.dispatch(self, "GET")

            def do_POST(self):
                service.dispatch(self, "POST")

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        self.server = server
        self.port = server.server_address[1]
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.name, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def go_down(self, mode: str) -> None:
        if mode not in ("refuse", "error", "reset"):
            raise ValueError(f"unknown down mode {mode}")
        self.down_mode = mode
        if mode == "refuse":
            self.stop()

    def come_up(self) -> None:
        if self.down_mode == "refuse":
            self.start(self.port)
        self.down_mode = None

    # -- requests
    def dispatch(self, h: BaseHTTPRequestHandler, method: str) -> None:
        now = self.clock.now()
        if self.down_mode == "reset":
            h.close_connection = True
            try:
                h.connection.shutdown(2)
            except OSError:
                pass
            return
        if self.down_mode == "error":
            # Recorded before answering, so a client that has its answer finds the record.
            self.recorder.add({"service": self.name, "time": now, "method": method, "path": h.path,
                               "accepted": False, "http_status": 502, "errcode": None, "down": True})
            body = b"<html><body>502 Bad Gateway</body></html>"
            h.send_response(502)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        length = int(h.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            h.send_response(413)
            h.send_header("Content-Length", "0")
            h.send_header("Connection", "close")
            h.end_headers()
            h.close_connection = True
            return
        raw = h.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(h.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        record = {"service": self.name, "time": now, "method": method, "path": url.path, "query": url.query,
                  "content_type": h.headers.get("Content-Type"), "body": raw.decode("utf-8", errors="replace"),
                  "body_bytes": len(raw), "u_escaped": has_u_escape(raw)}
        try:
            with self.lock:
                answer, extra = self.handle(method, url.path, query, raw, h.headers, now)
            record.update(extra)
            status, payload = 200, answer
            record.update(accepted=answer.get("errcode") == 0, errcode=answer.get("errcode"), http_status=200)
        except Refusal as r:
            status, payload = r.http_status, {"errcode": r.errcode, "errmsg": r.errmsg}
            record.update(accepted=False, errcode=r.errcode, errmsg=r.errmsg, http_status=r.http_status)
        self.recorder.add(record)
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def handle(self, method, path, query, raw, headers, now):  # pragma: no cover - overridden
        raise Refusal(404, "no such path", 404)

    @staticmethod
    def one(query: dict, name: str) -> str | None:
        values = query.get(name)
        if not values:
            return None
        if len(values) > 1:
            raise Refusal(40035, f"{name} given {len(values)} times")
        return values[0]


class WeComRobot(Service):
    """企业微信群机器人."""

    name = "wecom-robot"

    def __init__(self, config, clock, recorder):
        super().__init__(config, clock, recorder)
        self.keys = set(config.get("keys", []))
        self.window = SlidingWindow(config.get("per_minute", 20), MINUTE)

    def handle(self, method, path, query, raw, headers, now):
        if path != "/cgi-bin/webhook/send":
            raise Refusal(404, f"no such path {path}", 404)
        if method != "POST":
            raise Refusal(405, "POST only", 405)
        key = self.one(query, "key")
        if key is None or key not in self.keys:
            raise Refusal(93000, "invalid webhook url, hint: key not found")
        extra_params = set(query) - {"key", "debug"}
        if extra_params:
            raise Refusal(40035, f"unknown query parameters {sorted(extra_params)}")
        body = parse_json_object(raw, headers)
        msgtype = body.get("msgtype")
        if msgtype == "text":
            exact_keys(body, {"msgtype", "text"}, set(), "body")
            text = body["text"]
            if not isinstance(text, dict):
                raise Refusal(40035, "text must be an object")
            exact_keys(text, {"content"}, {"mentioned_list", "mentioned_mobile_list"}, "text")
            content = text["content"]
            if not isinstance(content, str) or not content:
                raise Refusal(40035, "text.content must be a non-empty string")
            for k in ("mentioned_list", "mentioned_mobile_list"):
                if k in text:
                    string_list(text[k], f"text.{k}")
            if utf8_len(content) > 2048:
                raise Refusal(40058, f"text.content exceed max length 2048. invalid Request Parameter ({utf8_len(content)} bytes)")
        elif msgtype == "markdown":
            exact_keys(body, {"msgtype", "markdown"}, set(), "body")
            md = body["markdown"]
            if not isinstance(md, dict):
                raise Refusal(40035, "markdown must be an object")
            exact_keys(md, {"content"}, set(), "markdown")
            content = md["content"]
            if not isinstance(content, str) or not content:
                raise Refusal(40035, "markdown.content must be a non-empty string")
            if utf8_len(content) > 4096:
                raise Refusal(40058, f"markdown.content exceed max length 4096. invalid Request Parameter ({utf8_len(content)} bytes)")
        else:
            raise Refusal(40008, f"invalid message type {msgtype!r}")
        if self.window.full(key, now):
            raise Refusal(45009, "api freq out of limit")
        self.window.add(key, now)
        return {"errcode": 0, "errmsg": "ok"}, {"destination": key, "content": body}


class WeComApp(Service):
    """企业微信自建应用: access tokens and application messages to persons."""

    name = "wecom-app"

    def __init__(self, config, clock, recorder):
        super().__init__(config, clock, recorder)
        self.corp_id = config.get("corp_id", "")
        self.secret = config.get("secret", "")
        self.agent_id = config.get("agent_id", 0)
        self.users = {u.lower() for u in config.get("users", [])}
        self.tokens: dict[str, dict] = {}  # token -> {"expires": t, "state": "ok"|"expired"|"invalid"}
        self.minute = SlidingWindow(config.get("per_minute", 30), MINUTE)
        self.hour = SlidingWindow(config.get("per_hour", 1000), HOUR)
        self.recent: dict[str, float] = {}  # duplicate check: body text -> time sent
        self.token_requests = 0

    def expire_tokens(self):
        with self.lock:
            for t in self.tokens.values():
                t["state"] = "expired"

    def invalidate_tokens(self):
        with self.lock:
            for t in self.tokens.values():
                t["state"] = "invalid"

    def handle(self, method, path, query, raw, headers, now):
        if path == "/cgi-bin/gettoken":
            return self.get_token(method, query, now)
        if path == "/cgi-bin/message/send":
            return self.send(method, query, raw, headers, now)
        raise Refusal(404, f"no such path {path}", 404)

    def live_token(self, now):
        for value, t in self.tokens.items():
            if t["state"] == "ok" and t["expires"] > now:
                return value, t
        return None, None

    def get_token(self, method, query, now):
        if method != "GET":
            raise Refusal(405, "GET only", 405)
        self.token_requests += 1
        corp = self.one(query, "corpid")
        secret = self.one(query, "corpsecret")
        if not corp:
            raise Refusal(41002, "corpid missing")
        if corp != self.corp_id:
            raise Refusal(40013, "invalid corpid")
        if not secret:
            raise Refusal(41004, "corpsecret missing")
        if not hmac.compare_digest(secret, self.secret):
            raise Refusal(40001, "invalid credential")
        # As the service does: the same token again while it is valid.
        value, t = self.live_token(now)
        if value is None:
            value = secrets.token_urlsafe(48)
            t = {"expires": now + 7200, "state": "ok"}
            self.tokens[value] = t
        return ({"errcode": 0, "errmsg": "ok", "access_token": value, "expires_in": 7200},
                {"destination": corp, "token_issued": True})

    def send(self, method, query, raw, headers, now):
        if method != "POST":
            raise Refusal(405, "POST only", 405)
        token = self.one(query, "access_token")
        if not token:
            raise Refusal(41001, "access_token missing")
        t = self.tokens.get(token)
        if t is None or t["state"] == "invalid":
            raise Refusal(40014, "invalid access_token")
        if t["state"] == "expired" or t["expires"] <= now:
            raise Refusal(42001, "access_token expired")
        if set(query) - {"access_token", "debug"}:
            raise Refusal(40035, f"unknown query parameters {sorted(set(query) - {'access_token'})}")
        body = parse_json_object(raw, headers)
        exact_keys(body, {"touser", "msgtype", "agentid", "text"},
                   {"enable_duplicate_check", "duplicate_check_interval", "safe", "enable_id_trans"}, "body")
        if body["msgtype"] != "text":
            raise Refusal(40008, f"invalid message type {body['msgtype']!r}")
        if not isinstance(body["agentid"], int) or isinstance(body["agentid"], bool):
            raise Refusal(40035, "agentid must be a number")
        if body["agentid"] != self.agent_id:
            raise Refusal(40056, "invalid agentid")
        text = body["text"]
        if not isinstance(text, dict):
            raise Refusal(40035, "text must be an object")
        exact_keys(text, {"content"}, set(), "text")
        content = text["content"]
        if not isinstance(content, str) or not content:
            raise Refusal(40035, "text.content must be a non-empty string")
        if utf8_len(content) > 2048:
            raise Refusal(40058, f"text.content exceed max length 2048 ({utf8_len(content)} bytes)")
        check = body.get("enable_duplicate_check", 0)
        interval = body.get("duplicate_check_interval", 1800)
        if check not in (0, 1) or not isinstance(interval, int) or not (0 < interval <= 4 * HOUR):
            raise Refusal(40035, "enable_duplicate_check must be 0 or 1, duplicate_check_interval 1..14400")
        touser = body["touser"]
        if not isinstance(touser, str) or not touser:
            raise Refusal(40035, "touser must be a non-empty string")
        users = touser.split("|")
        if len(users) > 1000:
            raise Refusal(40035, "touser lists more than 1000 users")
        valid = [u for u in users if u.lower() in self.users]
        invalid = [u.lower() for u in users if u.lower() not in self.users]
        if not valid:
            raise Refusal(81013, "user & party & tag all invalid")
        for u in valid:
            key = u.lower()
            if self.minute.full(key, now) or self.hour.full(key, now):
                raise Refusal(45009, f"api freq out of limit for user {key}")
        suppressed = False
        if check == 1:
            signature = json.dumps(body, sort_keys=True, ensure_ascii=False)
            sent = self.recent.get(signature)
            suppressed = sent is not None and now - sent < interval
            if not suppressed:
                self.recent[signature] = now
        if not suppressed:
            for u in valid:
                self.minute.add(u.lower(), now)
                self.hour.add(u.lower(), now)
        answer = {"errcode": 0, "errmsg": "ok", "msgid": secrets.token_hex(8)}
        if invalid:
            answer["invaliduser"] = "|".join(invalid)
        return answer, {"destination": "|".join(u.lower() for u in valid), "content": body,
                        "invaliduser": invalid, "duplicate_suppressed": suppressed}


class DingTalkRobot(Service):
    """钉钉自定义机器人, 加签 or keywords."""

    name = "dingtalk-robot"

    def __init__(self, config, clock, recorder):
        super().__init__(config, clock, recorder)
        # access_token -> {"secret": str|None, "keywords": [str]}
        self.robots: dict[str, dict] = config.get("robots", {})
        self.window = SlidingWindow(config.get("per_minute", 20), MINUTE)
        self.blocked_until: dict[str, float] = {}
        self.block_seconds = config.get("block_seconds", 600)

    @staticmethod
    def signature(timestamp: str, secret: str) -> str:
        digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
        return base64.b64encode(digest).decode("ascii")

    def handle(self, method, path, query, raw, headers, now):
        if path != "/robot/send":
            raise Refusal(404, f"no such path {path}", 404)
        if method != "POST":
            raise Refusal(405, "POST only", 405)
        token = self.one(query, "access_token")
        robot = self.robots.get(token or "")
        if robot is None:
            raise Refusal(300001, "token is not exist")
        if set(query) - {"access_token", "timestamp", "sign"}:
            raise Refusal(40035, f"unknown query parameters {sorted(set(query) - {'access_token', 'timestamp', 'sign'})}")
        if len(raw) >= 20000:
            raise Refusal(460101, f"message too long, exceed 20000 bytes ({len(raw)})")
        secret = robot.get("secret")
        if secret:
            ts = self.one(query, "timestamp")
            sign = self.one(query, "sign")
            if ts is None or sign is None:
                raise Refusal(310000, "sign not match: timestamp and sign required")
            if not ts.isdigit():
                raise Refusal(310000, "sign not match: timestamp is not milliseconds")
            if abs(int(ts) / 1000 - now) > HOUR:
                raise Refusal(310000, "sign not match: timestamp is more than an hour from now")
            if not hmac.compare_digest(sign, self.signature(ts, secret)):
                raise Refusal(310000, "sign not match")
        elif "sign" in query or "timestamp" in query:
            raise Refusal(310000, "sign given to a robot without 加签")
        body = parse_json_object(raw, headers)
        msgtype = body.get("msgtype")
        if msgtype == "text":
            exact_keys(body, {"msgtype", "text"}, {"at"}, "body")
            text = body["text"]
            if not isinstance(text, dict):
                raise Refusal(40035, "text must be an object")
            exact_keys(text, {"content"}, set(), "text")
            content = text["content"]
            if not isinstance(content, str) or not content:
                raise Refusal(40035, "text.content must be a non-empty string")
            searchable = content
        elif msgtype == "markdown":
            exact_keys(body, {"msgtype", "markdown"}, {"at"}, "body")
            md = body["markdown"]
            if not isinstance(md, dict):
                raise Refusal(40035, "markdown must be an object")
            exact_keys(md, {"title", "text"}, set(), "markdown")
            if not isinstance(md["title"], str) or not md["title"].strip():
                raise Refusal(40035, "markdown.title is required")
            if not isinstance(md["text"], str) or not md["text"].strip():
                raise Refusal(40035, "markdown.text is required")
            searchable = md["title"] + md["text"]
        else:
            raise Refusal(40035, f"msgtype {msgtype!r} not supported by this stand-in")
        if "at" in body:
            at = body["at"]
            if not isinstance(at, dict):
                raise Refusal(40035, "at must be an object")
            exact_keys(at, set(), {"atMobiles", "atUserIds", "isAtAll"}, "at")
            for k in ("atMobiles", "atUserIds"):
                if k in at:
                    string_list(at[k], f"at.{k}")
            if "isAtAll" in at and not isinstance(at["isAtAll"], bool):
                raise Refusal(40035, "at.isAtAll must be true or false")
        keywords = robot.get("keywords") or []
        if keywords and not any(k in searchable for k in keywords):
            raise Refusal(310000, "keywords not in content")
        if self.blocked_until.get(token, 0) > now:
            raise Refusal(130101, "send too fast, exceed 20 times per minute")
        if self.window.full(token, now):
            self.blocked_until[token] = now + self.block_seconds
            raise Refusal(130101, "send too fast, exceed 20 times per minute")
        self.window.add(token, now)
        return {"errcode": 0, "errmsg": "ok"}, {"destination": token, "content": body}


KINDS = {cls.name: cls for cls in (WeComRobot, WeComApp, DingTalkRobot)}


class StandIns:
    """The three stand-ins and a control server, in this process."""

    def __init__(self, config: dict, record_path: str | None = None) -> None:
        self.clock = Clock()
        self.recorder = Recorder(record_path)
        self.services: dict[str, Service] = {}
        for name in SERVICES:
            if name in config:
                self.services[name] = KINDS[name](config[name], self.clock, self.recorder)
        self.control: ThreadingHTTPServer | None = None
        self.quit = threading.Event()

    def start(self) -> dict:
        for s in self.services.values():
            s.start()
        self.control = self._control_server()
        return self.ports()

    def ports(self) -> dict:
        ports = {name: s.port for name, s in self.services.items()}
        if self.control:
            ports["control"] = self.control.server_address[1]
        return ports

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.services[name].port}"

    def stop(self) -> None:
        for s in self.services.values():
            s.stop()
        if self.control:
            self.control.shutdown()
            self.control.server_close()
            self.control = None

    def received(self, service: str | None = None) -> list[dict]:
        return self.recorder.select(service)

    def _control_server(self) -> ThreadingHTTPServer:
        owner = self

        class Control(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 10

            def log_message(self, *args):
                pass

            def answer(self, value, status=200):
                body = json.dumps(value, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/clock":
                    self.answer({"now": owner.clock.now(), "offset": owner.clock.offset})
                elif url.path == "/received":
                    self.answer(owner.received(q.get("service")))
                else:
                    self.answer({"error": "no such path"}, 404)

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                q = dict(urllib.parse.parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(min(length, MAX_BODY))
                try:
                    if url.path == "/clock":
                        if "advance" in q:
                            owner.clock.advance(float(q["advance"]))
                        elif "offset" in q:
                            owner.clock.set_offset(float(q["offset"]))
                        elif "set" in q:
                            owner.clock.set(float(q["set"]))
                        self.answer({"now": owner.clock.now(), "offset": owner.clock.offset})
                    elif url.path == "/down":
                        owner.services[q["service"]].go_down(q.get("mode", "refuse"))
                        self.answer({"ok": True})
                    elif url.path == "/up":
                        owner.services[q["service"]].come_up()
                        self.answer({"ok": True})
                    elif url.path == "/tokens/expire":
                        owner.services["wecom-app"].expire_tokens()
                        self.answer({"ok": True})
                    elif url.path == "/tokens/invalidate":
                        owner.services["wecom-app"].invalidate_tokens()
                        self.answer({"ok": True})
                    elif url.path == "/quit":
                        self.answer({"ok": True})
                        owner.quit.set()
                    else:
                        self.answer({"error": "no such path"}, 404)
                except (KeyError, ValueError) as e:
                    self.answer({"error": str(e)}, 400)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Control)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="control", daemon=True).start()
        return server


def serve(args) -> int:
    with open(args.config, encoding="utf-8") as f:
        config = json.load(f)
    os.makedirs(args.state, exist_ok=True)
    standins = StandIns(config, os.path.join(args.state, "received.jsonl"))
    if args.clock is not None:
        standins.clock.set(args.clock)
    ports = standins.start()
    tmp = os.path.join(args.state, "ports.json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(ports, f)
    os.replace(tmp, os.path.join(args.state, "ports.json"))
    standins.quit.wait(timeout=args.lifetime)
    standins.stop()
    return 0


def sign(args) -> int:
    """Prints the DingTalk signature of a timestamp: for tests in other languages."""
    value = DingTalkRobot.signature(args.timestamp, args.secret)
    print(urllib.parse.quote(value, safe="") if args.urlencode else value)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the stand-ins until --lifetime seconds pass or /quit")
    s.add_argument("--config", required=True)
    s.add_argument("--state", required=True)
    s.add_argument("--lifetime", type=float, default=3600)
    s.add_argument("--clock", type=float, help="start the stand-ins' clock at this epoch (seconds)")
    g = sub.add_parser("sign", help="the DingTalk signature of TIMESTAMP with SECRET")
    g.add_argument("timestamp")
    g.add_argument("secret")
    g.add_argument("--urlencode", action="store_true")
    args = ap.parse_args(argv)
    return serve(args) if args.command == "serve" else sign(args)


if __name__ == "__main__":
    sys.exit(main())
