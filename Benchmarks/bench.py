#!/usr/bin/env python3
"""City-scale benchmark of plankeeper (driven by scripts/bench, which builds first).

    python3 Benchmarks/bench.py --bin PATH/plankeeper [--quick] [--runs 5] [--write FILE]

Measures, on generated cities (Benchmarks/generate_city.py):

1. `check` + `schedule --format json` of the large city (2,066 branches) for a
   year, side by side with Remind (`remind -s12`) on the equivalent reminders
   file, interleaved in one run, median of --runs; first it checks that Remind's
   dates equal plankeeper's (Benchmarks/compare_remind.py).
2. The growth table: check and schedule at 144, 500, 2,066 and 10,000 branches.
3. The daemon on the large city: start-up to READY=1 (on a NOTIFY_SOCKET
   datagram socket, as systemd listens), peak RSS (VmHWM), one `tick` that
   spools a day's notices for every branch (notices/s), reload after one plan
   file is edited until the new plan is in force, and CPU and wake-ups while
   idle (from /proc/PID/task/*/schedstat).

Prints progress on stderr and a markdown results section on stdout; with
--write FILE the section replaces the generated part of FILE (docs/benchmarks.md).
Exit status 0 when everything ran (targets met or not), 1 when something failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(ROOT, ".build-bench", "bench")
YEAR = 2026
LARGE = 2066
GROWTH = [144, 500, 2066, 10000]
BEGIN = "<!-- BEGIN scripts/bench results: generated, do not edit by hand -->"
END = "<!-- END scripts/bench results -->"


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


class Failure(Exception):
    pass


# MARK: Processes


GNU_TIME = "/usr/bin/time"


def run_measured(argv: list[str], stdout=subprocess.DEVNULL, env=None, check_exit=True) -> dict:
    """Runs a command: wall seconds, CPU seconds (wait4) and peak RSS in MB.

    The peak RSS comes from GNU time's %M: the rusage of a child forked from
    this (large) Python process would count the memory it had before exec.
    """
    err = tempfile.TemporaryFile()
    rss_file = tempfile.NamedTemporaryFile(prefix="rss-", dir=WORK, delete=False)
    rss_file.close()
    t0 = time.perf_counter()
    p = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", rss_file.name] + argv, stdout=stdout, stderr=err, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    lines = [x for x in open(rss_file.name).read().splitlines() if x.strip()]
    os.remove(rss_file.name)
    rss_kb = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
    if check_exit and p.returncode != 0:
        raise Failure(f"{' '.join(argv[:3])}... exited {p.returncode}: {stderr[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": rss_kb / 1024, "stderr": stderr,
            "code": p.returncode}


def med(xs):
    return statistics.median(xs)


def fmt(x, digits=2):
    return f"{x:,.{digits}f}"


# MARK: Cities


def city(branches: int) -> tuple[str, str]:
    """The city folder and its Remind file, generated unless already there from the same generator."""
    gen = os.path.join(HERE, "generate_city.py")
    digest = hashlib.sha256(open(gen, "rb").read()).hexdigest()[:16]
    holidays = "".join(sorted(os.listdir(os.path.join(ROOT, "Sources", "WorkCalendar", "Holidays"))))
    stamp_text = f"branches={branches} year={YEAR} generator={digest} holidays={holidays}\n"
    folder = os.path.join(WORK, f"city-{branches}")
    remind = folder + ".rem"
    stamp = folder + ".stamp"
    if not (os.path.isdir(folder) and os.path.exists(remind) and os.path.exists(stamp)
            and open(stamp).read() == stamp_text):
        log(f"generating a city of {branches:,} branches")
        if os.path.exists(stamp):
            os.remove(stamp)
        subprocess.run([sys.executable, gen, "--branches", str(branches), "--year", str(YEAR),
                        "--out", folder, "--remind", remind], check=True)
        open(stamp, "w").write(stamp_text)
    return folder, remind


def city_facts(folder: str, remind: str) -> dict:
    files = [f for f in os.listdir(folder) if f.endswith(".yaml")]
    items = 0
    size = 0
    for f in files:
        path = os.path.join(folder, f)
        size += os.path.getsize(path)
        with open(path, encoding="utf-8") as fh:
            items += sum(1 for line in fh if line.startswith("  - id: "))
    rules = sum(1 for line in open(remind, encoding="utf-8") if line.startswith("REM "))
    return {"plans": len(files), "items": items, "bytes": size, "rules": rules}


# MARK: 1. Side by side with Remind


def versus_remind(binary: str, runs: int, quick: bool) -> dict:
    folder, remind = city(144 if quick else LARGE)
    facts = city_facts(folder, remind)
    log(f"checking the city: {facts['plans']:,} plans, {facts['items']:,} items")
    chk = run_measured([binary, "check", folder])
    warnings = chk["stderr"].count(": warning: ")
    errors = chk["stderr"].count(": error: ")
    if errors:
        raise Failure(f"plankeeper check reports {errors} errors on the generated city")
    schedule_json = os.path.join(WORK, "schedule.json")
    remind_out = os.path.join(WORK, "remind.out")
    rows = []
    for i in range(runs):
        log(f"run {i + 1}/{runs}: plankeeper check + schedule, then remind -s12")
        c = run_measured([binary, "check", folder])
        with open(schedule_json, "w") as out:
            s = run_measured([binary, "schedule", "--format", "json", folder], stdout=out)
        with open(remind_out, "w") as out:
            r = run_measured(["remind", "-s12", remind, "1", "Jan", str(YEAR)], stdout=out)
        if i == 0:
            cmp = subprocess.run([sys.executable, os.path.join(HERE, "compare_remind.py"), "--year", str(YEAR),
                                  schedule_json, remind_out], capture_output=True, text=True)
            equivalence = cmp.stdout.strip()
            log(equivalence.splitlines()[0])
            if cmp.returncode != 0:
                raise Failure("Remind and plankeeper disagree on due dates:\n" + equivalence)
            occurrences = len(json.load(open(schedule_json, encoding="utf-8")))
        rows.append({"check": c, "schedule": s, "remind": r})
        log(f"  plankeeper {c['wall'] + s['wall']:.2f} s (check {c['wall']:.2f} + schedule {s['wall']:.2f}), "
            f"remind {r['wall']:.1f} s")
    pk_wall = [r["check"]["wall"] + r["schedule"]["wall"] for r in rows]
    pk_cpu = [r["check"]["cpu"] + r["schedule"]["cpu"] for r in rows]
    rm_wall = [r["remind"]["wall"] for r in rows]
    rm_cpu = [r["remind"]["cpu"] for r in rows]
    return {
        "facts": facts, "warnings": warnings, "occurrences": occurrences, "equivalence": equivalence.splitlines()[0],
        "rows": rows,
        "check_wall": med([r["check"]["wall"] for r in rows]), "schedule_wall": med([r["schedule"]["wall"] for r in rows]),
        "check_rss": max(r["check"]["rss"] for r in rows), "schedule_rss": max(r["schedule"]["rss"] for r in rows),
        "pk_wall": med(pk_wall), "pk_cpu": med(pk_cpu), "rm_wall": med(rm_wall), "rm_cpu": med(rm_cpu),
        "pk_wall_range": (min(pk_wall), max(pk_wall)), "rm_wall_range": (min(rm_wall), max(rm_wall)),
        "rm_rss": max(r["remind"]["rss"] for r in rows),
    }


# MARK: 2. Growth


def growth(binary: str, sizes: list[int], runs: int) -> list[dict]:
    table = []
    for n in sizes:
        folder, remind = city(n)
        facts = city_facts(folder, remind)
        c, s = [], []
        for i in range(runs):
            c.append(run_measured([binary, "check", folder]))
            s.append(run_measured([binary, "schedule", "--format", "json", folder]))
        row = {"branches": n, "facts": facts,
               "check_wall": med([x["wall"] for x in c]), "check_cpu": med([x["cpu"] for x in c]),
               "check_rss": max(x["rss"] for x in c),
               "schedule_wall": med([x["wall"] for x in s]), "schedule_cpu": med([x["cpu"] for x in s]),
               "schedule_rss": max(x["rss"] for x in s)}
        log(f"growth {n:,}: check {row['check_wall']:.2f} s ({row['check_cpu']:.2f} s CPU, {row['check_rss']:.0f} MB), "
            f"schedule {row['schedule_wall']:.2f} s ({row['schedule_cpu']:.2f} s CPU, {row['schedule_rss']:.0f} MB)")
        table.append(row)
    return table


# MARK: 3. The daemon


def write_config(base: str, plans: str) -> str:
    os.makedirs(os.path.join(base, "holidays"), exist_ok=True)
    path = os.path.join(base, "plankeeper.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"""# Benchmark configuration (written by Benchmarks/bench.py).
