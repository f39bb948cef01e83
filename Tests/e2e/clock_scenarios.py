"""The wall clock stepped under the running service: in the e2e VM only.

A container shares its host's CLOCK_REALTIME, so these scenarios run in a
kernel of their own (vm.py boots Debian's kernel in qemu with the container's
root, installs plankeeper the same way, and runs `e2e.py --vm-guest`, which
calls vm_scenarios() below). WallClock refuses to step any clock but that
VM's.
"""

from __future__ import annotations

from e2e import E2E, UNIT, expect, log
from machine import wait_for


def clock_steps(t: E2E):
    """The wall clock stepped forward a day, then back an hour across the
    moment the day's notices go out, then forward again, then back to the
    true time. The daemon's CLOCK_REALTIME timerfd is cancelled by each
    step; each time it must do the day's work once and never again. The
    admin's `plankeeper done` of e2e-core/group-meeting must suppress that
    item's due notice."""
    d = t.dates
    tomorrow = d.day(1)
    mails_before = len(t.o.mails())
    spooled_before = set(t.o.spooled())

    def sentinel() -> None:
        """A reload queued behind whatever the clock step woke: once its
        message is in the journal, the tick the step caused is done."""
        cursor = t.m.cursor()
        t.m.sh(f"systemctl reload {UNIT}")
        wait_for("the sentinel reload", lambda: t.o.with_id("planReloaded", after=cursor), 10, 0.05)

    cursor = t.m.cursor()
    t.clock.set(d.instant(tomorrow, 0, 35))
    wait_for("the daemon to notice the clock step", lambda: [e for e in t.o.entries(cursor)
                                                           if "wall clock was set" in e.get("MESSAGE", "")], 10, 0.05)
    sentinel()
    day1 = t.o.notices(after=cursor)
    core = {(e["PLANKEEPER_ITEM"], e["PLANKEEPER_KIND"]) for e in day1 if e.get("PLANKEEPER_PLAN") == "e2e-core"}
    log(f"a day ahead: {len(day1)} notices, e2e-core: {sorted(core)}")
    expect(("lecture", "due") in core, f"lecture's due notice did not go out on {tomorrow}: {sorted(core)}")
    expect(not any(item == "group-meeting" for item, _ in core),
           f"group-meeting was recorded done, yet notified: {sorted(core)}")

    for label, instant in (("back an hour", d.instant(d.day(0), 23, 35)),
                           ("forward again past send-at", d.instant(tomorrow, 0, 40))):
        cursor = t.m.cursor()
        t.clock.set(instant)
        wait_for("the daemon to notice the clock step", lambda: [e for e in t.o.entries(cursor)
                                                               if "wall clock was set" in e.get("MESSAGE", "")], 10, 0.05)
        sentinel()
        again = t.o.notices(after=cursor)
        expect(not again, f"{label}: notices sent again: {[e['MESSAGE'] for e in again][:5]}")
        log(f"{label}: nothing sent again")

    cursor = t.m.cursor()
    t.clock.restore()
    wait_for("the daemon to notice the clock step", lambda: [e for e in t.o.entries(cursor)
                                                           if "wall clock was set" in e.get("MESSAGE", "")], 10, 0.05)
    sentinel()
    again = t.o.notices(after=cursor)
    expect(not again, f"back to the true time: notices sent again: {[e['MESSAGE'] for e in again][:5]}")
    status = t.show("StatusText")["StatusText"]
    log(f"back to the true time: nothing sent again; status {status!r}")
    # Every notice of the day ahead was mailed once. plankeeper hands them to
    # postfix within a second, but postfix stamps each queue file with the
    # (stepped) time it arrived and its queue manager leaves files "from the
    # future" alone until the clock reaches them: mail queued while the
    # clock was a day ahead would sit in postfix's queue until tomorrow.
    # That is postfix's behaviour, not the daemon's, and the admin's cure
    # (docs/operations.md) is the test's: `postqueue -f` (scan ignoring
    # time stamps). Only once everything left the spool, so nothing is
    # handed over after the flush.
    wait_for("the spool to hand every message to postfix",
             lambda: not (t.o.spool().get("new") or t.o.spool().get("queue")), 30, 0.2)
    t.m.sh("postqueue -f")
    new = set(t.o.spooled()) - spooled_before
    wait_for(f"{len(new)} new mails", lambda: len(t.o.mails()) >= mails_before + len(new), 60, 0.2)
    for plan in {e["PLANKEEPER_PLAN"] for e in day1 if e.get("PLANKEEPER_PLAN")}:
        t.expected_mail[plan] = len(t.o.mails_for(plan))



def scenarios(t: E2E):
    """Nothing in the container: the clock is the host's there."""
    return []


def vm_scenarios(t: E2E):
    """Run in the VM after install, start and the admin's `done`."""
    return [("fault: wall clock a day ahead, an hour back, and back", lambda: clock_steps(t))]
