"""Fault scenarios of the end-to-end test. Each one makes something the
service depends on fail, drops in a plan whose notices fall due during the
fault, and asserts three things: the journal says what is wrong; nothing is
lost and nothing is sent twice (each notice reaches the mailbox exactly
once); and the service recovers by itself once the fault ends (the test
only ends the fault, it never restarts or pokes the service to recover).

The wall-clock steps are in clock_scenarios.py: they run in a VM of their own.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import time

from e2e import (E2E, MESSAGE_IDS, PLANS, SPOOL, STATE, UNIT, expect, log, plan_yaml)
from machine import Failure, wait_for

# How long the daemon may take to retry a tick that failed. It retries a
# minute after a failure (DaemonService.cycle), so a fault that ended is
# over for the service within a minute and a bit.
RETRY = 75


def errors_since(t: E2E, cursor: str, pattern: str) -> list[dict]:
    """plankeeper's entries of priority warning or worse matching pattern."""
    return [e for e in t.o.entries(cursor, priority=4) if re.search(pattern, e.get("MESSAGE", ""), re.I)]


def spooled(t: E2E, plan: str) -> list[str]:
    return [n for n in t.o.spooled() if n.startswith(plan + "_")]


def handled(t: E2E, plan: str) -> int:
    """Notices of the plan the ledger records as handled (read-only query)."""
    out = t.m.sh(f"python3 -c \"import sqlite3; c = sqlite3.connect('file:{STATE}/plankeeper.sqlite?mode=ro', uri=True, timeout=10); "
                 f"print(c.execute('select count(*) from handled_notice where plan = ?', ('{plan}',)).fetchone()[0])\"")
    return int(out.strip())


def spool_full(t: E2E):
    plan = "e2e-full"
    cursor = t.m.cursor()
    # Fill the spool's file system (a 16 MB tmpfs) to the last byte.
    t.m.sh(f"dd if=/dev/zero of={SPOOL}/.e2e-fill bs=64k status=none 2>/dev/null; true")
    free = t.m.sh(f"df --output=avail -B1 {SPOOL} | tail -1").strip()
    expect(free == "0", f"the spool file system is not full: {free} bytes free")
    t.add_plan(f"{plan}.yaml", plan_yaml(plan, t.one_day_item(plan, 2)))
    errors = wait_for("the journal to report the full disk",
                      lambda: errors_since(t, cursor, r"No space left|ENOSPC|空间不足"), 10)
    log(f"journal: {errors[0]['MESSAGE']}")
    expect(not spooled(t, plan), f"half-written messages in the spool: {spooled(t, plan)}")
    expect(not t.o.mails_for(plan), "mail sent although nothing could be spooled")
    t0 = time.monotonic()
    t.m.sh(f"rm {SPOOL}/.e2e-fill")
    t.wait_mail(plan, 2, RETRY)
    log(f"recovered by itself {time.monotonic() - t0:.0f} s after space came back")


def spool_read_only(t: E2E):
    plan = "e2e-ro"
    cursor = t.m.cursor()
    t.m.sh(f"mount -o remount,ro {SPOOL}")
    try:
        t.add_plan(f"{plan}.yaml", plan_yaml(plan, t.one_day_item(plan, 2)))
        errors = wait_for("the journal to report the read-only spool",
                          lambda: errors_since(t, cursor, r"Read-only file system|EROFS|只读"), 10)
        log(f"journal: {errors[0]['MESSAGE']}")
        expect(not spooled(t, plan) and not t.o.mails_for(plan), "something was spooled on a read-only file system")
    finally:
        t0 = time.monotonic()
        t.m.sh(f"mount -o remount,rw {SPOOL}")
    t.wait_mail(plan, 2, RETRY)
    log(f"recovered by itself {time.monotonic() - t0:.0f} s after the file system was writable again")


def mta_stopped(t: E2E):
    plan = "e2e-mta"
    cursor = t.m.cursor()
    t.m.sh("systemctl stop postfix")
    try:
        t.add_plan(f"{plan}.yaml", plan_yaml(plan, t.one_day_item(plan, 2)))
        wait_for("both messages in the spool", lambda: len(spooled(t, plan)) == 2, 10)
        deferred = wait_for("the journal to report the delivery failure",
                            lambda: t.o.with_id("deliveryDeferred", after=cursor), 20)
        log(f"journal: {deferred[0]['MESSAGE']}")
        expect(not t.o.mails_for(plan), "mail delivered with the MTA stopped?")
    finally:
        t0 = time.monotonic()
        t.m.sh("systemctl start postfix")
    # The delivery service retries 30 s after the first failure, then 60, 120…
    t.wait_mail(plan, 2, 150)
    log(f"delivered by itself {time.monotonic() - t0:.0f} s after the MTA came back")


JOURNALD_UNITS = "systemd-journald.socket systemd-journald-dev-log.socket systemd-journald-audit.socket systemd-journald.service"


