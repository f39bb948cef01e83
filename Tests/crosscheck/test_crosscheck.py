"""Cross-check the plankeeper binary against an independent Python reference.

The reference (reference.py) is written from plan-format.md and domain.md
only and takes its calendar from PyPI's chinese-calendar (2024-2026) and
lunar-python (festival dates, years without an official list).

Binary: $PLANKEEPER_BIN, default .build/debug/plankeeper; a relative path is
resolved against the repository root (two levels above this file). A missing
binary is a test failure, never a skip.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import chinese_calendar
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
import reference as ref  # noqa: E402

OFFICIAL_YEARS = (2024, 2025, 2026)
KINDS = {"workday", "weekend", "holiday", "makeup"}


# --------------------------------------------------------------------------
# Facts copied from domain.md (to check the reference's data sources too)
# --------------------------------------------------------------------------

def _span(y, a, b):
    a, b = dt.date.fromisoformat(f"{y}-{a}"), dt.date.fromisoformat(f"{y}-{b}")
    return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]


DOMAIN_OFF = {
    2024: ["01-01", ("02-10", "02-17"), ("04-04", "04-06"), ("05-01", "05-05"), "06-10",
           ("09-15", "09-17"), ("10-01", "10-07")],
    2025: ["01-01", ("01-28", "02-04"), ("04-04", "04-06"), ("05-01", "05-05"),
           ("05-31", "06-02"), ("10-01", "10-08")],
    2026: [("01-01", "01-03"), ("02-15", "02-23"), ("04-04", "04-06"), ("05-01", "05-05"),
           ("06-19", "06-21"), ("09-25", "09-27"), ("10-01", "10-07")],
}
DOMAIN_MAKEUP = {
    2024: ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"],
    2025: ["01-26", "02-08", "04-27", "09-28", "10-11"],
    2026: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
}
DOMAIN_FESTIVALS = {  # year: (除夕, 春节, 清明, 端午, 中秋)
    2024: ("02-09", "02-10", "04-04", "06-10", "09-17"),
    2025: ("01-28", "01-29", "04-04", "05-31", "10-06"),
    2026: ("02-16", "02-17", "04-05", "06-19", "09-25"),
    2027: ("02-05", "02-06", "04-05", "06-09", "09-15"),
}
FESTIVAL_KEYS = ("除夕", "春节", "清明", "端午", "中秋")


def _domain_off_set(year):
    out = set()
    for e in DOMAIN_OFF[year]:
        if isinstance(e, tuple):
            out.update(_span(year, *e))
        else:
            out.add(dt.date.fromisoformat(f"{year}-{e}"))
    return out


def _days(year):
    d = dt.date(year, 1, 1)
    while d.year == year:
        yield d
        d += dt.timedelta(days=1)


# --------------------------------------------------------------------------
# Binary helpers
# --------------------------------------------------------------------------

def binary_path() -> Path:
    p = Path(os.environ.get("PLANKEEPER_BIN", ".build/debug/plankeeper"))
    return p if p.is_absolute() else REPO / p


@pytest.fixture(scope="session")
def plankeeper() -> Path:
    p = binary_path()
    if not p.is_file() or not os.access(p, os.X_OK):
        pytest.fail(
            f"plankeeper binary not found or not executable: {p}\n"
            f"Build it (swift build) or point PLANKEEPER_BIN at it.",
            pytrace=False,
        )
    if Path("/etc/plankeeper/holidays").exists():
        warnings.warn("/etc/plankeeper/holidays exists: the tool reads admin holiday overrides "
                      "from it, so disagreements may come from local data")
    return p


def run_tool(binary, *args, timeout=300):
    # Hermetic: the shipped holiday data only, default language.
    env = {k: v for k, v in os.environ.items() if k not in ("PLANKEEPER_HOLIDAYS", "PLANKEEPER_LANG")}
    return subprocess.run([str(binary), *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, env=env)


def parse_json_stdout(proc, what):
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        pytest.fail(f"{what}: stdout is not JSON ({e}); exit={proc.returncode}\n"
                    f"stdout[:2000]={proc.stdout[:2000]!r}\nstderr[:2000]={proc.stderr[:2000]!r}",
                    pytrace=False)


def tool_calendar(binary, year):
    proc = run_tool(binary, "calendar", year, "--format", "json")
    assert proc.returncode == 0, (
        f"`plankeeper calendar {year} --format json` exited {proc.returncode}\n"
        f"stderr: {proc.stderr[:3000]}")
    data = parse_json_stdout(proc, f"calendar {year}")
    assert isinstance(data, list), f"calendar {year}: expected a JSON array, got {type(data).__name__}"
    return data, proc


def tool_schedule(binary, *paths, expect_rc=0):
    proc = run_tool(binary, "schedule", "--format", "json", *paths)
    assert proc.returncode == expect_rc, (
        f"`plankeeper schedule --format json {' '.join(map(str, paths))}` exited "
        f"{proc.returncode}, expected {expect_rc}\nstderr: {proc.stderr[:3000]}")
    data = parse_json_stdout(proc, f"schedule {paths}")
    assert isinstance(data, list), f"schedule: expected a JSON array, got {type(data).__name__}"
    return data, proc


# --------------------------------------------------------------------------
# Comparison of schedules
# --------------------------------------------------------------------------

REQUIRED_FIELDS = ("plan", "item", "title", "period", "due")


def compare_schedules(expected, got, ignore_items=()):
    """Return a list of human-readable problems (empty when they agree)."""
    problems = []
    ignore = set(ignore_items)
    got_by_key = {}
    for occ in got:
        missing = [f for f in REQUIRED_FIELDS if f not in occ]
        if missing:
            problems.append(f"occurrence without {missing}: {json.dumps(occ, ensure_ascii=False)}")
            continue
        key = (occ["plan"], occ["item"], occ["period"])
        if (occ["plan"], occ["item"]) in ignore:
            continue
        if key in got_by_key:
            problems.append(f"duplicate occurrence {key}")
        got_by_key[key] = occ
    exp_by_key = {(o["plan"], o["item"], o["period"]): o for o in expected}

    exp_set = {k + (o["due"],) for k, o in exp_by_key.items()}
    got_set = {k + (o["due"],) for k, o in got_by_key.items()}
    for t in sorted(exp_set - got_set):
        g = got_by_key.get(t[:3])
        if g is None:
            problems.append("missing  {} {} {}: expected due {}, tool has no such occurrence".format(*t))
        else:
            problems.append("due      {} {} {}: expected {}, got {}".format(*t, g["due"]))
    for t in sorted(got_set - exp_set):
        if t[:3] not in exp_by_key:
            problems.append("extra    {} {} {}: tool emits due {}, reference has none".format(*t))

    for key in sorted(exp_by_key.keys() & got_by_key.keys()):
        e, g = exp_by_key[key], got_by_key[key]
        if "reminders" not in g:
            problems.append("reminders {} {} {}: field missing in tool output".format(*key))
        elif g["reminders"] != e["reminders"]:
            problems.append("reminders {} {} {} (due {} / {}): expected {}, got {}".format(
                *key, e["due"], g["due"], e["reminders"], g["reminders"]))
        if g["title"] != e["title"]:
            problems.append("title    {} {} {}: expected {!r}, got {!r}".format(*key, e["title"], g["title"]))
        for f in ("min", "max"):  # only checked when the tool emits them
            if f in e and f in g and g[f] != e[f]:
                problems.append("{:8} {} {} {}: expected {}, got {}".format(f, *key, e[f], g[f]))
    return problems


def _fmt(problems, limit=200):
    head = "\n".join(problems[:limit])
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} disagreement(s) between plankeeper and reference.py:\n{head}{more}"


# --------------------------------------------------------------------------
# Plan files
# --------------------------------------------------------------------------

def _plan_files(folder):
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _is_plan(path):
    """Templates and rosters (docs/templates.md) live beside the plans but are
    not plans themselves; the Swift tests check what they expand to."""
    try:
        doc = ref.load_plan(path)
    except Exception:
        return True
    if "template" in doc:
        return False
    return not (("branches" in doc or "units" in doc) and "id" not in doc and "items" not in doc)


XC_PLANS = _plan_files(HERE / "plans")
REPO_PLANS = [p for p in _plan_files(REPO / "plans") if _is_plan(p)]
ALL_PLANS = XC_PLANS + REPO_PLANS


def _plan_id(p):
    return str(p.relative_to(REPO))


def test_plan_files_found():
    assert len(XC_PLANS) >= 6, f"expected >= 6 cross-check plans in {HERE / 'plans'}"
    if not REPO_PLANS:
        warnings.warn(f"no plan files in {REPO / 'plans'}: nothing from there was cross-checked")


def test_plan_ids_unique():
    ids = {}
    for p in ALL_PLANS:
        pid = ref.load_plan(p).get("id")
        assert pid not in ids, f"plan id {pid!r} used by both {ids.get(pid)} and {p}"
        ids[pid] = p


@pytest.mark.parametrize("plan_file", ALL_PLANS, ids=_plan_id)
def test_schedule_matches_reference(plankeeper, plan_file):
    doc = ref.load_plan(plan_file)
    try:
        expected, unsupported = ref.schedule_plan(doc)
    except ref.PlanError as e:
        # The reference finds an error: the tool must report it (exit 1) and leave the plan out.
        got, proc = tool_schedule(plankeeper, plan_file, expect_rc=1)
        assert not [o for o in got if o.get("plan") == doc.get("id")], (
            f"reference rejects {plan_file} ({e}) but the tool scheduled it")
        return
    got, proc = tool_schedule(plankeeper, plan_file)
    ignore = {(doc["id"], iid) for iid in unsupported}
    problems = compare_schedules(expected, got, ignore)
    if problems:
        print(_fmt(problems))
    assert not problems, _fmt(problems)
    year = int(doc["year"])
    if not ref.has_official_list(year):
        err = proc.stderr
        assert "warning" in err and str(year) in err, (
            f"{plan_file}: year {year} has no official list; expected a warning naming {year} "
            f"on stderr, got: {err[:2000]!r}")
    if unsupported:
        warnings.warn(f"{plan_file}: items {unsupported} use a schedule kind outside the contract "
                      f"core; reference.py did not compute them")


def test_schedule_whole_folder(plankeeper):
    """PATH may be a folder: all cross-check plans at once must give the union."""
    expected = []
    for p in XC_PLANS:
        expected.extend(ref.schedule_file(p)[0])
    got, _ = tool_schedule(plankeeper, HERE / "plans")
    problems = compare_schedules(expected, got)
    assert not problems, _fmt(problems)


# --------------------------------------------------------------------------
# Calendar
# --------------------------------------------------------------------------

def _check_calendar(data, year, is_work):
    problems = []
    days = list(_days(year))
    if len(data) != len(days):
        problems.append(f"{year}: {len(data)} entries, expected {len(days)} (one per day)")
    seen = [e.get("date") for e in data]
    if seen != [d.isoformat() for d in days]:
        problems.append(f"{year}: dates are not exactly the days of {year} in order")
    by_date = {e.get("date"): e for e in data}
    for d in days:
        e = by_date.get(d.isoformat())
        if e is None:
            problems.append(f"{d}: missing")
            continue
        want = is_work(d)
        weekend = d.weekday() >= 5
        kind = e.get("kind")
        if e.get("workday") is not want:
            problems.append(f"{d} ({d:%a}): workday expected {want}, got {e.get('workday')!r} (kind {kind})")
        if kind not in KINDS:
            problems.append(f"{d}: unknown kind {kind!r}")
            continue
        if (kind == "makeup") != (weekend and want):
            problems.append(f"{d} ({d:%a}): kind {kind!r}, but makeup expected={weekend and want}")
        if not weekend and want and kind != "workday":
            problems.append(f"{d} ({d:%a}): ordinary working day, got kind {kind!r}")
        if not weekend and not want and kind != "holiday":
            problems.append(f"{d} ({d:%a}): weekday off, expected kind 'holiday', got {kind!r}")
        if weekend and not want and kind not in ("weekend", "holiday"):
            problems.append(f"{d} ({d:%a}): weekend off, got kind {kind!r}")
    return problems


@pytest.mark.parametrize("year", OFFICIAL_YEARS)
def test_calendar_matches_chinese_calendar(plankeeper, year):
    data, _ = tool_calendar(plankeeper, year)
    problems = _check_calendar(data, year, lambda d: bool(chinese_calendar.is_workday(d)))
    assert not problems, f"{len(problems)} calendar problem(s):\n" + "\n".join(problems[:200])


def test_calendar_2027_statutory_fallback(plankeeper):
    """2027 has no official list: weekends plus statutory festival days only."""
    data, _ = tool_calendar(plankeeper, 2027)
    problems = _check_calendar(data, 2027, ref.is_workday)
    assert not problems, f"{len(problems)} calendar problem(s):\n" + "\n".join(problems[:200])


# --------------------------------------------------------------------------
# Domain traps, explicitly
# --------------------------------------------------------------------------

def _write_plan(tmp_path, pid, year, items_yaml):
    p = tmp_path / f"{pid}.yaml"
    p.write_text(
        f"id: {pid}\ntitle: 陷阱检查 {pid}\nowner: 测试党支部\nyear: {year}\n"
        f"contacts:\n  secretary: 测试 <test@hospital.example>\nitems:\n{items_yaml}",
        encoding="utf-8")
    return p


def _dues(occs):
    return {(o["item"], o["period"]): o["due"] for o in occs}


def test_trap_weekend_makeup_days_2026(plankeeper):
    data, _ = tool_calendar(plankeeper, 2026)
    by_date = {e["date"]: e for e in data}
    for d in ("2026-01-04", "2026-02-14", "2026-02-28"):
        assert by_date[d]["workday"] is True, f"{d} is a make-up working day: {by_date[d]}"
        assert by_date[d]["kind"] == "makeup", f"{d} should be kind makeup: {by_date[d]}"


def test_trap_before_chunjie_2026(plankeeper, tmp_path):
    p = _write_plan(tmp_path, "xc-trap-chunjie", 2026,
                    "  - id: notice\n    title: 春节节前提醒\n    before: 春节\n    workdays: 1\n")
    got, _ = tool_schedule(plankeeper, p)
    assert _dues(got) == {("notice", "2026"): "2026-02-14"}
    assert _dues(ref.schedule_file(p)[0]) == {("notice", "2026"): "2026-02-14"}


def test_trap_2025_midautumn_national_day_merged(plankeeper, tmp_path):
    p = _write_plan(tmp_path, "xc-trap-merged", 2025,
                    "  - id: mid\n    title: 中秋节前提醒\n    before: 中秋\n    workdays: 1\n"
                    "  - id: nat\n    title: 国庆节前提醒\n    before: 国庆\n    workdays: 1\n")
    got = _dues(tool_schedule(plankeeper, p)[0])
    assert got[("mid", "2025")] == got[("nat", "2025")] == "2025-09-30", got
    assert _dues(ref.schedule_file(p)[0]) == got


def test_trap_first_workday_and_feb28_2026(plankeeper, tmp_path):
    p = _write_plan(tmp_path, "xc-trap-q1", 2026,
                    "  - id: q\n    title: 季度首个工作日\n    every: quarter\n    due: first-workday\n"
                    "  - id: none\n    title: 28日\n    every: month\n    due: 28\n    shift: none\n"
                    "  - id: earlier\n    title: 28日\n    every: month\n    due: 28\n    shift: earlier\n"
                    "  - id: later\n    title: 28日\n    every: month\n    due: 28\n    shift: later\n")
    got = _dues(tool_schedule(plankeeper, p)[0])
    assert got[("q", "2026-Q1")] == "2026-01-04"
    for s in ("none", "earlier", "later"):
        assert got[(s, "2026-02")] == "2026-02-28", (s, got[(s, "2026-02")])
    assert _dues(ref.schedule_file(p)[0]) == got


# --------------------------------------------------------------------------
# The reference itself against domain.md (no binary needed)
# --------------------------------------------------------------------------

@pytest.mark.parametrize("year", OFFICIAL_YEARS)
def test_reference_calendar_matches_domain_md(year):
    off = _domain_off_set(year)
    makeup = {dt.date.fromisoformat(f"{year}-{m}") for m in DOMAIN_MAKEUP[year]}
    bad = []
    for d in _days(year):
        want = d not in off and (d.weekday() < 5 or d in makeup)
        if ref.is_workday(d) != want:
            bad.append(f"{d}: reference {ref.is_workday(d)}, domain.md {want}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("year", sorted(DOMAIN_FESTIVALS))
def test_reference_festivals_match_domain_md(year):
    f = ref.festivals(year)
    got = tuple(f[k].strftime("%m-%d") for k in FESTIVAL_KEYS)
    assert got == DOMAIN_FESTIVALS[year]


def test_festival_table_file():
    lines = (HERE / "festival-table.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "year\tchuxi\tchunjie\tqingming\tduanwu\tzhongqiu"
    rows = [l.split("\t") for l in lines[1:]]
    assert [int(r[0]) for r in rows] == list(range(2024, 2036))
    for r in rows:
        f = ref.festivals(int(r[0]))
        assert r[1:] == [f[k].isoformat() for k in FESTIVAL_KEYS], r
        # 清明 cross-checked against chinese-calendar's own solar-term table
        y = int(r[0])
        terms = dict((n, d) for d, n in chinese_calendar.get_solar_terms(dt.date(y, 4, 1), dt.date(y, 4, 10)))
        assert terms["清明"].isoformat() == r[3], (y, terms)
        # 除夕 is the day before 春节
        assert dt.date.fromisoformat(r[2]) - dt.date.fromisoformat(r[1]) == dt.timedelta(days=1)


def test_reference_traps():
    D = dt.date.fromisoformat
    assert ref.is_workday(D("2026-02-28")) and ref.is_workday(D("2026-01-04"))
    assert ref.before_holiday("春节", 2026, 1) == D("2026-02-14")
    assert ref.before_holiday("中秋", 2025, 1) == ref.before_holiday("国庆", 2025, 1) == D("2025-09-30")
    assert ref.first_workday(D("2026-01-01"), D("2026-03-31")) == D("2026-01-04")
    # 2027 fallback: statutory days only, no make-up days
    assert not ref.is_workday(D("2027-02-05"))   # 除夕, Friday
    assert not ref.is_workday(D("2027-02-08"))   # lunar 1/3, Monday
    assert ref.is_workday(D("2027-02-09"))
    assert ref.is_workday(D("2027-10-04"))       # 国庆 is only Oct 1-3 by statute
    assert ref.before_holiday("元旦", 2027, 1) == D("2027-12-31")
