#!/usr/bin/env python3
"""plankeeper end to end, in a booted Debian 12 systemd with postfix.

Installs the release binary, the unit, the catalog, the configuration and the
sample plans exactly as docs/operations.md tells an administrator (the install
blocks are read out of that file), then checks the service the way it lives on
a hospital server: start-up handshake, reminders in the journal and in a real
mailbox, reloads, records made by the admin, crashes, the watchdog, hardening,
and one fault after another. Every scenario ends by asserting the property
that matters: nothing lost (each notice due reaches the mailbox) and nothing
twice (no notice is mailed or spooled twice), and the service recovers by
itself once the fault is gone.

Run by Tests/e2e/run.sh (which builds the binary and the container root).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import email
import email.policy
import importlib
import io
import json
import mailbox
import os
import re
import shlex
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import Failure, Machine, WallClock, wait_for  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
UNIT = "plankeeper"
PLANS = "/etc/plankeeper/plans"
CONFIG = "/etc/plankeeper/plankeeper.yaml"
STATE = "/var/lib/plankeeper"
SPOOL = "/var/lib/plankeeper/spool"
MAILBOX = "/var/mail/catchall"
SEND_AT = "00:30"
# The MESSAGE_IDs a tick logs a notice under (the delivery service logs the
# same PLANKEEPER_* fields under its own ids when it hands the mail over).
NOTICE_IDS = ("reminder", "due", "overdue", "escalation", "backlog", "overdueDigest", "report")

# MESSAGE_IDs (Sources/Journal/MessageID.swift), read from the catalog so
# the test follows the source of truth.
MESSAGE_IDS: dict[str, str] = {}


def log(text: str) -> None:
    print(f"e2e: {text}", flush=True)


# ---------------------------------------------------------------- the test's "today"

def choose_zone() -> tuple[str, dt.datetime]:
    """The service's time zone for this run, and now in it.

    Asia/Shanghai is the real setting, but the test needs a few hours of
    margin around local midnight: it reasons about "today" and steps the
    clock an hour back. Shanghai and UTC are 8 hours apart, so one of them is
    always between 02:00 and 21:30 locally; the daemon's behaviour does not
    depend on which zone it is told.
    """
    for zone in ("Asia/Shanghai", "UTC"):
        now = dt.datetime.now(ZoneInfo(zone))
        if dt.time(2, 0) <= now.time() <= dt.time(21, 30):
            return zone, now
    raise AssertionError("unreachable: Shanghai and UTC are 8 hours apart")


def office_hours_zone() -> tuple[str, dt.datetime]:
    """A zone where it is now between 09:00 and 16:00: the upgrade test keeps
    the shipped send-at (08:30) and send window (08:00-18:00), which every
    version accepts, so that its configuration stays valid across the
    upgrade; its notices then go out at once. (One of the whole-hour zones
    Etc/GMT+12 … Etc/GMT-14 always qualifies.)"""
    for hours in range(-12, 15):
        zone = "UTC" if hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"
        now = dt.datetime.now(ZoneInfo(zone))
        if dt.time(9, 0) <= now.time() <= dt.time(16, 0):
            return zone, now
    raise AssertionError("unreachable: 27 zones an hour apart")


class Dates:
    def __init__(self, zone: str, now: dt.datetime):
        self.zone = ZoneInfo(zone)
        self.today = now.date()

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def instant(self, day: dt.date, hh: int, mm: int) -> float:
        """Epoch seconds of a local wall-clock time in the service's zone."""
        return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=self.zone).timestamp()


def plan_yaml(plan_id: str, items: list[dict], members: int = 0) -> str:
    """A plan of one-off items (`date:` with `shift: none`), the simplest way
    to put deadlines at known days relative to the test's today. Each item
    is due on its `due` date and reminded `remind` before; `notify` defaults
    to the secretary. The plan's year is the year of its due dates."""
    years = {it["due"].year for it in items}
    assert len(years) == 1, f"{plan_id}: items in several years {years}"
    year = years.pop()
    out = [
        f"# plankeeper end-to-end test plan {plan_id}",
        f"id: {plan_id}",
        f"title: 端到端测试党支部 {year} 年党建工作计划（{plan_id}）",
        "owner: 端到端测试党支部",
        f"year: {year}",
        "contacts:",
        f"  secretary: 王测试 <wang.{plan_id}@hospital.example>",
    ]
    if members:
        out.append("  members:")
        out += [f"    - 党员{n:02d} <m{n:02d}.{plan_id}@hospital.example>" for n in range(members)]
    out += ["defaults:", "  notify: [secretary]", "items:"]
    for it in items:
        out += [
            f"  - id: {it['id']}",
            f"    title: {it['title']}",
            f"    date: {it['due'].isoformat()}",
            "    shift: none",
            f"    remind: [{it.get('remind', '1d')}]",
        ]
        if "notify" in it:
            out.append(f"    notify: [{it['notify']}]")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- reading the results

class Observer:
    """Reads what the service did: the journal, the spool and the mailbox."""

    def __init__(self, m: Machine):
        self.m = m

    # journal
    def journal(self, after: str = "", **fields: str) -> list[dict]:
        """Entries of any process with these fields, after a cursor.

        With --after-cursor, no match goes to journalctl: systemd 252 drops
        entries when --after-cursor is combined with matches (seen here
        after the wall clock was stepped), so the filtering is done here.
        """
        if after:
            raw = self.m.journal("--after-cursor", after)
        else:
            raw = self.m.journal(*[f"{k}={v}" for k, v in fields.items()])
        return [e for e in raw if all(e.get(k) == v for k, v in fields.items())]

    def entries(self, after: str = "", priority: int | None = None, **fields: str) -> list[dict]:
        """The service's entries (its own, not systemd's about it); with
        `priority`, only those at that priority or more urgent."""
        found = [e for e in self.journal(after, _SYSTEMD_UNIT=f"{UNIT}.service", **fields)]
        if priority is not None:
            found = [e for e in found if int(e.get("PRIORITY", "6")) <= priority]
        return found

    def notices(self, plan: str | None = None, after: str = "") -> list[dict]:
        """What ticks logged as sent (the delivery service logs the same
        PLANKEEPER_* fields under its own MESSAGE_IDs)."""
        fields = {"PLANKEEPER_PLAN": plan} if plan else {}
        ids = {MESSAGE_IDS[name] for name in NOTICE_IDS}
        return [e for e in self.entries(after, **fields) if e.get("MESSAGE_ID") in ids]

    def with_id(self, name: str, after: str = "") -> list[dict]:
        return self.entries(after, MESSAGE_ID=MESSAGE_IDS[name])

    def about_unit(self, after: str) -> list[str]:
        """systemd's own messages about the unit (restarts, watchdog)."""
        return [e["MESSAGE"] for e in self.journal(after) if e.get("UNIT") == f"{UNIT}.service"]

    # spool
    def spool(self) -> dict[str, set[str]]:
        base = self.m.path(SPOOL)
        folders: dict[str, set[str]] = {}
        try:
            for entry in os.scandir(base):
                if entry.is_dir():
                    folders[entry.name] = {n for n in os.listdir(entry.path) if not n.startswith(".")}
        except FileNotFoundError:
            pass
        return folders

    def spooled(self, plan: str | None = None) -> list[str]:
        """Every message name in the spool except tmp/ (a message is in
        exactly one folder at a time; a name in two would be a duplicate)."""
        names = []
        for folder, files in self.spool().items():
            if folder != "tmp":
                names += [re.sub(r":2,.*$", "", n) for n in files]
        if plan:
            names = [n for n in names if n.startswith(plan + "_")]
        return names

    # mailbox
    def mails(self) -> list[email.message.EmailMessage]:
        path = self.m.path(MAILBOX)
        if not path.exists():
            return []
        with tempfile.NamedTemporaryFile() as copy:
            copy.write(path.read_bytes())
            copy.flush()
            box = mailbox.mbox(copy.name, factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default))
            return list(box)

    def mails_for(self, plan: str) -> list[email.message.EmailMessage]:
        return [msg for msg in self.mails() if msg.get("X-Plankeeper-Plan") == plan]


