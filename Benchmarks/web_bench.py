#!/usr/bin/env python3
"""The web desk under load: `plankeeper serve` on the large city (2,066
branches), a year of records, and Debian's wrk with 64 connections.

    python3 Benchmarks/web_bench.py --bin BIN [--quick] [--write docs/benchmarks.md]

Measures, on this machine (wrk and the server share its cores):
- 我的待办 of one branch secretary: requests per second and latency
  percentiles under `wrk -c64` (target: p99 < 50 ms at >= 500 req/s);
- the city health commission's 督导 board (all 2,066 branches) one request
  at a time: median and worst of 20 (target: < 300 ms);
- the server's peak resident memory over the whole run (target: < 150 MB).

Records: 70 % of the occurrences due before the bench day are recorded
(straight into the ledger's SQLite, as `plankeeper done` would write them),
so the pages show a lived-in year. People sign in the way they do on the
desk: a link mailed to the spool, opened, confirmed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import email
import email.policy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402  (the city generator's cache and helpers)

NOW = "2026-11-20T10:00"
TODAY = dt.date(2026, 11, 20)
BEGIN = "<!-- BEGIN scripts/bench web results: generated, do not edit by hand -->"
END = "<!-- END scripts/bench web results -->"


def log(msg):
    print(f"web-bench: {msg}", file=sys.stderr, flush=True)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(base, plans, port):
    path = os.path.join(base, "plankeeper.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""# Web benchmark configuration (written by Benchmarks/web_bench.py).
plans: {plans}
holidays: null
state: {base}/state
spool: {base}/spool
timezone: Asia/Shanghai
language: zh
mail:
  from: 党建工作计划提醒 <plankeeper@bench.example>
  transport: none
web:
  listen: 127.0.0.1:{port}
  url: http://127.0.0.1:{port}
  admins: [卫健委 <commission@bench.example>]
  limits:
    sign-in-per-client: 1000/1h
""")
    return path


def seed_records(binary, plans, base):
    """Records for 70 % of what fell due before the bench day, in one transaction."""
    p = subprocess.run([binary, "schedule", "--format", "json", "--to", str(TODAY), plans],
                       capture_output=True, check=False)
    if p.returncode not in (0, 1):
        raise SystemExit(f"schedule failed: {p.stderr.decode()[:400]}")
    occurrences = json.loads(p.stdout)
    rng = random.Random(17)
    rows = []
    for o in occurrences:
        due = dt.date.fromisoformat(o["due"])
        if due < TODAY and rng.random() < 0.7:
            done = due - dt.timedelta(days=rng.randint(0, 5)) if rng.random() < 0.8 else due + dt.timedelta(days=rng.randint(1, 9))
            done = min(done, TODAY)
            rows.append((o["plan"], o["item"], o["period"], done.isoformat(), "bench", None, int(time.time())))
    db = sqlite3.connect(os.path.join(base, "state", "plankeeper.sqlite"))
    with db:
        db.executemany('INSERT INTO record (plan, item, period, done_on, "by", note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)', rows)
    db.close()
    return len(occurrences), len(rows)


class Person:
    """A browser without a browser: cookies, the form token, the mailed link."""

    def __init__(self, url, spool):
        self.url = url
        self.spool = spool
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path):
        with self.opener.open(self.url + path, timeout=60) as r:
            return r.status, r.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(self.url + path, data=data), timeout=60) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    @staticmethod
    def token(page):
        return re.search(r'name="_csrf" value="([0-9a-f]+)"', page).group(1)

    def sign_in(self, address):
        before = set(os.listdir(self.spool)) if os.path.isdir(self.spool) else set()
        _, page = self.get("/signin")
        self.post("/signin", {"_csrf": self.token(page), "address": address})
        deadline = time.monotonic() + 20
        while True:
            new = [n for n in (os.listdir(self.spool) if os.path.isdir(self.spool) else []) if n not in before]
            if new:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"no sign-in mail for {address}")
            time.sleep(0.05)
        message = email.message_from_bytes(open(os.path.join(self.spool, new[0]), "rb").read(), policy=email.policy.default)
        link = re.search(r"/signin/[a-z2-7]+", message.get_body(preferencelist=("plain",)).get_content()).group(0)
        _, page = self.get(link)
        status, _ = self.post(link, {"_csrf": self.token(page)})
        assert status == 303, status
        return "; ".join(f"{c.name}={c.value}" for c in self.jar if c.name == "pk_session")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_303(self, req, fp, code, msg, headers):
        return fp

    http_error_302 = http_error_301 = http_error_303