plans: {plans}
holidays: {base}/holidays
state: {base}/state
spool: {base}/spool
timezone: Asia/Shanghai
send-at: "08:30"
language: en
mail:
  from: 党建工作计划提醒 <plankeeper@bench.example>
  transport: none
""")
    return path


def busiest_day(schedule_json: str) -> dt.date:
    """The working day of the first half-year with the most due dates and reminders (deterministic)."""
    counts: dict[str, int] = {}
    for o in json.load(open(schedule_json, encoding="utf-8")):
        for d in [o["due"]] + o.get("reminders", []):
            counts[d] = counts.get(d, 0) + 1
    days = [d for d in counts if d.startswith(f"{YEAR}-0") and d < f"{YEAR}-07"
            and dt.date.fromisoformat(d).weekday() < 5]
    return dt.date.fromisoformat(max(sorted(days), key=lambda d: counts[d]))


def tick_summary(stderr: str) -> tuple[int, int]:
    m = re.search(r"(?:spooled|would send) (\d+) notices and (\d+) backlog digests", stderr)
    if not m:
        raise Failure("no tick summary in: " + stderr[-1000:])
    return int(m.group(1)), int(m.group(2))


def tick_bench(binary: str, folder: str, runs: int) -> dict:
    """Primes a ledger with a tick the day before, then times the busiest day's tick on copies of it."""
    day = busiest_day(os.path.join(WORK, "schedule.json"))
    before = day - dt.timedelta(days=1)
    primed = tempfile.mkdtemp(prefix="tick-primed-", dir=WORK)
    config = write_config(primed, folder)
    prime = run_measured([binary, "tick", "--config", config, "--now", f"{before}T08:30"])
    prime_counts = tick_summary(prime["stderr"])
    log(f"tick: ledger primed on {before} ({prime_counts[0]:,} notices, {prime_counts[1]:,} digests, {prime['wall']:.1f} s)")
    rows = []
    for i in range(runs):
        base = tempfile.mkdtemp(prefix="tick-", dir=WORK)
        config = write_config(base, folder)
        shutil.copytree(os.path.join(primed, "state"), os.path.join(base, "state"))
        t = run_measured([binary, "tick", "--config", config, "--now", f"{day}T08:30"])
        sent, digests = tick_summary(t["stderr"])
        rows.append({"tick": t, "sent": sent, "digests": digests})
        log(f"tick {i + 1}/{runs} on {day}: {sent:,} notices in {t['wall']:.2f} s "
            f"({sent / t['wall']:,.0f}/s, {t['cpu']:.1f} s CPU), peak {t['rss']:.0f} MB")
        shutil.rmtree(base)
    shutil.rmtree(primed)
    return {"day": day, "rows": rows, "sent": rows[0]["sent"], "wall": med([r["tick"]["wall"] for r in rows]),
            "cpu": med([r["tick"]["cpu"] for r in rows]), "rss": max(r["tick"]["rss"] for r in rows),
            "prime_wall": prime["wall"], "prime_counts": prime_counts}