def no_duplicates(messages) -> None:
    ids = Counter(str(msg["Message-ID"]) for msg in messages)
    twice = {k: n for k, n in ids.items() if n > 1}
    if twice:
        raise Failure(f"mailed more than once: {twice}")


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


# ---------------------------------------------------------------- the scenarios

class E2E:
    def __init__(self, args):
        self.args = args
        self.work = Path(args.work)
        self.work.mkdir(parents=True, exist_ok=True)
        self.zone, now = office_hours_zone() if args.upgrade else choose_zone()
        self.dates = Dates(self.zone, now)
        # The wall clock is stepped only in the VM (clock_scenarios.py);
        # WallClock itself refuses anywhere else.
        self.clock = WallClock() if args.vm_guest else None
        if args.vm_guest:
            self.m = Machine.this_machine()
        else:
            self.m = Machine(Path(args.root), self.work / "console.log", [(args.stage, "/src")])
        self.o = Observer(self.m)
        # The previous commit's package, for the upgrade test (run.sh puts
        # it in the stage's prev/ when it could build it).
        self.previous = bool(args.upgrade)
        self.installed = ""
        self.results: list[tuple[str, str, float, str]] = []
        self.expected_mail: Counter = Counter()  # plan -> mails expected so far

    # helpers
    def step(self, name: str, fn, critical: bool = False) -> bool:
        if self.args.only and not critical and not re.search(self.args.only, name):
            return True
        t0 = time.monotonic()
        log(f"--- {name}")
        try:
            if not critical:
                self.settle()
            fn()
        except Exception as error:  # noqa: BLE001 - every failure is reported, the run goes on
            seconds = time.monotonic() - t0
            detail = str(error) if isinstance(error, Failure) else traceback.format_exc()
            self.results.append((name, "FAIL", seconds, detail))
            log(f"FAIL {name} ({seconds:.1f} s): {detail}")
            if critical:
                raise
            return False
        seconds = time.monotonic() - t0
        self.results.append((name, "ok", seconds, ""))
        log(f"ok   {name} ({seconds:.1f} s)")
        return True

    def settle(self, timeout: float = 120) -> None:
        """Waits until the mail of earlier steps is out of the way: nothing
        waiting in the spool, the MTA's queue empty. Each scenario starts on
        a quiet machine, so that what it measures (a reload's latency, the
        mail a fault must not lose) is its own."""
        def quiet():
            waiting = {f: v for f, v in self.o.spool().items() if f not in ("cur", "failed", "tmp") and v}
            return not waiting and "Mail queue is empty" in self.m.sh("postqueue -p", check=False)
        wait_for("the spool and the MTA's queue to drain", quiet, timeout, 0.2)

    def show(self, *props: str) -> dict[str, str]:
        out = self.m.sh(f"systemctl show {UNIT} --timestamp=us+utc -p " + ",".join(props))
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def main_pid(self) -> int:
        return int(self.show("MainPID")["MainPID"])

    def running(self) -> bool:
        s = self.show("ActiveState", "SubState")
        return s == {"ActiveState": "active", "SubState": "running"}

    def add_plan(self, name: str, text: str) -> str:
        """Drops a plan into the plans folder the way an admin copies one in:
        written beside it, then renamed into place (one inotify event)."""
        self.m.write(f"/root/{name}", text)
        self.m.sh(f"mv /root/{name} {PLANS}/{name}")
        return f"{PLANS}/{name}"

    def wait_mail(self, plan: str, count: int, timeout: float = 30) -> list:
        """Waits for `count` mails of the plan in the mailbox, and checks
        that no mail is there twice."""
        mails = wait_for(f"{count} mails of {plan} in {MAILBOX}",
                         lambda: (lambda ms: ms if len(ms) >= count else None)(self.o.mails_for(plan)), timeout, 0.2)
        no_duplicates(mails)
        expect(len(mails) == count, f"{plan}: expected {count} mails, got {len(mails)}")
        self.expected_mail[plan] = count
        return mails

    def one_day_item(self, plan: str, n: int = 1) -> list[dict]:
        due = self.dates.day(1)
        return [{"id": f"task-{i}", "title": f"端到端测试事项{i}（{plan}）", "due": due, "remind": "1d"} for i in range(1, n + 1)]

    # ---------------------------------------------------------------- install and start

    def install(self):
        """The package, as docs/operations.md says (`apt install ./…deb`),
        then the admin's edits of the configuration. With the previous
        commit's package at hand, that one is installed first and upgraded
        later (upgrade())."""
        blocks = operations_blocks()
        if self.args.vm_guest:
            # Emulated, man-db's trigger (re-indexing every man page) alone
            # takes a minute; the VM checks the clock, the container the pages.
            self.m.sh("rm -f /var/lib/man-db/auto-update")
        folder = "/src/prev" if self.previous else "/src"
        out = self.m.sh(f"cd {folder} && {blocks['install']}")
        log("apt: " + " / ".join(l for l in out.splitlines() if l.startswith(("Setting up", "Unpacking"))))
        self.installed = self.m.sh("dpkg-query -W -f='${Version}' plankeeper").strip()
        log(f"installed plankeeper {self.installed} ({'the previous commit' if self.previous else 'this commit'})")
        expect(self.running(), f"the package did not start the service: {self.show('ActiveState', 'SubState')}")
        # Test scaffolding, not part of the install: the spool on its own
        # small file system (16 MB tmpfs) so that the fault tests can fill it
        # and make it read-only. Mounted before anything is spooled; the
        # daemon sees it from its next start on and does not know.
        self.m.sh(f"install -d -o plankeeper -g plankeeper -m 0750 {SPOOL} && "
                  f"mount -t tmpfs -o size=16m,mode=0700,uid=plankeeper,gid=plankeeper e2e-spool {SPOOL}")
        # The admin's edits of the installed configuration (docs: "Edit
        # /etc/plankeeper/plankeeper.yaml"): mail through the local postfix
        # on loopback, the zone chosen for this run, the day's notices from
        # 00:30 so that everything due today goes out when it is added,
        # and a catch-up long enough for the longest break (国庆, 8 days).
        config = self.m.path(CONFIG).read_text()
        config = set_key(config, "timezone", self.zone)
        if self.previous:
            # The upgrade test: a configuration both versions accept (an
            # older binary refuses keys it does not know, a newer one may
            # refuse a send-at the older allowed): the zone and the shipped
            # send-at, plus any hour of any day when the older binary knows
            # those keys (asked with a dry run), so that its notice goes out
            # on a day off too.
            # and one mail per notice (the account counts mails per notice).
            wide = set_key(set_key(config, "send-window", '"00:00-24:00"'), "catch-up-at", "immediately")
            wide = set_key(wide, "notice-mail", "separate")
            self.m.write(CONFIG, wide)
            # Asked as the service user, as the service would read it.
            if self.m.run(f"runuser -u plankeeper -- plankeeper tick --dry-run --config {CONFIG}").returncode != 0:
                self.m.write(CONFIG, config)
                wide = config
            self.edited_config = wide
            log(f"zone {self.zone} (office hours), today {self.dates.today}, shipped send-at"
                + (", any hour of any day" if wide != config else ""))
            return
        config = set_key(config, "send-at", f'"{SEND_AT}"')
        config = set_key(config, "catch-up", "14d")
        # Any hour of any day (the test runs at weekends too), and one mail
        # per notice, so that every notice can be accounted for by its own
        # mail (combined mails and escalations in the digest are issue 15's
        # layout, tested by its own stages).
        config = set_key(config, "send-window", '"00:00-24:00"')
        config = set_key(config, "catch-up-at", "immediately")
        config = set_key(config, "notice-mail", "separate")
        config = set_key(config, "escalation-mail", "separate")
        config = set_mail(config)
        self.m.write(CONFIG, config)
        self.edited_config = config
        log(f"zone {self.zone}, today {self.dates.today}, send-at {SEND_AT}")

    def start(self):
        """The documented restart after the configuration edit."""
        blocks = operations_blocks()
        out = self.m.sh(blocks["start"])
        print(out.rstrip())
        expect(self.running(), f"not active (running) after start: {self.show('ActiveState', 'SubState')}")

    def plans_in(self):
        """The admin puts plans in: the examples (not in the VM: emulation
        is slow, and their notices are the container's business) and the
        test's own plan, whose deadlines are relative to today. The service
        reloads by itself."""
        if not self.args.vm_guest:
            self.m.sh(f"cp /usr/share/doc/plankeeper/examples/plans/*.yaml {PLANS}/")
            self.m.sh(f"plankeeper check {PLANS} >/dev/null")
        self.core_items = [
            {"id": "lecture", "title": "专题党课（端到端测试）", "due": self.dates.day(1), "remind": "1d"},
            {"id": "group-meeting", "title": "党小组会（端到端测试）", "due": self.dates.day(1), "remind": "1d"},
            {"id": "theme-day", "title": "主题党日活动（端到端测试）", "due": self.dates.day(1), "remind": "1d"},
        ]
        self.add_plan("e2e-core.yaml", plan_yaml("e2e-core", self.core_items))
        self.wait_mail("e2e-core", 3)

    # ---------------------------------------------------------------- the package's life

    def previous_work(self):
        """On the previous commit's package: a plan, its notice mailed, and
        a record entered, all of which the upgrade must keep."""
        plan = "e2e-upgrade"
        self.add_plan(f"{plan}.yaml", plan_yaml(plan, self.one_day_item(plan, 2)))
        self.wait_mail(plan, 2, 30)
        from fault_scenarios import handled  # noqa: PLC0415
        wait_for("the ledger to record the notices", lambda: handled(self, plan) == 2, 10, 0.2)
        self.m.sh(f"plankeeper done {plan} task-1 {self.dates.day(1).year}")
        self.before_upgrade = {
            "pid": self.main_pid(),
            "spool": set(self.o.spooled()),
            "migrations": ledger_migrations(self.m),
            "records": self.m.sh("plankeeper records --format json 2>/dev/null || plankeeper records", check=False),
        }
        log(f"previous version's ledger migrations: {self.before_upgrade['migrations']}")

    def upgrade(self):
        """apt install of this commit's package over the previous one: the
        service restarted on the new binary, the ledger and spool kept, the
        schema migrated, the admin's configuration kept, nothing sent again."""
        before = self.before_upgrade
        mails_before = len(self.o.mails())
        # What an admin's unattended upgrade answers to a changed conffile:
        # keep mine (docs/operations.md).
        self.m.sh("cd /src && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
                  "-o Dpkg::Options::=--force-confold ./plankeeper_*_amd64.deb >/dev/null")
        version = self.m.sh("dpkg-query -W -f='${Version}' plankeeper").strip()
        expect(version != self.installed, f"still {version} after the upgrade")
        said = self.m.sh("plankeeper --version").strip()
        expect(said.startswith(f"plankeeper {version} (commit "), f"--version says {said!r}, the package is {version}")
        wait_for("the service to run again", self.running, 20, 0.1)
        expect(self.main_pid() != before["pid"], "the service was not restarted by the upgrade")
        expect(self.m.path(CONFIG).read_text() == self.edited_config, "the admin's configuration changed")
        expect(before["spool"] <= set(self.o.spooled()), "spooled messages lost in the upgrade")
        records = self.m.sh("plankeeper records")
        expect("e2e-upgrade" in records and "task-1" in records, f"the record is gone:\n{records}")
        wanted = source_migrations()
        have = wait_for("the new version's migrations", lambda: (lambda m: m if set(wanted) <= set(m) else None)(
            ledger_migrations(self.m)), 20, 0.2)
        log(f"{self.installed} -> {version}: migrations {before['migrations']} -> {have}; "
            f"pid {before['pid']} -> {self.main_pid()}")
        self.settle()
        expect(len(self.o.mails()) == mails_before, "mail sent again after the upgrade")
        self.installed = version

    def manuals_and_completion(self):
        """What the package gives the admin besides the service: man pages
        that open, and Tab completion in bash."""
        for page in ("plankeeper", "5 plankeeper.yaml", "5 plankeeper-plan", "plankeeper-done", "plankeeper done"):
            text = self.m.sh(f"MANWIDTH=80 man {page} 2>&1 | col -b", check=False)
            expect("NAME" in text and "plankeeper" in text, f"`man {page}` does not open:\n{text[:300]}")
        words = bash_complete(self.m, "plankeeper ch")
        expect("check" in words, f"bash completion of 'plankeeper ch': {words}")
        plans = bash_complete(self.m, "plankeeper done ")
        expect("e2e-core" in plans, f"`plankeeper done <Tab>` does not offer the plan ids: {plans}")
        items = bash_complete(self.m, "plankeeper done e2e-core ")
        expect(set(items) == {i["id"] for i in self.core_items}, f"`plankeeper done e2e-core <Tab>`: {items}")
        langs = bash_complete(self.m, "plankeeper records --lang ")
        expect(set(langs) == {"zh", "en"}, f"`--lang <Tab>`: {langs}")
        log(f"man pages open; Tab: `plankeeper ch` -> {words}, `done ` -> {len(plans)} plans, "
            f"`done e2e-core ` -> {items}")

    def remove_and_purge(self):
        """apt remove keeps the ledger and the configuration (a reinstall
        carries on), apt purge deletes the ledger and the spool but keeps
        what the admin wrote in /etc/plankeeper."""
        self.settle()
        self.m.sh("DEBIAN_FRONTEND=noninteractive apt-get remove -y -q plankeeper >/dev/null")
        expect(self.show("ActiveState")["ActiveState"] != "active", "still running after apt remove")
        expect(self.m.path(f"{STATE}/plankeeper.sqlite").exists(), "apt remove deleted the ledger")
        expect(self.m.path(CONFIG).exists(), "apt remove deleted the configuration")
        self.m.sh("cd /src && apt-get install -y -q ./plankeeper_*_amd64.deb >/dev/null")
        wait_for("the reinstalled service to run", self.running, 20, 0.1)
        records = self.m.sh("plankeeper records")
        expect("group-meeting" in records, f"the reinstalled service lost the records:\n{records}")
        self.m.sh("systemctl stop plankeeper")
        self.m.sh(f"umount {SPOOL}")  # the test's tmpfs, not the package's
        self.m.sh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q plankeeper >/dev/null")
        expect(not self.m.path(STATE).exists(), "apt purge left /var/lib/plankeeper")
        expect(not self.m.path(CONFIG).exists(), "apt purge left the shipped configuration")
        expect(self.m.path(f"{PLANS}/e2e-core.yaml").exists(), "apt purge deleted the admin's plans")
        status = self.m.sh("dpkg-query -W -f='${db:Status-Abbrev}' plankeeper 2>/dev/null", check=False).strip()
        expect(status in ("", "un", "pn"), f"dpkg still knows plankeeper after purge: {status!r}")
        left = [f for f in ("/usr/bin/plankeeper", "/lib/systemd/system/plankeeper.service",
                            "/lib/systemd/system/plankeeper-backup.timer", "/usr/lib/tmpfiles.d/plankeeper.conf",
                            "/usr/lib/systemd/catalog/plankeeper.catalog", "/etc/systemd/system/plankeeper.service",
                            "/etc/systemd/system/multi-user.target.wants/plankeeper.service")
                if os.path.lexists(self.m.path(f))]
        expect(not left, f"left after purge: {left}")
        expect(any(self.m.path("/var/backups/plankeeper").iterdir()), "apt purge deleted the nightly backups")
        log("remove kept the ledger; reinstall carried on; purge kept only the admin's plans")

    def ready_and_status(self):
        """Stopped, a plan added, started: `systemctl start` returns only
        after the first tick spooled that plan's notice (READY=1 comes
        after it), and STATUS= says how many plans and the next notice."""
        self.m.sh(f"systemctl stop {UNIT}")
        plan = "e2e-ready"
        self.add_plan(f"{plan}.yaml", plan_yaml(plan, self.one_day_item(plan, 1)))
        t0 = time.monotonic()
        self.m.sh(f"systemctl start {UNIT}")
        self.start_seconds = time.monotonic() - t0
        self.wait_mail(plan, 1)
        s = self.show("Type", "NotifyAccess", "StatusText", "ExecMainStartTimestamp", "ActiveEnterTimestamp",
                      "WatchdogUSec", "NRestarts")
        expect(s["Type"] == "notify", f"Type={s['Type']}")
        started = parse_us(s["ExecMainStartTimestamp"])
        active = parse_us(s["ActiveEnterTimestamp"])
        # Everything the daemon logs before READY=1 (the plans loaded, the
        # first tick's notices) must come before systemd calls it active:
        # a Type=simple unit would be active the moment it was forked.
        notices = self.o.notices(plan)
        notices = [e for e in notices if e["_PID"] == str(self.main_pid())]
        expect(len(notices) > 0, "no notice logged by the first tick")
        last = max(int(e.get("_SOURCE_REALTIME_TIMESTAMP", e["__REALTIME_TIMESTAMP"])) for e in notices)
        expect(started < last <= active,
               f"not ready only after the first tick: started {started}, last notice {last}, active {active}")
        log(f"forked {started}, last pre-ready notice +{(last - started) / 1000:.0f} ms, "
            f"active +{(active - started) / 1000:.0f} ms; `systemctl start` took {self.start_seconds:.2f} s")
        status = self.m.sh(f"systemctl status {UNIT} --no-pager", check=False)
        line = next((l.strip() for l in status.splitlines() if l.strip().startswith("Status:")), "")
        expect(line and s["StatusText"] and s["StatusText"] in line, f"no Status: line in systemctl status:\n{status}")
        expect(re.search(r"个计划；下次提醒 \d{4}-\d\d-\d\d \d\d:\d\d", line) is not None, f"unexpected status {line}")
        log(f"systemctl status: {line}")

    def reminder(self):
        entries = [e for e in self.o.notices("e2e-core") if e["PLANKEEPER_ITEM"] == "lecture"]
        expect(len(entries) == 1, f"expected one journal entry for e2e-core/lecture, got {len(entries)}")
        e = entries[0]
        fields = ["PLANKEEPER_PLAN", "PLANKEEPER_ITEM", "PLANKEEPER_PERIOD", "PLANKEEPER_KIND", "PLANKEEPER_DUE",
                  "PLANKEEPER_OWNER", "PLANKEEPER_RECIPIENT", "PLANKEEPER_WORKDAYS_LEFT", "MESSAGE_ID", "PRIORITY"]
        missing = [f for f in fields if not e.get(f)]
        expect(not missing, f"journal entry lacks {missing}: {e}")
        due = self.dates.day(1).isoformat()
        want = {"PLANKEEPER_PLAN": "e2e-core", "PLANKEEPER_KIND": "reminder", "PLANKEEPER_DUE": due,
                "PLANKEEPER_PERIOD": str(self.dates.day(1).year), "PLANKEEPER_OWNER": "端到端测试党支部",
                "PLANKEEPER_RECIPIENT": "wang.e2e-core@hospital.example", "MESSAGE_ID": MESSAGE_IDS["reminder"],
                "PRIORITY": "5", "_SYSTEMD_UNIT": f"{UNIT}.service"}
        wrong = {k: (e.get(k), v) for k, v in want.items() if e.get(k) != v}
        expect(not wrong, f"journal fields (got, want): {wrong}")
        # journalctl -x: the catalog entry, with the entry's fields filled in.
        text = self.m.sh(f"journalctl -x -u {UNIT} --no-pager PLANKEEPER_PLAN=e2e-core PLANKEEPER_ITEM=lecture")
        expect(f"Subject: Reminder sent: lecture ({e['PLANKEEPER_PERIOD']}) is due {due}" in text,
               f"journalctl -x does not explain the reminder:\n{text}")
        # The mail, through postfix, with its Chinese subject intact.
        mails = [msg for msg in self.wait_mail("e2e-core", 3) if msg["X-Plankeeper-Item"] == "lecture"]
        expect(len(mails) == 1, f"expected one mail for lecture, got {len(mails)}")
        subject = str(mails[0]["Subject"])
        expect(e["MESSAGE"].startswith(subject + " → "), f"mail subject {subject!r} is not the journal's {e['MESSAGE']!r}")
        expect("专题党课（端到端测试）" in subject, f"Chinese title lost in subject {subject!r}")
        expect(mails[0]["To"].addresses[0].addr_spec == "wang.e2e-core@hospital.example", f"To: {mails[0]['To']}")
        expect("Received" in mails[0], "no Received: header: not delivered by the MTA?")
        body = mails[0].get_body(preferencelist=("plain",)).get_content()
        expect("专题党课" in body, "Chinese body lost")
        log(f"journal: {e['MESSAGE']}")
        log(f"mail:    Subject: {subject}")

    def reload_on_edit(self):
        """An admin's edit: one deadline moved a day later, one item added.
        The daemon reloads within 2 s by itself, the journal lists both
        changes, the new item's reminder (due now) goes out once, and the
        moved item's reminder, already sent, is not sent again."""
        cursor = self.m.cursor()
        items = [dict(it) for it in self.core_items]
        later = self.dates.day(2)
        moved = later.year == items[2]["due"].year
        if moved:
            items[2]["due"] = later
        else:  # 30 December: a day later is next year; retitle it instead
            items[2]["title"] = "主题党日活动（改）"
        items.append({"id": "study", "title": "集中学习（新增，端到端测试）", "due": self.dates.day(1), "remind": "1d"})
        t0 = time.monotonic()
        self.m.write(f"{PLANS}/e2e-core.yaml", plan_yaml("e2e-core", items))
        reloaded = wait_for("the reload message", lambda: self.o.with_id("planReloaded", after=cursor), 2.0, 0.05)
        seconds = time.monotonic() - t0
        msg = reloaded[0]["MESSAGE"]
        log(f"reloaded {seconds:.2f} s after the edit: {msg!r}")
        year = items[0]["due"].year
        if moved:
            expect(f"~ e2e-core/theme-day {year} {self.dates.day(1)} → {later}" in msg, f"the move is not in {msg!r}")
        else:
            expect("~ e2e-core/theme-day" in msg, f"the retitle is not in {msg!r}")
        expect(f"+ e2e-core/study {year} {self.dates.day(1)}" in msg, f"the new item is not in {msg!r}")
        mails = self.wait_mail("e2e-core", 4)
        kinds = Counter((m["X-Plankeeper-Item"], m["X-Plankeeper-Kind"]) for m in mails)
        expect(kinds[("study", "reminder")] == 1 and kinds[("theme-day", "reminder")] == 1, f"mails: {dict(kinds)}")
        self.core_items = items

    def broken_edit(self):
        cursor = self.m.cursor()
        good = plan_yaml("e2e-core", self.core_items)
        lines = good.splitlines()
        # A typo an admin makes: "titel" for "title" in the second item.
        index = [i for i, l in enumerate(lines) if l.strip().startswith("title:")][2]
        lines[index] = lines[index].replace("title:", "titel:")
        bad_line = index + 1
        self.m.write(f"{PLANS}/e2e-core.yaml", "\n".join(lines) + "\n")
        try:
            self.check_broken_edit(cursor, bad_line)
        finally:
            cursor = self.m.cursor()
            self.m.write(f"{PLANS}/e2e-core.yaml", good)
            wait_for("the reload after the fix", lambda: self.o.with_id("planReloaded", after=cursor), 5, 0.05)

    def check_broken_edit(self, cursor: str, bad_line: int):
        errors = wait_for("the plan error in the journal",
                          lambda: [e for e in self.o.with_id("planError", after=cursor)
                                   if e.get("PRIORITY") == "3" and e.get("PLANKEEPER_FILE") == f"{PLANS}/e2e-core.yaml"], 2.0, 0.05)
        e = errors[0]
        expect(e.get("PLANKEEPER_FILE") == f"{PLANS}/e2e-core.yaml" and e.get("PLANKEEPER_LINE") == str(bad_line),
               f"error does not point at {PLANS}/e2e-core.yaml:{bad_line}: {e.get('PLANKEEPER_FILE')}:{e.get('PLANKEEPER_LINE')}")
        expect(e["MESSAGE"].startswith(f"{PLANS}/e2e-core.yaml:{bad_line}:"), f"message lacks FILE:LINE: {e['MESSAGE']}")
        expect(e.get("PLANKEEPER_KEPT_OLD") == "true", "error does not say the previous version stays in force")
        reloaded = wait_for("the reload after the broken edit", lambda: self.o.with_id("planReloaded", after=cursor), 2.0, 0.05)
        # The old plan stays in force: the reload changed nothing.
        expect(reloaded[-1].get("PLANKEEPER_CHANGES") == "0", f"a broken edit changed the schedule: {reloaded[-1]['MESSAGE']!r}")
        log(f"journal: {e['MESSAGE']}")

    def systemctl_reload(self):
        pid = self.main_pid()
        cursor = self.m.cursor()
        self.m.sh(f"systemctl reload {UNIT}")
        # `systemctl reload` returns when kill returned (systemd 252 has no
        # Type=notify-reload): the daemon's own message says it is done.
        reloaded = wait_for("the reload message", lambda: self.o.with_id("planReloaded", after=cursor), 5, 0.05)
        expect(int(reloaded[0]["_PID"]) == pid and self.main_pid() == pid, "reload restarted the process")
        expect(self.running(), "not running after reload")

    def admin_done(self):
        period = str(self.dates.day(1).year)
        cursor = self.m.cursor()
        out = self.m.sh(f"plankeeper done e2e-core group-meeting {period}")
        log(f"plankeeper done: {out.strip()}")
        recorded = wait_for("the record in the journal",
                            lambda: self.o.journal(cursor, MESSAGE_ID=MESSAGE_IDS["recordAdded"]), 5, 0.1)
        expect(recorded[0].get("PLANKEEPER_ITEM") == "group-meeting", f"record entry: {recorded[0]}")
        owners = self.m.sh(f"stat -c '%U:%G %a %n' {STATE}/plankeeper.sqlite*")
        expect(all(l.startswith("plankeeper:plankeeper ") for l in owners.splitlines()),
               f"the ledger's files changed owner after `done` as root:\n{owners}")
        records = self.m.sh("plankeeper records --config /etc/plankeeper/plankeeper.yaml 2>&1", check=False)
        expect("group-meeting" in records or "党小组会" in records, f"record not in the ledger:\n{records}")
        self.done_item = "group-meeting"

    def backup(self):
        """The backup timer ships disabled; its service, started by hand,
        writes a dated copy as the service user that holds every record;
        `plankeeper backup` by root does the same into a folder of its own."""
        enabled = self.m.run("systemctl is-enabled plankeeper-backup.timer").stdout.strip()
        expect(enabled == "disabled", f"plankeeper-backup.timer is {enabled!r} after install, not disabled")
        self.m.sh("systemctl start plankeeper-backup.service")  # Type=oneshot: returns when done
        dated = self.m.sh("ls /var/backups/plankeeper").split()
        expect(len(dated) == 1 and re.fullmatch(r"\d{4}-\d\d-\d\d", dated[0]) is not None,
               f"/var/backups/plankeeper holds {dated}")
        folder = f"/var/backups/plankeeper/{dated[0]}"
        owners = self.m.sh(f"stat -c '%U %a %n' {folder} {folder}/plankeeper.sqlite")
        expect(all(l.startswith("plankeeper ") for l in owners.splitlines()), f"backup owners:\n{owners}")
        expect(owners.splitlines()[0].split()[1] == "700", f"backup folder mode:\n{owners}")
        self.m.sh("plankeeper backup /root/backup-by-hand")
        for copy in (f"{folder}/plankeeper.sqlite", "/root/backup-by-hand/plankeeper.sqlite"):
            check = self.m.sh("python3 -", input=(
                "import sqlite3\n"
                f"a = sqlite3.connect('file:{STATE}/plankeeper.sqlite?mode=ro', uri=True)\n"
                f"b = sqlite3.connect('file:{copy}?mode=ro', uri=True)\n"
                "q = 'select id, plan, item, period, done_on from record order by id'\n"
                "print(b.execute('pragma integrity_check').fetchone()[0], a.execute(q).fetchall() == b.execute(q).fetchall(),"
                " len(b.execute(q).fetchall()))\n"))
            integrity, same, count = check.split()
            expect(integrity == "ok" and same == "True" and int(count) > 0, f"{copy}: {check}")
        log(f"backup: {folder} (by the timer's service) and /root/backup-by-hand hold all {count} records")

    def kill_9(self):
        """SIGKILL in the middle of a tick that spools 120 messages; systemd
        restarts the daemon, which spools the rest, and each is mailed once."""
        plan = "e2e-crash"
        items = [{"id": f"item-{i:02d}", "title": f"崩溃测试事项{i:02d}", "due": self.dates.day(1), "remind": "1d",
                  "notify": "members"} for i in range(12)]
        expected = 12 * 10
        pid = self.main_pid()
        restarts = int(self.show("NRestarts")["NRestarts"])
        new = self.m.path(f"{SPOOL}/new")
        self.add_plan(f"{plan}.yaml", plan_yaml(plan, items, members=10))
        # Kill as soon as the first message of this plan is in the spool.
        wait_for("the first spooled message", lambda: any(plan in n for n in os.listdir(new)) or
                 any(plan in n for n in self.o.spooled()), 10, 0.001)
        os.kill(host_pid(self.m, pid), signal.SIGKILL)
        at_kill = len([n for n in self.o.spooled() if plan in n])
        log(f"killed {pid} with {at_kill} of {expected} messages spooled")
        wait_for("a restarted main process", lambda: self.running() and self.main_pid() != pid, 20, 0.1)
        expect(int(self.show("NRestarts")["NRestarts"]) == restarts + 1, "NRestarts did not go up by one")
        wait_for(f"{expected} messages of {plan} spooled", lambda: len([n for n in self.o.spooled() if plan in n]) >= expected, 20)
        names = [n for n in self.o.spooled() if plan in n]
        dup = [n for n, c in Counter(names).items() if c > 1]
        expect(not dup and len(names) == expected, f"spool: {len(names)} names, duplicates {dup}")
        self.wait_mail(plan, expected, 60)
        self.kill_report = (at_kill, expected)

    def watchdog(self):
        pid = self.main_pid()
        wd = int(self.show("WatchdogUSec")["WatchdogUSec"].rstrip("s") or 0) if False else self.show("WatchdogUSec")["WatchdogUSec"]
        cursor = self.m.cursor()
        t0 = time.monotonic()
        os.kill(host_pid(self.m, pid), signal.SIGSTOP)
        wait_for("systemd to restart the hung process", lambda: self.running() and self.main_pid() != pid, 90, 0.2)
        seconds = time.monotonic() - t0
        text = "\n".join(self.o.about_unit(cursor))
        expect("Watchdog timeout" in text, f"no watchdog timeout in the journal:\n{text}")
        log(f"WatchdogSec={wd}: restarted {seconds:.1f} s after the pings stopped")

    def security(self):
        out = self.m.sh(f"systemd-analyze security {UNIT}.service --no-pager", check=False)
        print("\n".join("    " + l for l in out.rstrip().splitlines()))
        match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", out)
        expect(match is not None, "no exposure level in systemd-analyze security output")
        self.exposure = float(match.group(1))
        log(f"exposure {self.exposure}")
        expect(self.exposure <= 2.5, f"exposure {self.exposure} is above 2.5")

    def stop(self):
        timeout = self.show("TimeoutStopUSec")["TimeoutStopUSec"]
        cursor = self.m.cursor()
        t0 = time.monotonic()
        self.m.sh(f"systemctl stop {UNIT}")
        seconds = time.monotonic() - t0
        s = self.show("ActiveState", "Result", "ExecMainCode", "ExecMainStatus")
        expect(s["ActiveState"] == "inactive" and s["Result"] == "success", f"after stop: {s}")
        expect(s["ExecMainCode"] == "1" and s["ExecMainStatus"] == "0", f"did not exit 0 by itself: {s}")
        stopping = self.o.with_id("daemonStopping", after=cursor)
        expect(stopping, "no 'stopping' message")
        log(f"stopped in {seconds:.2f} s (TimeoutStopSec={timeout}), exit status 0")

    def done_while_stopped(self):
        """The admin records work as root while the service is stopped. No
        connection holds the ledger open then, so SQLite creates its -wal
        and -shm files afresh, as root; it gives them to the database's
        owner, so the service, which runs as plankeeper and has no
        CAP_DAC_OVERRIDE, can still write when it starts again."""
        expect(self.show("ActiveState")["ActiveState"] == "inactive", "the service should be stopped here")
        self.m.sh(f"plankeeper done e2e-core study {self.dates.day(1).year}")
        owners = self.m.sh(f"stat -c '%U:%G %a %n' {STATE}/plankeeper.sqlite*")
        log("after `done` as root, service stopped:\n" + owners.rstrip())
        expect(all(l.startswith("plankeeper:plankeeper ") for l in owners.splitlines()), f"owners changed:\n{owners}")
        self.m.sh(f"systemctl start {UNIT}")
        expect(self.running(), "not running after start")
        plan = "e2e-after-stop"
        self.add_plan(f"{plan}.yaml", plan_yaml(plan, self.one_day_item(plan, 1)))
        self.wait_mail(plan, 1, 30)
        from fault_scenarios import handled  # noqa: PLC0415
        wait_for("the service to record the notice in the ledger", lambda: handled(self, plan) == 1, 10, 0.2)
        self.m.sh(f"systemctl stop {UNIT}")

    # ---------------------------------------------------------------- the final account

    def account(self):
        """Nothing lost, nothing twice, over the whole run: every message
        spooled was mailed exactly once, none is left behind, and every
        notice the journal reported has its mail."""
        spool = self.o.spool()
        names = self.o.spooled()
        dup = [n for n, c in Counter(names).items() if c > 1]
        expect(not dup, f"in the spool twice: {dup}")
        left = {f: sorted(v) for f, v in spool.items() if f not in ("cur", "tmp") and v}
        expect(not left, f"not delivered: {left}")
        mails = self.o.mails()
        no_duplicates(mails)
        expect(len(mails) == len(names), f"{len(names)} messages spooled, {len(mails)} mails in the mailbox")
        keys = Counter((m.get("X-Plankeeper-Plan", ""), m.get("X-Plankeeper-Item", ""), m.get("X-Plankeeper-Period", ""),
                        m["X-Plankeeper-Kind"], m["To"].addresses[0].addr_spec) for m in mails)
        missing = []
        for e in self.o.notices():
            if e["PLANKEEPER_KIND"] in ("backlog", "digest"):
                continue
            key = (e["PLANKEEPER_PLAN"], e["PLANKEEPER_ITEM"], e["PLANKEEPER_PERIOD"], e["PLANKEEPER_KIND"],
                   e["PLANKEEPER_RECIPIENT"])
            if keys[key] == 0:
                missing.append(key)
        expect(not missing, f"notices in the journal with no mail: {missing[:10]}")
        for plan, count in self.expected_mail.items():
            have = len([m for m in mails if m.get("X-Plankeeper-Plan") == plan])
            expect(have == count, f"{plan}: {count} mails expected, {have} in the mailbox at the end")
        log(f"{len(names)} messages spooled, {len(mails)} mails delivered, none twice")

    # ---------------------------------------------------------------- running it

    def run(self) -> int:
        t0 = time.monotonic()
        MESSAGE_IDS.update(message_ids())
        where = "the VM" if self.args.vm_guest else "the upgrade container" if self.args.upgrade else "the container"
        try:
            if self.args.vm_guest:
                self.run_in_vm()
            elif self.args.upgrade:
                self.run_upgrade()
            else:
                self.run_in_container()
        finally:
            if self.clock:
                self.clock.restore()
            self.keep_evidence()
            if self.args.keep and not self.args.vm_guest:
                log(f"the container keeps running: nsenter -t {self.m.pid1} -a bash; "
                    f"stop it with kill {self.m.nspawn.pid}")
            else:
                self.m.stop()
        failed = [r for r in self.results if r[1] != "ok"]
        log(f"summary ({time.monotonic() - t0:.0f} s in {where}):")
        for name, status, seconds, _ in self.results:
            print(f"  {status:4} {seconds:6.1f} s  {name}", flush=True)
        if hasattr(self, "exposure"):
            log(f"systemd-analyze security: exposure {self.exposure}")
        return 1 if failed else 0

    def run_in_container(self) -> None:
        self.step("boot the container", self.m.boot, critical=True)
        self.step("apt install the package as docs/operations.md says", self.install, critical=True)
        self.step("configured and restarted as docs/operations.md says", self.start, critical=True)
        self.step("the admin puts plans in: reloaded, mailed", self.plans_in, critical=True)
        self.step("man pages and bash completion", self.manuals_and_completion)
        self.step("active only after READY=1; STATUS= in systemctl status", self.ready_and_status)
        self.step("a reminder: journal fields, journalctl -x, mail through postfix", self.reminder)
        self.step("systemd-analyze security", self.security)
        self.step("a plan edit reloads within 2 s and says what changed", self.reload_on_edit)
        self.step("a broken edit logs FILE:LINE and keeps the old plan", self.broken_edit)
        self.step("systemctl reload", self.systemctl_reload)
        self.step("plankeeper done by the admin while the service runs", self.admin_done)
        self.step("backup: the timer ships disabled, its service and plankeeper backup copy every record", self.backup)
        self.step("kill -9 mid-tick: restarted, nothing twice", self.kill_9)
        self.step("watchdog: pings stop, systemd restarts it", self.watchdog)
        for name, fn in plugin_scenarios(self, "scenarios"):
            self.step(name, fn)
        self.step("systemctl stop exits cleanly", self.stop)
        self.step("plankeeper done as root while stopped; the service still writes", self.done_while_stopped)
        self.step("the account: nothing lost, nothing twice", self.account)
        self.step("apt remove keeps the ledger, apt purge only what the admin wrote", self.remove_and_purge)

    def run_upgrade(self) -> None:
        """A container of its own: the previous commit's package installed
        and used, then this commit's installed over it."""
        self.step("boot the container", self.m.boot, critical=True)
        self.step("apt install the previous commit's package", self.install, critical=True)
        self.step("configured and restarted as docs/operations.md says", self.start, critical=True)
        self.step("the previous commit's package: a notice mailed, a record entered", self.previous_work,
                  critical=True)
        self.step("upgrade: restarted, ledger and spool kept, schema migrated, nothing sent again", self.upgrade)
        self.step("the account: nothing lost, nothing twice", self.account)

    def run_in_vm(self) -> None:
        """In the VM (vm.py): the same install and start, then the scenarios
        that need a kernel of their own, then the same account."""
        self.step("apt install the package as docs/operations.md says", self.install, critical=True)
        self.step("configured and restarted as docs/operations.md says", self.start, critical=True)
        self.step("the admin puts plans in: reloaded, mailed", self.plans_in, critical=True)
        self.step("plankeeper done by the admin while the service runs", self.admin_done)
        for name, fn in plugin_scenarios(self, "vm_scenarios"):
            self.step(name, fn)
        self.step("the account: nothing lost, nothing twice", self.account)

    def keep_evidence(self):
        """The journal and the mailbox, for whoever reads a failure."""
        if not self.m.pid1:
            return
        try:
            (self.work / "journal.txt").write_text(self.m.sh("journalctl --no-pager -o short-precise", check=False))
            (self.work / "plankeeper.json").write_text(self.m.sh(f"journalctl --no-pager -o json -u {UNIT}", check=False))
            box = self.m.path(MAILBOX)
            if box.exists():
                (self.work / "mailbox").write_bytes(box.read_bytes())
        except Exception as error:  # noqa: BLE001
            log(f"could not keep the evidence: {error}")


