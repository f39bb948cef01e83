"""A booted Debian systemd in a container (systemd-nspawn) or, from inside,
the e2e VM, and the VM's wall clock, for the end-to-end test.

What was verified on this kind of machine, and the pitfalls this code works
around, are in ../shared/notes/systemd-container.md: the nspawn process's first
child can be a short-lived helper (look for the child named systemd);
`systemctl is-system-running --wait` says "offline" until systemd listens; a
SIGTERM sent very early is lost; processes entered with nsenter stay in the
host's cgroup.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time
from pathlib import Path


class Failure(Exception):
    """A check that did not hold: the message says what was expected and seen."""


def wait_for(what: str, predicate, timeout: float, interval: float = 0.1):
    """Polls `predicate` until it returns something truthy, for at most
    `timeout` seconds; returns that value or raises Failure naming `what`.
    Polling with a deadline, never a fixed sleep: a check passes as soon as
    the system gets there, and fails with a clear message when it does not."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise Failure(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


class Machine:
    """One container: boot(), sh() inside it as root, path() to read its
    files from the host, stop()."""

    def __init__(self, root: Path, log: Path, binds: list[tuple[str, str]]):
        self.root = root
        self.log = log
        self.binds = binds
        self.nspawn: subprocess.Popen | None = None
        self.pid1: int | None = None

    def boot(self, timeout: float = 60) -> None:
        cmd = ["systemd-nspawn", "-b", "-D", str(self.root), "--register=no", "--keep-unit",
               "--private-network", "-q", "--volatile=overlay", "--hostname=plankeeper-e2e"]
        for host, inside in self.binds:
            cmd.append(f"--bind-ro={host}:{inside}")
        # --volatile=overlay: every run starts from the same cached root and
        # nothing a run writes survives it. --private-network: loopback only,
        # all the MTA and the hardened unit need. The console goes to a log.
        self.nspawn = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=open(self.log, "wb"),
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.pid1 = wait_for("systemd as PID 1 of the container", self._find_pid1, timeout, 0.05)
        state = ""

        def booted():
            nonlocal state
            r = subprocess.run(["nsenter", "-t", str(self.pid1), "-a", "systemctl", "is-system-running", "--wait"],
                               capture_output=True, text=True, timeout=timeout)
            state = r.stdout.strip()
            return state in ("running", "degraded")

        wait_for("the container to finish booting", booted, timeout, 0.1)
        if state == "degraded":
            print(self.sh("systemctl --failed --no-pager", check=False))

    @classmethod
    def this_machine(cls) -> "Machine":
        """The machine this process runs on, as a Machine (the e2e VM's
        guest side): PID 1 is its systemd, so sh() and path() work unchanged."""
        machine = cls(Path("/"), Path("/dev/null"), [])
        machine.pid1 = 1
        return machine

    def _find_pid1(self):
        if self.nspawn.poll() is not None:
            raise Failure(f"systemd-nspawn exited ({self.nspawn.returncode}): {self.log.read_text(errors='replace')[-2000:]}")
        try:
            children = Path(f"/proc/{self.nspawn.pid}/task/{self.nspawn.pid}/children").read_text().split()
        except OSError:
            return None
        for child in children:
            try:
                if Path(f"/proc/{child}/comm").read_text().strip() == "systemd":
                    return int(child)
            except OSError:
                pass
        return None

    def sh(self, command: str, check: bool = True, timeout: float = 120, input: bytes | str | None = None,
           env: dict[str, str] | None = None) -> str:
        """Runs a shell command in the container as root with a clean
        environment (what an admin's root shell has), returns its stdout."""
        environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
                       "LANG": "C.UTF-8", "TERM": "dumb", "SYSTEMD_PAGER": "", "SYSTEMD_COLORS": "0",
                       **(env or {})}
        argv = ["nsenter", "-t", str(self.pid1), "-a", "--", "env", "-i"]
        argv += [f"{k}={v}" for k, v in environment.items()]
        argv += ["/bin/bash", "-c", command]
        data = input.encode() if isinstance(input, str) else input
        r = subprocess.run(argv, input=data, capture_output=True, timeout=timeout)
        out = r.stdout.decode(errors="replace")
        if check and r.returncode != 0:
            raise Failure(f"in the container, `{command}` exited {r.returncode}:\n{out}{r.stderr.decode(errors='replace')}")
        return out

    def run(self, command: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Like sh() but returns the whole result (exit status, stderr)."""
        argv = ["nsenter", "-t", str(self.pid1), "-a", "--", "env", "-i",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8",
                "SYSTEMD_PAGER=", "SYSTEMD_COLORS=0", "/bin/bash", "-c", command]
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)

    def path(self, inside: str) -> Path:
        """A file of the container, seen from the host through PID 1's root:
        reading mailboxes and the spool this way costs no process."""
        return Path(f"/proc/{self.pid1}/root{inside}")

    def write(self, inside: str, text: str) -> None:
        """Writes a file in the container the way an editor saving in place
        would (one write, then close), as root."""
        self.sh(f"cat > {shlex.quote(inside)}", input=text)

    def journal(self, *args: str) -> list[dict]:
        out = self.sh("journalctl -o json --no-pager " + " ".join(shlex.quote(a) for a in args), check=False)
        entries = []
        for line in out.splitlines():
            if line.strip():
                entry = json.loads(line)
                for key, value in list(entry.items()):
                    # journalctl gives non-UTF-8 (or huge) values as byte arrays.
                    if isinstance(value, list) and value and isinstance(value[0], int):
                        entry[key] = bytes(value).decode(errors="replace")
                entries.append(entry)
        return entries

    def cursor(self) -> str:
        """The journal's current end, to ask later for what came after."""
        entries = self.journal("-n", "1")
        return entries[-1]["__CURSOR"] if entries else ""

    def stop(self) -> None:
        if not self.nspawn:
            return
        deadline = time.monotonic() + 20
        # SIGTERM powers the container off; one sent very early is lost: resend.
        while self.nspawn.poll() is None and time.monotonic() < deadline:
            try:
                os.kill(self.nspawn.pid, signal.SIGTERM)
            except ProcessLookupError:
                break
            try:
                self.nspawn.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        if self.nspawn.poll() is None:
            for pid in (self.pid1, self.nspawn.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, TypeError):
                    pass
            self.nspawn.wait()
        self.nspawn = None


class WallClock:
    """Steps the wall clock (CLOCK_REALTIME) of the e2e VM and puts it back.

    There is one CLOCK_REALTIME per kernel: a container shares its host's,
    and time namespaces do not cover it (see vm.py). So this class refuses
    to step any clock but the one of the VM that vm.py boots: its kernel
    command line carries `plankeeper.e2e-vm=1`, which no host has.
    `restore()` sets the clock to what it would read had it never been
    stepped, computed from CLOCK_MONOTONIC (which steps do not move), so the
    guest's later checks see the true time again.
    """

    MARK = "plankeeper.e2e-vm=1"

    def __init__(self):
        self.offset = time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_MONOTONIC)
        self.stepped = False

    @classmethod
    def in_e2e_vm(cls) -> bool:
        try:
            return cls.MARK in Path("/proc/cmdline").read_text().split()
        except OSError:
            return False

    def true_now(self) -> float:
        return time.clock_gettime(time.CLOCK_MONOTONIC) + self.offset

    def set(self, epoch_seconds: float) -> None:
        if not self.in_e2e_vm():
            raise Failure("refusing to step the wall clock: this is not the e2e VM (no "
                          f"{self.MARK} on /proc/cmdline); clock faults run in Tests/e2e/vm.py's VM")
        self.stepped = True
        time.clock_settime(time.CLOCK_REALTIME, epoch_seconds)

    def restore(self) -> None:
        if self.stepped:
            time.clock_settime(time.CLOCK_REALTIME, self.true_now())
            self.stepped = False