def peak_rss(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024


def wrk(url, cookie, seconds, connections=64, rate=None, base=None):
    """wrk with `connections` connections: flat out, or paced to `rate`
    requests per second in all (each connection waits connections/rate
    between requests, wrk's Lua `delay()`), where latency means something."""
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Cookie: {cookie}"]
    if rate:
        script = os.path.join(base, "pace.lua")
        with open(script, "w") as f:
            pause = connections * 1000 // rate - 3  # less the few milliseconds a request takes
            f.write(f"-- {connections} connections, one request each every {pause} ms + its latency: {rate} requests/s offered\n"
                    f"function delay() return {pause} end\n")
        argv += ["-s", script]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p90": ms("90"), "p99": ms("99"), "non2xx": int(errors.group(1)) if errors else 0, "raw": out}


def timed(person, path, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        status, body = person.get(path)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200, status
    return times, len(body)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--write")
    args = ap.parse_args(argv)
    branches = 144 if args.quick else bench.LARGE
    seconds = 5 if args.quick else 30
    load = open("/proc/loadavg").read().split()[0]
    folder, _ = bench.city(branches)
    base = os.path.join(bench.WORK, f"web-{branches}")
    subprocess.run(["rm", "-rf", base], check=True)
    os.makedirs(base)
    port = free_port()
    config = write_config(base, folder, port)
    # The ledger must exist (migrated) before records go in: a first run creates it.
    subprocess.run([args.bin, "records", "--config", config], capture_output=True, check=True)
    total, recorded = seed_records(args.bin, folder, base)
    log(f"city of {branches:,} branches: {total:,} occurrences due by {TODAY}, {recorded:,} recorded")

    secretaries = []
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))[:21]:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                m = re.search(r"secretary:\s*\S+\s*<([^>]+)>", line)
                if m:
                    secretaries.append(m.group(1))
                    break
    secretary = secretaries[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANKEEPER_", "LISTEN_"))}
    env["PLANKEEPER_LOG"] = "stderr"
    log_file = open(os.path.join(base, "serve.log"), "wb")
    t0 = time.monotonic()
    server = subprocess.Popen([args.bin, "serve", "--config", config, "--now", NOW], stdout=log_file, stderr=log_file, env=env)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() - t0 > 120:
                raise SystemExit(open(os.path.join(base, "serve.log")).read()[-2000:])
            time.sleep(0.1)
    startup = time.monotonic() - t0
    log(f"serve answered after {startup:.2f} s; RSS {peak_rss(server.pid)[1]:.0f} MB")
    try:
        spool = os.path.join(base, "spool", "new")
        person = Person(url, spool)
        cookie = person.sign_in(secretary)
        status, page = person.get("/todo")
        assert status == 200 and "我的待办" in page
        todo_bytes = len(page.encode())
        subprocess.run(["wrk", "-t1", "-c8", "-d2s", "-H", f"Cookie: {cookie}", url + "/todo"], capture_output=True)  # warm-up
        todo = wrk(url + "/todo", cookie, seconds, rate=500, base=base)
        log(f"我的待办 at 500 req/s over 64 connections: {todo['rps']:.0f} req/s, p50 {todo['p50']:.1f} ms, p99 {todo['p99']:.1f} ms, non-2xx {todo['non2xx']}")
        flat = wrk(url + "/todo", cookie, seconds)
        log(f"我的待办 flat out over 64 connections: {flat['rps']:.0f} req/s, p50 {flat['p50']:.1f} ms, p99 {flat['p99']:.1f} ms")
        # First views: twenty other secretaries, each page built for the first time.
        first = []
        for address in secretaries[1:]:
            other = Person(url, spool)
            other.sign_in(address)
            t0 = time.perf_counter()
            status, _ = other.get("/todo")
            first.append((time.perf_counter() - t0) * 1000)
            assert status == 200
        log(f"我的待办 first views: median {statistics.median(first):.1f} ms, worst {max(first):.1f} ms")
        commission = Person(url, spool)
        commission.sign_in("commission@bench.example")
        board_runs = 5 if args.quick else 20
        board, board_bytes = timed(commission, "/board", board_runs)
        log(f"督导 board, {branches:,} branches: median {statistics.median(board):.0f} ms, worst {max(board):.0f} ms, {board_bytes / 1024:.0f} KB")
        year, _ = timed(commission, "/board?period=2026", max(3, board_runs // 4))
        log(f"督导 board for the year: median {statistics.median(year):.0f} ms")
        hwm, rss = peak_rss(server.pid)
        log(f"RSS now {rss:.0f} MB, peak {hwm:.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "branches": branches, "occurrences": total, "records": recorded, "startup": startup, "todo": todo, "flat": flat, "first": first,
        "todo_bytes": todo_bytes, "board": board, "board_bytes": board_bytes, "year": year, "hwm": hwm, "rss": rss,
        "seconds": seconds, "machine": bench.machine(), "load": load,
    }
    section = report(result)
    print(section)
    if args.write:
        text = open(args.write, encoding="utf-8").read()
        block = BEGIN + "\n" + section + "\n" + END
        if BEGIN in text and END in text:
            text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n## The web desk under load\n\n" + block + "\n"
        open(args.write, "w", encoding="utf-8").write(text)
    return 0


def report(r):
    t = r["todo"]
    board = r["board"]
    m = r["machine"]
    def v(ok):
        return "met" if ok else "**not met**"
    return f"""Measured by `scripts/bench --web` on {dt.date.today()} at {m.get('commit', '?')} ({m.get('cpu', 'this machine')}, {m.get('cores', '?')} cores;
wrk and the server share them; load average {r['load']} before the run, from other work on the machine). The city: {r['branches']:,} branches, {r['occurrences']:,} occurrences
due by {TODAY} of which {r['records']:,} recorded; `plankeeper serve --now {NOW}`.

| what | figure | target |
|---|---|---|
| 我的待办 of one secretary, 500 req/s offered over 64 connections (`wrk -t2 -c64 -d{r['seconds']}s`, paced by `delay()`) | {t['rps']:,.0f} req/s served; latency p50 {t['p50']:.1f} ms, p90 {t['p90']:.1f} ms, p99 {t['p99']:.1f} ms; {t['non2xx']} non-2xx; page {r['todo_bytes'] / 1024:.0f} KB | p99 < 50 ms at ≥ 500 req/s: {v(t['p99'] < 50 and t['rps'] >= 495)} |
| the same, flat out (no pacing) | {r['flat']['rps']:,.0f} req/s; p50 {r['flat']['p50']:.1f} ms, p99 {r['flat']['p99']:.1f} ms | — (the most it serves) |
| 我的待办 seen for the first time (built, not kept): 20 other secretaries, one request at a time | median {statistics.median(r['first']):.1f} ms, worst {max(r['first']):.1f} ms | — |
| 督导 board of the whole city (the month), one request at a time | median {statistics.median(board):.0f} ms, worst {max(board):.0f} ms of {len(board)}; page {r['board_bytes'] / 1024:.0f} KB | < 300 ms: {v(statistics.median(board) < 300)} |
| 督导 board for the whole year | median {statistics.median(r['year']):.0f} ms | — |
| server memory | peak {r['hwm']:.0f} MB, {r['rss']:.0f} MB at the end | < 150 MB: {v(r['hwm'] < 150)} |
| start-up to the first answer (plans parsed) | {r['startup']:.2f} s | — |
"""


if __name__ == "__main__":
    sys.exit(main())