# ---------------------------------------------------------------- small helpers

def operations_blocks() -> dict[str, str]:
    """The shell blocks of docs/operations.md marked `<!-- e2e:NAME ... -->`."""
    text = (REPO / "docs/operations.md").read_text()
    blocks = {}
    for match in re.finditer(r"<!-- e2e:(\w+)[^>]*-->\s*```sh\n(.*?)```", text, re.S):
        blocks[match.group(1)] = match.group(2)
    for name in ("install", "start"):
        if name not in blocks:
            raise Failure(f"docs/operations.md has no <!-- e2e:{name} --> block")
    return blocks


def message_ids() -> dict[str, str]:
    """MessageID constants by name, from Sources/*/MessageID.swift."""
    found = sorted((REPO / "Sources").rglob("MessageID.swift"))
    if not found:
        raise Failure("no Sources/*/MessageID.swift")
    text = found[0].read_text()
    ids = dict(re.findall(r'static let (\w+)\s*=\s*"([0-9a-f]{32})"', text))
    for name in NOTICE_IDS + ("planReloaded", "planError", "daemonStarted", "daemonStopping", "recordAdded",
                              "delivered", "deliveryDeferred"):
        if name not in ids:
            raise Failure(f"MessageID.{name} not found in Sources/Journal/MessageID.swift")
    return ids


