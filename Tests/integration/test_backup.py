"""`plankeeper backup` while a tick of the large city writes the ledger.

The city of scripts/bench (2,066 branch plans, Benchmarks/generate_city.py)
on a day with ~19,000 notices: the tick spools them and then records them in
the ledger in one transaction. Backups are taken one after another the whole
time, and a record is added (by another connection, as `plankeeper done`
would) before each: every copy must open on its own, pass SQLite's
integrity check, and hold every record committed before the backup began,
row for row. Then `prune` and `retention:` remove only sent-notice rows.

Everything lives in a tmpfs folder (/dev/shm when there is one): the test is
about consistency, not the disk, and the disk's fsyncs would make the tick
take minutes.
"""

import os
import pathlib
import shutil
import sqlite3
import subprocess
import tempfile
import time

import pytest

from conftest import ROOT, binary, run, write_config

BRANCHES = 2066
DAY = "2026-06-15T09:00"
RECORD_COLUMNS = "id, plan, item, period, done_on, \"by\", note, recorded_at"


@pytest.fixture
def workdir():
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    folder = pathlib.Path(tempfile.mkdtemp(prefix="pk-backup-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def records(path: pathlib.Path) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(f"SELECT {RECORD_COLUMNS} FROM record ORDER BY id").fetchall()


def add_record(ledger: pathlib.Path, n: int) -> None:
    """A record committed by another connection, as `plankeeper done` does."""
    with sqlite3.connect(ledger, timeout=30) as db:
        db.execute("INSERT INTO record (plan, item, period, done_on, \"by\", note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ("city-backup-test", f"item-{n}", "2026-06", "2026-06-15", "测试", f"during the tick #{n}", 1781500000 + n))


def test_backups_during_a_city_tick_hold_every_record(workdir):
    plans = workdir / "plans"
    subprocess.run(["python3", str(ROOT / "Benchmarks/generate_city.py"), "--branches", str(BRANCHES), "--year", "2026",
                    "--out", str(plans)], check=True, capture_output=True)
    config = write_config(workdir, plans)
    ledger = workdir / "state" / "plankeeper.sqlite"
    # The ledger, created and migrated by plankeeper, with 5,000 records.
    assert run("records", "--config", str(config), check=False).returncode == 0
    with sqlite3.connect(ledger) as db:
        db.executemany("INSERT INTO record (plan, item, period, done_on, \"by\", note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(f"branch-{n % 2066}", f"item-{n % 20}", "2026-05", "2026-05-20", "王五", None, 1779000000 + n)
                        for n in range(5000)])

    env = dict(os.environ, PLANKEEPER_LOG="stderr")
    env.pop("PLANKEEPER_CONFIG", None)
    tick = subprocess.Popen([str(binary()), "tick", "--config", str(config), "--now", DAY], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    copies = []
    try:
        n = 0
        while tick.poll() is None or n < 3:
            n += 1
            add_record(ledger, n)
            expected = records(ledger)
            dest = workdir / f"backup-{n}"
            result = run("backup", "--config", str(config), str(dest), timeout=300)
            assert result.returncode == 0, f"backup {n} failed during the tick: {result.stderr}"
            copy = dest / "plankeeper.sqlite"
            assert sorted(os.listdir(dest)) == ["plankeeper.sqlite"], os.listdir(dest)
            with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as db:
                assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
                handled = db.execute("SELECT count(*) FROM handled_notice").fetchone()[0]
            have = records(copy)
            # Every record committed before this backup began, exactly.
            assert have[:len(expected)] == expected, f"backup {n} lost or changed records"
            copies.append((n, len(have), handled, tick.poll() is None))
            if n > 1:
                shutil.rmtree(dest)  # tmpfs is memory
    finally:
        out, _ = tick.communicate(timeout=600)
    assert tick.returncode == 0, out
    during = [c for c in copies if c[3]]
    assert during, "no backup was taken while the tick ran"
    with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True) as db:
        final_handled = db.execute("SELECT count(*) FROM handled_notice").fetchone()[0]
    assert final_handled > 5000, f"the tick recorded only {final_handled} notices"
    # A backup sees the tick's ledger write as a whole or not at all.
    assert all(c[2] in (0, final_handled) for c in copies), [c[2] for c in copies]
    print(f"{len(copies)} backups, {len(during)} during the tick; handled rows seen: {sorted({c[2] for c in copies})}")

    # The same folder twice: refused, the first backup untouched.
    again = run("backup", "--config", str(config), str(workdir / "backup-1"))
    assert again.returncode == 1 and "已存在" in again.stderr
    # prune: only sent-notice rows; the records stay, row for row.
    before = records(ledger)
    dry = run("prune", "--config", str(config), "--before", "2026-06-15", "--dry-run")
    assert dry.returncode == 0 and "--dry-run" in dry.stdout
    pruned = run("prune", "--config", str(config), "--before", "2026-06-15")
    assert pruned.returncode == 0, pruned.stderr
    with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True) as db:
        left = db.execute("SELECT count(*) FROM handled_notice WHERE scheduled_for < '2026-06-15'").fetchone()[0]
        kept = db.execute("SELECT count(*) FROM handled_notice").fetchone()[0]
    assert left == 0 and 0 < kept < final_handled, (left, kept, final_handled)
    assert records(ledger) == before