def journald_stopped(t: E2E):
    """journald and its sockets stopped (not merely restarted: with its
    sockets up, systemd would start it again at the first message).
    The notices due meanwhile are mailed once and recorded in the ledger;
    the service neither hangs nor dies, and its logging works again by
    itself once journald is back. What it logged meanwhile is gone: there
    is nothing to write it to (the hardened unit has no /dev/kmsg, and its
    stderr is a stream to the stopped journald)."""
    plan = "e2e-journald"
    pid = t.main_pid()
    t.m.sh(f"systemctl stop {JOURNALD_UNITS}")
    try:
        expect(t.m.run("systemctl is-active systemd-journald.service").stdout.strip() != "active", "journald still runs")
        t.add_plan(f"{plan}.yaml", plan_yaml(plan, t.one_day_item(plan, 2)))
        t.wait_mail(plan, 2, 30)
        wait_for(f"the ledger to record {plan}'s notices", lambda: handled(t, plan) == 2, 10, 0.2)
        expect(t.main_pid() == pid and t.running(), "the service did not survive journald's absence")
    finally:
        t.m.sh(f"systemctl start {JOURNALD_UNITS}")
    expect(t.main_pid() == pid and t.running(), "the service did not survive journald's return")
    # Logging works again without a restart: the next notice is in the journal.
    after = "e2e-journald-after"
    cursor = t.m.cursor()
    t.add_plan(f"{after}.yaml", plan_yaml(after, t.one_day_item(after, 1)))
    logged = wait_for("the next notice in the journal", lambda: t.o.notices(after, after=cursor), 10)
    log(f"journal after journald's return: {logged[0]['MESSAGE']!r} (transport {logged[0].get('_TRANSPORT')})")
    t.wait_mail(after, 1, 30)
    during = t.o.notices(plan)
    log(f"entries logged while journald was stopped that reached it: {len(during)} of 2 (expected none)")


def database_locked(t: E2E):
    plan = "e2e-lock"
    cursor = t.m.cursor()
    hold = 12  # seconds the other process keeps its exclusive transaction: the fault's length
    script = (f"import sqlite3, sys, time\n"
              f"c = sqlite3.connect('{STATE}/plankeeper.sqlite', isolation_level=None, timeout=0)\n"
              f"c.execute('BEGIN EXCLUSIVE')\n"
              f"print('locked', flush=True)\n"
              f"time.sleep({hold})\n"
              f"c.execute('ROLLBACK')\n"
              f"print('released', flush=True)\n")
    holder = subprocess.Popen(["nsenter", "-t", str(t.m.pid1), "-a", "--", "runuser", "-u", "plankeeper", "--",
                               "python3", "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        expect(holder.stdout.readline().strip() == "locked", "could not take the lock")
        t.add_plan(f"{plan}.yaml", plan_yaml(plan, t.one_day_item(plan, 2)))
        errors = wait_for("the journal to report the locked ledger",
                          lambda: errors_since(t, cursor, r"locked|busy|锁|繁忙"), 20)
        log(f"journal: {errors[0]['MESSAGE'][:300]}")
        expect(handled(t, plan) == 0, "notices marked handled while the ledger was locked?")
    finally:
        released = holder.stdout.readline().strip()
        holder.wait()
    t0 = time.monotonic()
    expect(released == "released", "the lock holder did not finish")
    # The mail may have gone out before the ledger write failed (spool
    # first, ledger second): what matters is that it goes out once, and the
    # ledger catches up by itself.
    wait_for(f"the ledger to record {plan}'s notices", lambda: handled(t, plan) >= 2, RETRY, 0.5)
    log(f"ledger caught up by itself {time.monotonic() - t0:.0f} s after the lock was released")
    t.wait_mail(plan, 2, 30)
    # Not asserted, reported: the retried tick logs the already spooled
    # notices a second time (one mail each, two journal entries).
    logged = len(t.o.notices(plan))
    if logged != 2:
        log(f"note: {logged} journal entries for {plan}'s 2 notices (the retried tick logs them again)")


def plans_folder_removed(t: E2E):
    plan = "e2e-restore"
    cursor = t.m.cursor()
    status_before = t.show("StatusText")["StatusText"]
    count_before = re.match(r"(\d+)", status_before).group(1)
    t.m.sh(f"cp -a {PLANS} /root/plans.backup && rm -rf {PLANS}")
    errors = wait_for("the journal to report the missing plans folder",
                      lambda: [e for e in t.o.with_id("planError", after=cursor) if e.get("PLANKEEPER_FILE") == PLANS], 5)
    log(f"journal: {errors[0]['MESSAGE']}")
    # The plans in force stay in force: a reload keeps them.
    cursor = t.m.cursor()
    t.m.sh(f"systemctl reload {UNIT}")
    reloaded = wait_for("the reload", lambda: t.o.with_id("planReloaded", after=cursor), 5, 0.05)
    expect(reloaded[-1].get("PLANKEEPER_CHANGES") == "0", f"plans dropped with the folder: {reloaded[-1]['MESSAGE']!r}")
    count = re.match(r"(\d+)", t.show("StatusText")["StatusText"]).group(1)
    expect(count == count_before, f"plans in force went from {count_before} to {count}")
    # Restored: watched again (the parent folder is watched too).
    cursor = t.m.cursor()
    t.m.sh(f"cp -a /root/plans.backup {PLANS}")
    wait_for("the reload after the restore", lambda: t.o.with_id("planReloaded", after=cursor), 5, 0.05)
    t.add_plan(f"{plan}.yaml", plan_yaml(plan, t.one_day_item(plan, 1)))
    t.wait_mail(plan, 1, 10)


def scenarios(t: E2E):
    """Run in the container, after the core scenarios (see README.md: scenario files)."""
    return [
        ("fault: spool on a full file system", lambda: spool_full(t)),
        ("fault: spool on a read-only file system", lambda: spool_read_only(t)),
        ("fault: MTA stopped", lambda: mta_stopped(t)),
        ("fault: journald stopped", lambda: journald_stopped(t)),
        ("fault: ledger locked by another process", lambda: database_locked(t)),
        ("fault: plans folder removed and restored", lambda: plans_folder_removed(t)),
    ]