def source_migrations() -> list[str]:
    """The ledger migrations this checkout registers (Sources/Ledger)."""
    names: list[str] = []
    for path in sorted((REPO / "Sources").rglob("*.swift")):
        if "Ledger" in path.parts:
            names += re.findall(r'registerMigration\(\s*"([^"]+)"', path.read_text())
    if not names:
        raise Failure("no registerMigration(\"…\") found under Sources/Ledger")
    return names


def ledger_migrations(m: Machine) -> list[str]:
    """The migrations the installed ledger has applied (GRDB's table)."""
    out = m.sh(f"python3 -c \"import sqlite3; c = sqlite3.connect('file:{STATE}/plankeeper.sqlite?mode=ro', uri=True); "
               f"print(' '.join(r[0] for r in c.execute('select identifier from grdb_migrations')))\"", check=False)
    return out.split()


def bash_complete(m: Machine, line: str) -> list[str]:
    """What Tab offers at the end of `line` in an interactive bash with the
    package's completion (bash-completion loads it on demand)."""
    script = f"""
source /usr/share/bash-completion/bash_completion
line={shlex.quote(line)}
read -ra COMP_WORDS <<< "$line"
[[ $line == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE=$line
COMP_POINT=${{#line}}
_completion_loader plankeeper
spec=$(complete -p plankeeper)
func=$(sed -E 's/.* -F ([^ ]+) .*/\\1/' <<< "$spec")
"$func" plankeeper "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    return [w for w in m.sh(script).splitlines() if w]


def set_key(config: str, key: str, value: str) -> str:
    new, n = re.subn(rf"^{re.escape(key)}:.*$", f"{key}: {value}", config, flags=re.M)
    return new if n else config + f"{key}: {value}\n"


def set_mail(config: str) -> str:
    """mail.transport: smtp to postfix on 127.0.0.1:25 (the hardened unit's
    NoNewPrivileges= rules out postfix's setgid sendmail)."""
    lines = config.splitlines()
    out, in_mail = [], False
    for line in lines:
        if re.match(r"^mail:", line):
            in_mail = True
            out.append(line)
            continue
        if in_mail and line and not line.startswith(" "):
            in_mail = False
        if in_mail and re.match(r"^\s+(transport|smtp|host|port|tls):", line):
            continue
        out.append(line)
    text = "\n".join(out) + "\n"
    if "mail:" not in text:
        text += "mail:\n"
    return text.replace("mail:\n", "mail:\n  transport: smtp\n  smtp: {host: 127.0.0.1, port: 25}\n", 1)


def parse_us(value: str) -> int:
    """systemctl show --timestamp=us+utc: 'Tue 2026-11-24 14:09:48.123456 UTC'."""
    stamp = dt.datetime.strptime(" ".join(value.split()[1:3]), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.timezone.utc)
    return int(stamp.timestamp()) * 1_000_000 + stamp.microsecond


def host_pid(m: Machine, pid: int) -> int:
    """The host's pid of a process the container calls `pid`."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry.name}/status").read_text()
        except OSError:
            continue
        ns = re.search(r"^NSpid:\s+(.*)$", status, re.M)
        if ns and ns.group(1).split()[-1] == str(pid) and len(ns.group(1).split()) > 1:
            if os.readlink(f"/proc/{entry.name}/ns/pid") == os.readlink(f"/proc/{m.pid1}/ns/pid"):
                return int(entry.name)
    raise Failure(f"no host pid for container pid {pid}")


def plugin_scenarios(t: E2E, kind: str) -> list:
    """The scenarios of every Tests/e2e/*_scenarios.py, in file-name order:
    `scenarios(t)` runs in the container after the core scenarios,
    `vm_scenarios(t)` in the VM (for faults that need a kernel of their own).
    Each returns a list of (name, function); a missing function means none.
    See README.md beside this file."""
    found = []
    for path in sorted(Path(__file__).resolve().parent.glob("*_scenarios.py")):
        module = importlib.import_module(path.stem)
        make = getattr(module, kind, None)
        if make is not None:
            found += list(make(t))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", help="the container root file system")
    parser.add_argument("--stage", help="the checkout copy to install from (bound at /src)")
    parser.add_argument("--work", help="a folder for logs and evidence")
    parser.add_argument("--only", metavar="REGEX", help="run only the scenarios whose name matches (for debugging)")
    parser.add_argument("--keep", action="store_true", help="leave the container running at the end (for debugging)")
    parser.add_argument("--vm", action="store_true", help="boot the VM and run the vm_scenarios there (host side)")
    parser.add_argument("--upgrade", action="store_true",
                        help="the upgrade test: the stage's prev/*.deb, then its *.deb over it, in a container")
    parser.add_argument("--vm-guest", action="store_true", help=argparse.SUPPRESS)  # inside the VM (vm.py)
    args = parser.parse_args()
    # The scenario files import this file as `e2e`: let them find this very
    # module (with its MESSAGE_IDS filled in), not a second copy.
    sys.modules.setdefault("e2e", sys.modules[__name__])
    if args.vm:
        from vm import run_vm  # noqa: PLC0415
        return run_vm(REPO, Path(args.root), Path(args.stage), Path(args.work), args.only or "")
    if args.vm_guest:
        return run_guest(args)
    return E2E(args).run()


def run_guest(args) -> int:
    """Inside the VM: run, then hand the result and the evidence to the host
    over this process's stdout (the VM's second serial port, see vm.py)."""
    from vm import EVIDENCE_MARK, RESULT_MARK  # noqa: PLC0415
    Path(args.work).mkdir(parents=True, exist_ok=True)
    try:
        status = E2E(args).run()
    except Exception:  # noqa: BLE001 - a critical step failed; it is in the log already
        traceback.print_exc()
        status = 1
    sys.stdout.flush()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in sorted(Path(args.work).iterdir()):
            tar.add(path, arcname=path.name)
    print(EVIDENCE_MARK + base64.b64encode(buffer.getvalue()).decode(), flush=True)
    print(RESULT_MARK + json.dumps({"status": status}), flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