class Notifications:
    """A NOTIFY_SOCKET: records each datagram with the monotonic time it arrived."""

    def __init__(self, path: str):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.messages: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.cond:
                for line in data.decode("utf-8", "replace").splitlines():
                    self.messages.append((time.monotonic(), line))
                self.cond.notify_all()

    def wait_for(self, prefix: str, after: float, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, line in self.messages:
                    if t >= after and line.startswith(prefix):
                        return t
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"no {prefix} from the daemon within {timeout:.0f} s")
                self.cond.wait(left)

    def close(self):
        self.stop = True
        self.sock.close()
        self.thread.join()


class LineLog:
    """The daemon's stderr, one line at a time, with arrival times."""

    def __init__(self, stream, copy_to: str):
        self.lines: list[tuple[float, str]] = []
        self.cond = threading.Condition()
        self.copy = open(copy_to, "w", encoding="utf-8")
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        for raw in stream:
            line = raw.decode("utf-8", "replace")
            with self.cond:
                self.lines.append((time.monotonic(), line))
                self.copy.write(line)
                self.cond.notify_all()

    def wait_for(self, needle: str, after: float, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, line in self.lines:
                    if t >= after and needle in line:
                        return t
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure(f"no log line with '{needle}' within {timeout:.0f} s")
                self.cond.wait(left)


def proc_status(pid: int) -> dict:
    out = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        out[k] = v.strip()
    return out


def sched_snapshot(pid: int) -> dict:
    """Per thread: times scheduled onto a CPU (schedstat field 3), CPU ns, voluntary switches."""
    snap = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            run_ns, _, slices = (int(x) for x in open(f"/proc/{pid}/task/{tid}/schedstat").read().split())
            status = open(f"/proc/{pid}/task/{tid}/status").read()
            vol = int(re.search(r"^voluntary_ctxt_switches:\s*(\d+)", status, re.M).group(1))
            name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
        except (FileNotFoundError, ProcessLookupError):
            continue
        snap[tid] = {"slices": slices, "ns": run_ns, "vol": vol, "name": name}
    return snap


def idle_delta(a: dict, b: dict) -> dict:
    wakeups = 0
    cpu_ns = 0
    busy = []
    for tid, s in b.items():
        p = a.get(tid, {"slices": 0, "ns": 0, "vol": 0})
        d = s["slices"] - p["slices"]
        wakeups += d
        cpu_ns += s["ns"] - p["ns"]
        if d:
            busy.append(f"{s['name']}×{d}")
    return {"wakeups": wakeups, "cpu_ms": cpu_ns / 1e6, "threads": len(b), "busy": busy,
            "gone": len(set(a) - set(b)), "new": len(set(b) - set(a))}


PROBE = """  - id: bench-reload-probe
    title: 基准测试：重新加载探针
    date: {date}
"""


def daemon_bench(binary: str, folder: str, idle_seconds: int, reloads: int) -> dict:
    base = tempfile.mkdtemp(prefix="daemon-", dir=WORK)
    plans = os.path.join(base, "plans")
    shutil.copytree(folder, plans)
    config = write_config(base, plans)
    result: dict = {}

    # A ledger as after a year of service: one tick today handles the backlog
    # (a fresh ledger on a November day has the whole year overdue).
    prime = run_measured([binary, "tick", "--config", config])
    result["prime"] = {"wall": prime["wall"], "rss": prime["rss"], "counts": tick_summary(prime["stderr"])}
    log(f"daemon: ledger primed by one tick now ({result['prime']['counts'][0]:,} notices, "
        f"{result['prime']['counts'][1]:,} digests, {prime['wall']:.1f} s)")

    def start(tag: str):
        sock_path = os.path.join(base, f"notify-{tag}.sock")
        notes = Notifications(sock_path)
        env = dict(os.environ, NOTIFY_SOCKET=sock_path, PLANKEEPER_LOG="stderr", LC_ALL="C.UTF-8")
        env.pop("WATCHDOG_USEC", None)
        env.pop("WATCHDOG_PID", None)
        t0 = time.monotonic()
        p = subprocess.Popen([binary, "run", "--config", config], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env=env)
        lines = LineLog(p.stderr, os.path.join(base, f"daemon-{tag}.log"))
        ready = notes.wait_for("READY=1", t0, 600) - t0
        return p, notes, lines, ready

    def stop(p, notes):
        t = time.monotonic()
        p.send_signal(signal.SIGTERM)
        code = p.wait(60)
        notes.close()
        return time.monotonic() - t, code

    # Start-up, twice (a start and a restart on the same ledger); READY=1 is sent after the plans are parsed,
    # the ledger is open and the first tick has run.
    readies = []
    for tag in ("a", "b"):
        p, notes, lines, ready = start(tag)
        readies.append(ready)
        status = proc_status(p.pid)
        log(f"daemon start {tag}: READY=1 after {ready:.2f} s, RSS {int(status['VmRSS'].split()[0]) / 1024:.0f} MB")
        if tag != "b":
            stop(p, notes)
    result["ready"] = readies
    result["ready_median"] = med(readies)
    status = proc_status(p.pid)
    result["rss_after_start"] = int(status["VmRSS"].split()[0]) / 1024

    # Idle: settle, then count how often any thread was put on a CPU.
    time.sleep(5)
    a = sched_snapshot(p.pid)
    log(f"daemon: idle for {idle_seconds} s ({len(a)} threads)")
    notes_before = len(notes.messages)
    time.sleep(idle_seconds)
    b = sched_snapshot(p.pid)
    result["idle"] = idle_delta(a, b)
    result["idle"]["seconds"] = idle_seconds
    result["idle"]["notifications"] = len(notes.messages) - notes_before
    log(f"daemon: idle wake-ups {result['idle']['wakeups']}, CPU {result['idle']['cpu_ms']:.1f} ms "
        f"{' '.join(result['idle']['busy'])}")

    # Reload: add an item to one branch's plan (written next to it and renamed
    # over it, as editors save), then take it out again; time until the log
    # says the plans were reloaded (the new plan is then in force) and until
    # the STATUS= that follows the tick on the new plans.
    victim = os.path.join(plans, sorted(os.listdir(plans))[len(os.listdir(plans)) // 2])
    original = open(victim, encoding="utf-8").read()
    today = dt.date.today()
    probe_day = max(today + dt.timedelta(days=7), dt.date(YEAR, 1, 1))
    probe_day = min(probe_day, dt.date(YEAR, 12, 31))
    rows = []
    for i in range(reloads):
        text = original + PROBE.format(date=probe_day.isoformat()) if i % 2 == 0 else original
        tmp = os.path.join(plans, ".bench-edit.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        t0 = time.monotonic()
        os.rename(tmp, victim)
        started = notes.wait_for("RELOADING=1", t0, 120) - t0
        in_force = lines.wait_for("plans reloaded", t0, 120) - t0
        status_at = notes.wait_for("STATUS=", t0 + in_force, 120) - t0
        changes = ""
        for t, line in lines.lines:
            if t >= t0 and "plans reloaded" in line:
                m = re.search(r"(\d+) changes", line)
                changes = m.group(1) if m else "?"
        rows.append({"started": started, "in_force": in_force, "status": status_at, "changes": changes})
        log(f"reload {i + 1}/{reloads}: reload began {started * 1000:.0f} ms, plans in force {in_force * 1000:.0f} ms, "
            f"STATUS {status_at * 1000:.0f} ms after the edit ({changes} changes)")
        time.sleep(1)
    result["reloads"] = rows
    result["reload_in_force"] = med([r["in_force"] for r in rows])
    result["reload_started"] = med([r["started"] for r in rows])
    result["reload_status"] = med([r["status"] for r in rows])
    result["probe_day"] = probe_day

    status = proc_status(p.pid)
    result["hwm"] = int(status["VmHWM"].split()[0]) / 1024
    result["rss_end"] = int(status["VmRSS"].split()[0]) / 1024
    result["threads"] = int(status["Threads"])
    result["stop"], result["exit"] = stop(p, notes)
    log(f"daemon: peak RSS {result['hwm']:.0f} MB; stopped in {result['stop']:.2f} s (exit {result['exit']})")
    shutil.rmtree(base)
    return result


# MARK: Report


def machine() -> dict:
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = int(line.split()[1]) / 1048576
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    remind = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "remind"], capture_output=True, text=True).stdout
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    return {"cores": os.cpu_count(), "cpu": cpu, "mem": f"{mem:.0f} GiB", "swift": swift[0] if swift else "?",
            "remind": remind or "?", "commit": commit + (" with uncommitted changes" if dirty else ""),
            "kernel": os.uname().release}


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def report(m, load_before, load_after, started, seconds, vs, grow, tick, dmn, runs, quick) -> str:
    L = []
    w = L.append
    w(BEGIN)
    w("")
    w(f"Run {started:%Y-%m-%d %H:%M} UTC, {seconds / 60:.0f} min, by `scripts/bench{' --quick' if quick else ''}`; "
      f"commit {m['commit']}.")
    w(f"Machine: {m['cores']} cores ({m['cpu']}), {m['mem']} RAM, Linux {m['kernel']}; {m['swift']}; remind {m['remind']}.")
    w(f"Load average (1/5/15 min) before: {load_before}; after: {load_after}. "
      "The machine was shared with other builds during the run: wall times are noisy, "
      "CPU times (user + system, from `wait4`) much less so.")
    w("")
    f = vs["facts"]
    w(f"### plankeeper and Remind on the large city ({f['plans']:,} branches, one year)")
    w("")
    w(f"City: {f['plans']:,} plan files, {f['items']:,} items, {f['bytes'] / 1048576:.1f} MiB of YAML, "
      f"{vs['occurrences']:,} occurrences in {YEAR}; the Remind file has {f['rules']:,} rules "
      f"(one per item and period month, see *Equivalence*). `check` reported {vs['warnings']:,} warnings "
      f"(the 元旦 notices of {YEAR + 1}, which has no official list yet) and no errors.")
    w("")
    w(f"Equivalence, checked in this run: {vs['equivalence']}")
    w("")
    w(f"Median of {runs} interleaved runs (min–max):")
    w("")
    w("| | wall (s) | CPU (s) | peak RSS (MB) |")
    w("|---|---:|---:|---:|")
    w(f"| `plankeeper check` | {fmt(vs['check_wall'])} | | {vs['check_rss']:.0f} |")
    w(f"| `plankeeper schedule --format json` | {fmt(vs['schedule_wall'])} | | {vs['schedule_rss']:.0f} |")
    w(f"| **plankeeper, check + schedule** | **{fmt(vs['pk_wall'])}** ({fmt(vs['pk_wall_range'][0])}–{fmt(vs['pk_wall_range'][1])}) "
      f"| {fmt(vs['pk_cpu'])} | |")
    w(f"| **`remind -s12`** | **{fmt(vs['rm_wall'], 1)}** ({fmt(vs['rm_wall_range'][0], 1)}–{fmt(vs['rm_wall_range'][1], 1)}) "
      f"| {fmt(vs['rm_cpu'], 1)} | {vs['rm_rss']:.0f} |")
    ratio = vs["rm_wall"] / vs["pk_wall"]
    cratio = vs["rm_cpu"] / vs["pk_cpu"]
    w("")
    w(f"**plankeeper is {ratio:,.0f}× faster than Remind in wall time ({cratio:,.0f}× in CPU time)**; "
      f"target ≥ 50×: {verdict(ratio >= 50)}.")
    w("")
    w("### Growth")
    w("")
    w(f"Median of {max(1, runs // 2 + 1) if not quick else 1} runs per size; µs per branch = CPU time / branches (less disturbed by the machine's other work than wall time).")
    w("")
    w("| branches | items | check wall (s) | check CPU (s) | check RSS (MB) | schedule wall (s) | schedule CPU (s) | schedule RSS (MB) | check CPU µs/branch | schedule CPU µs/branch |")
    w("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in grow:
        n = r["branches"]
        w(f"| {n:,} | {r['facts']['items']:,} | {fmt(r['check_wall'])} | {fmt(r['check_cpu'])} | {r['check_rss']:.0f} "
          f"| {fmt(r['schedule_wall'])} | {fmt(r['schedule_cpu'])} | {r['schedule_rss']:.0f} "
          f"| {r['check_cpu'] / n * 1e6:,.0f} | {r['schedule_cpu'] / n * 1e6:,.0f} |")
    if len(grow) >= 2:
        a, b = grow[0], grow[-1]
        scale = b["branches"] / a["branches"]
        w("")
        w(f"From {a['branches']:,} to {b['branches']:,} branches ({scale:.0f}× the work) check CPU grows "
          f"{b['check_cpu'] / a['check_cpu']:.1f}× and schedule CPU {b['schedule_cpu'] / a['schedule_cpu']:.1f}× "
          f"(a fixed start-up cost of the process weighs on the small sizes).")
    w("")
    w(f"### The daemon on the large city ({f['plans']:,} branches)")
    w("")
    i = dmn["idle"]
    p = dmn["prime"]
    w("| measure | result | target |")
    w("|---|---:|---|")
    w(f"| start-up to `READY=1` (median of {len(dmn['ready'])} starts: {', '.join(fmt(x) for x in dmn['ready'])} s) "
      f"| {fmt(dmn['ready_median'])} s | |")
    w(f"| peak RSS of the daemon (VmHWM, after start-up, {len(dmn['reloads'])} reloads and idling) | {dmn['hwm']:.0f} MB | < 100 MB: {verdict(dmn['hwm'] < 100)} |")
    w(f"| one tick on {tick['day']} 08:30 (`plankeeper tick --now`, whole process, median of {len(tick['rows'])}) "
      f"| {tick['sent']:,} notices in {fmt(tick['wall'])} s = **{tick['sent'] / tick['wall']:,.0f} notices/s** | |")
    w(f"| peak RSS of that tick | {tick['rss']:.0f} MB | |")
    w(f"| reload after editing one plan file, until the new plan is in force (median of {len(dmn['reloads'])}) "
      f"| {dmn['reload_in_force'] * 1000:,.0f} ms | < 200 ms: {verdict(dmn['reload_in_force'] < 0.2)} |")
    w(f"| … of which waiting for the edit to settle (file watcher's debounce, until `RELOADING=1`) | {dmn['reload_started'] * 1000:,.0f} ms | |")
    w(f"| … until the `STATUS=` after the tick on the new plans | {dmn['reload_status'] * 1000:,.0f} ms | |")
    w(f"| idle for {i['seconds']} s: wake-ups (times any of its {i['threads']} threads was scheduled) | {i['wakeups']} | 0: {verdict(i['wakeups'] == 0)} |")
    w(f"| idle for {i['seconds']} s: CPU time | {i['cpu_ms']:.1f} ms | |")
    w("")
    w(f"Method. The daemon runs `plankeeper run --config` on a copy of the city with `transport: none` (spool only), "
      f"started from Python with `NOTIFY_SOCKET` bound to a datagram socket; start-up is the time from `exec` to the "
      f"`READY=1` datagram, sent after the plans are parsed, the ledger opened and the first tick run. Its ledger was "
      f"first primed by one `plankeeper tick` at the real current time ({p['counts'][0]:,} notices, {p['counts'][1]:,} "
      f"backlog digests, {fmt(p['wall'])} s): a fresh ledger in the middle of the year would make the first start "
      f"spool the year's backlog. No completion is recorded, so every past occurrence is still open: the decision "
      f"work is the worst case. The tick row primes a fresh ledger with a tick the day before "
      f"({tick['prime_counts'][0]:,} notices, {tick['prime_counts'][1]:,} digests, {fmt(tick['prime_wall'])} s), then times, "
      f"each time on a copy of that ledger and an empty spool, the tick of "
      f"{tick['day']} (the working day of the first half-year with the most due dates and reminders); each notice is "
      f"one message file written and flushed (`fsync`) into the Maildir spool and one ledger row. Reload: one "
      f"branch's file is rewritten (written beside it and renamed over it, as editors save) alternately with and "
      f"without one extra item; the time runs from the rename to the daemon's `plans reloaded` log line (written "
      f"once the new plans have replaced the old ones) and to the `STATUS=` sent after the following tick. Idle: "
      f"5 s after the last start, the number of times each thread was put on a CPU (third field of "
      f"`/proc/PID/task/TID/schedstat`, summed over threads) and their CPU time, before and after {i['seconds']} s "
      f"of no plan edits and no notices due; every wake-up of any thread, timer or otherwise, counts"
      + (f" (threads that ran: {', '.join(i['busy'])})" if i["busy"] else "")
      + (f"; the daemon sent {i['notifications']} notifications meanwhile (a clock change or a tick)"
         if i["notifications"] else "") + ".")
    w("")
    w(END)
    return "\n".join(L) + "\n"


def write_report(path: str, section: str) -> None:
    try:
        text = open(path, encoding="utf-8").read()
    except FileNotFoundError:
        text = "# Benchmarks\n\n"
    if BEGIN in text and END in text:
        a = text.index(BEGIN)
        b = text.index(END) + len(END)
        text = text[:a] + section.rstrip("\n") + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def loadavg() -> str:
    return " / ".join(open("/proc/loadavg").read().split()[:3])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="the release plankeeper binary")
    ap.add_argument("--runs", type=int, default=5, help="runs of plankeeper and Remind (median; default 5)")
    ap.add_argument("--quick", action="store_true", help="small city, one run, short idle: checks the script works")
    ap.add_argument("--idle", type=int, default=60, help="idle seconds measured (default 60)")
    ap.add_argument("--skip", action="append", default=[], choices=["remind", "growth", "tick", "daemon"],
                    help="leave out a part (repeatable; the report then is not written)")
    ap.add_argument("--write", help="put the results section into this markdown file")
    args = ap.parse_args(argv)
    os.makedirs(WORK, exist_ok=True)
    binary = os.path.abspath(args.bin)
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.monotonic()
    load_before = loadavg()
    log(f"load average {load_before}")
    runs = 1 if args.quick else args.runs
    try:
        vs = versus_remind(binary, runs, args.quick) if "remind" not in args.skip else None
        sizes = [144, 500] if args.quick else GROWTH
        grow = growth(binary, sizes, 1 if args.quick else max(1, runs // 2 + 1)) if "growth" not in args.skip else []
        folder, _ = city(144 if args.quick else LARGE)
        if "daemon" not in args.skip:
            if not os.path.exists(os.path.join(WORK, "schedule.json")):
                with open(os.path.join(WORK, "schedule.json"), "w") as out:
                    run_measured([binary, "schedule", "--format", "json", folder], stdout=out)
            tick = tick_bench(binary, folder, 1 if args.quick else 3) if "tick" not in args.skip else None
            dmn = daemon_bench(binary, folder, 10 if args.quick else args.idle, 2 if args.quick else 3)
        else:
            tick = dmn = None
    except (Failure, subprocess.CalledProcessError) as e:
        log(f"failed: {e}")
        return 1
    load_after = loadavg()
    if vs is None or tick is None or not grow:
        log("parts were skipped: no report")
        return 0
    section = report(machine(), load_before, load_after, started, time.monotonic() - t0, vs, grow, tick, dmn, runs,
                     args.quick)
    print(section)
    if args.write:
        write_report(args.write, section)
        log(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
