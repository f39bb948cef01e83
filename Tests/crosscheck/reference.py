#!/usr/bin/env python3
"""Independent reference scheduler for plankeeper plan files.

Written from /work/shared/plan-format.md (the contract) and
/work/shared/domain.md only; it shares no code or data with the Swift
implementation:

* working days for 2024-2026 come from PyPI's ``chinese-calendar``;
* for any other year (e.g. 2027, which has no official list yet) a day is off
  when it is a Saturday/Sunday or one of the statutory festival days
  (rules in force since 2025), with lunar dates from PyPI's ``lunar-python``.

Usage as a script:  python3 reference.py PLAN.yaml...   -> JSON on stdout,
one object per occurrence: plan, item, title, period, due, reminders
(plus min/max for ``times`` items).
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import functools
import json
import re
import sys
from pathlib import Path

import chinese_calendar
import yaml
from lunar_python import Lunar

# Years for which the official State Council list is taken from chinese-calendar.
OFFICIAL_YEARS = frozenset({2024, 2025, 2026})

ONE = dt.timedelta(days=1)

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
ORDINALS = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
PERIOD_KINDS = ("month", "quarter", "half-year", "year")
HOLIDAYS = ("元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class PlanError(Exception):
    """A plan violates the contract (the tool must report it as an error)."""


class Unsupported(Exception):
    """An item uses a schedule kind outside the contract core (an extension)."""


# --------------------------------------------------------------------------
# Festivals and the calendar
# --------------------------------------------------------------------------

def _solar_to_date(solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@functools.lru_cache(maxsize=None)
def festivals(year: int) -> dict:
    """Gregorian dates of the lunar festivals and 清明 of a Gregorian year."""
    chunjie = _solar_to_date(Lunar.fromYmd(year, 1, 1).getSolar())
    chuxi = chunjie - ONE
    duanwu = _solar_to_date(Lunar.fromYmd(year, 5, 5).getSolar())
    zhongqiu = _solar_to_date(Lunar.fromYmd(year, 8, 15).getSolar())
    qingming = None
    for day in range(1, 11):
        if Lunar.fromDate(dt.datetime(year, 4, day)).getJieQi() == "清明":
            qingming = dt.date(year, 4, day)
            break
    if qingming is None:  # pragma: no cover - cannot happen
        raise RuntimeError(f"no 清明 found in April {year}")
    for name, d in (("除夕", chuxi), ("春节", chunjie), ("端午", duanwu), ("中秋", zhongqiu)):
        if d.year != year:  # pragma: no cover - cannot happen for these festivals
            raise RuntimeError(f"{name} of {year} computed as {d}")
    return {"除夕": chuxi, "春节": chunjie, "清明": qingming, "端午": duanwu, "中秋": zhongqiu}


@functools.lru_cache(maxsize=None)
def statutory_days(year: int) -> frozenset:
    """Statutory public-holiday days (rules since 2025), no make-up days."""
    f = festivals(year)
    days = {
        dt.date(year, 1, 1),                                   # 元旦
        f["除夕"], f["春节"], f["春节"] + ONE, f["春节"] + 2 * ONE,  # 春节, 4 days
        f["清明"],                                               # 清明
        dt.date(year, 5, 1), dt.date(year, 5, 2),              # 劳动节
        f["端午"],                                               # 端午
        f["中秋"],                                               # 中秋
        dt.date(year, 10, 1), dt.date(year, 10, 2), dt.date(year, 10, 3),  # 国庆
    }
    return frozenset(days)


def has_official_list(year: int) -> bool:
    return year in OFFICIAL_YEARS


@functools.lru_cache(maxsize=None)
def is_workday(d: dt.date) -> bool:
    if d.year in OFFICIAL_YEARS:
        return bool(chinese_calendar.is_workday(d))
    return d.weekday() < 5 and d not in statutory_days(d.year)


def prev_workday(d: dt.date) -> dt.date:
    """d itself if it is a working day, else the previous working day."""
    while not is_workday(d):
        d -= ONE
    return d


def next_workday(d: dt.date) -> dt.date:
    while not is_workday(d):
        d += ONE
    return d


def nth_workday_before(d: dt.date, n: int) -> dt.date:
    """The n-th working day strictly before d (n >= 1)."""
    count = 0
    while count < n:
        d -= ONE
        if is_workday(d):
            count += 1
    return d


# --------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------

def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _cal.monthrange(year, month)[1])


def periods(kind: str, year: int):
    """List of (label, first_day, last_day) for a period kind in a year."""
    if kind == "month":
        return [(f"{year}-{m:02d}", dt.date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if kind == "quarter":
        return [(f"{year}-Q{q}", dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)) for q in range(1, 5)]
    if kind == "half-year":
        return [(f"{year}-H{h}", dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h)) for h in (1, 2)]
    if kind == "year":
        return [(f"{year}", dt.date(year, 1, 1), dt.date(year, 12, 31))]
    raise PlanError(f"unknown period {kind!r}")


def first_workday(start: dt.date, end: dt.date) -> dt.date:
    d = start
    while not is_workday(d):
        d += ONE
        if d > end:
            raise PlanError(f"no working day in {start}..{end}")
    return d


def last_workday(start: dt.date, end: dt.date) -> dt.date:
    d = end
    while not is_workday(d):
        d -= ONE
        if d < start:
            raise PlanError(f"no working day in {start}..{end}")
    return d


# --------------------------------------------------------------------------
# Day rules
# --------------------------------------------------------------------------

DAY_N_RE = re.compile(r"^([1-9]|[12][0-9]|3[01])$")
MMDD_RE = re.compile(r"^(\d{2})-(\d{2})$")
WEEKDAY_RULE_RE = re.compile(r"^(1st|2nd|3rd|4th|last)-(mon|tue|wed|thu|fri|sat|sun)$")


def resolve_day_rule(rule: str, year: int, start: dt.date, end: dt.date) -> dt.date:
    """Raw (unshifted) date of a day rule in the period start..end."""
    last_month_year, last_month = end.year, end.month
    if DAY_N_RE.match(rule):
        n = int(rule)
        me = _month_end(last_month_year, last_month)
        return dt.date(last_month_year, last_month, min(n, me.day))
    m = MMDD_RE.match(rule)
    if m:
        try:
            d = dt.date(year, int(m.group(1)), int(m.group(2)))
        except ValueError as e:
            raise PlanError(f"invalid date {rule!r} in {year}: {e}")
        if not (start <= d <= end):
            raise PlanError(f"due {rule!r} lies outside period {start}..{end}")
        return d
    if rule == "last-day":
        return end
    if rule == "last-workday":
        return last_workday(start, end)
    if rule == "first-workday":
        return first_workday(start, end)
    m = WEEKDAY_RULE_RE.match(rule)
    if m:
        which, wd = m.group(1), WEEKDAYS[m.group(2)]
        if which == "last":
            d = _month_end(last_month_year, last_month)
            while d.weekday() != wd:
                d -= ONE
            return d
        d = dt.date(last_month_year, last_month, 1)
        while d.weekday() != wd:
            d += ONE
        return d + dt.timedelta(weeks=ORDINALS[which] - 1)
    raise PlanError(f"unknown day rule {rule!r}")


def apply_shift(d: dt.date, shift: str) -> dt.date:
    if shift == "earlier":
        return prev_workday(d)
    if shift == "later":
        return next_workday(d)
    if shift == "none":
        return d
    raise PlanError(f"unknown shift {shift!r}")


# --------------------------------------------------------------------------
# Holidays for `before:`
# --------------------------------------------------------------------------

def holiday_date(name: str, plan_year: int) -> dt.date:
    if name == "元旦":
        return dt.date(plan_year + 1, 1, 1)
    if name == "劳动节":
        return dt.date(plan_year, 5, 1)
    if name == "国庆":
        return dt.date(plan_year, 10, 1)
    if name in ("春节", "清明", "端午", "中秋"):
        return festivals(plan_year)[name]
    raise PlanError(f"unknown holiday {name!r}")


def break_start(d: dt.date) -> dt.date:
    """First day of the maximal run of consecutive off days containing d."""
    if is_workday(d):
        raise PlanError(f"holiday date {d} is a working day")
    while not is_workday(d - ONE):
        d -= ONE
    return d


def before_holiday(name: str, plan_year: int, n: int) -> dt.date:
    return nth_workday_before(break_start(holiday_date(name, plan_year)), n)


# --------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------

REMIND_RE = re.compile(r"^(\d+)(wd|d)$")


def reminder_dates(due: dt.date, offsets) -> list:
    out = set()
    for off in offsets:
        m = REMIND_RE.match(off)
        if not m:
            raise PlanError(f"bad remind offset {off!r}")
        n, unit = int(m.group(1)), m.group(2)
        if unit == "d":
            out.add(prev_workday(due - dt.timedelta(days=n)))
        else:
            if n == 0:
                out.add(prev_workday(due))
            else:
                out.add(nth_workday_before(due, n))
    return sorted(out)


# --------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------

def _as_list(v):
    if v is None:
        return []
    if isinstance(v, list):
        return v
    return [v]


def _parse_times(spec: str):
    m = re.match(r"^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$", spec)
    if not m:
        raise PlanError(f"bad times {spec!r}")
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) is not None else lo
    if lo > hi:
        raise PlanError(f"bad times {spec!r}: MIN > MAX")
    return lo, hi


SCHEDULE_KEYS = ("every", "before", "date", "times")


def load_plan(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        doc = yaml.load(fh, Loader=yaml.BaseLoader)
    if not isinstance(doc, dict):
        raise PlanError(f"{path}: not a mapping")
    return doc


def schedule_plan(doc: dict):
    """Return (occurrences, unsupported_items) for one parsed plan.

    Raises PlanError on a contract violation.
    """
    plan_id = doc.get("id")
    if not isinstance(plan_id, str) or not ID_RE.match(plan_id) or len(plan_id) > 64:
        raise PlanError(f"bad plan id {plan_id!r}")
    try:
        year = int(doc["year"])
    except (KeyError, ValueError, TypeError):
        raise PlanError("missing or bad year")
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise PlanError("defaults must be a mapping")
    items = doc.get("items")
    if not isinstance(items, list):
        raise PlanError("items must be a list")

    occurrences, unsupported, seen = [], [], set()
    for item in items:
        if not isinstance(item, dict):
            raise PlanError("item must be a mapping")
        iid, title = item.get("id"), item.get("title")
        if not isinstance(iid, str) or not ID_RE.match(iid):
            raise PlanError(f"bad item id {iid!r}")
        if iid in seen:
            raise PlanError(f"duplicate item id {iid!r}")
        seen.add(iid)
        kinds = [k for k in SCHEDULE_KEYS if k in item]
        if len(kinds) != 1:
            if not kinds:
                unsupported.append(iid)
                continue
            raise PlanError(f"item {iid}: more than one schedule {kinds}")
        kind = kinds[0]
        shift = item.get("shift", "earlier")
        remind = item["remind"] if "remind" in item else defaults.get("remind", [])
        remind = _as_list(remind)

        def emit(period, due, extra=None):
            occ = {"plan": plan_id, "item": iid, "title": title, "period": period,
                   "due": due.isoformat(),
                   "reminders": [r.isoformat() for r in reminder_dates(due, remind)]}
            if extra:
                occ.update(extra)
            occurrences.append(occ)

        if kind == "every":
            pk = item["every"]
            if pk not in PERIOD_KINDS:
                raise PlanError(f"item {iid}: bad period {pk!r}")
            rule = item.get("due")
            if not isinstance(rule, str):
                raise PlanError(f"item {iid}: every without due")
            for label, start, end in periods(pk, year):
                emit(label, apply_shift(resolve_day_rule(rule, year, start, end), shift))
        elif kind == "before":
            name = item["before"]
            if name not in HOLIDAYS:
                raise PlanError(f"item {iid}: unknown holiday {name!r}")
            n = int(item.get("workdays", "1"))
            if n < 1:
                raise PlanError(f"item {iid}: workdays must be >= 1")
            emit(str(year), before_holiday(name, year, n))
        elif kind == "date":
            try:
                d = dt.date.fromisoformat(item["date"])
            except ValueError:
                raise PlanError(f"item {iid}: bad date {item['date']!r}")
            emit(str(year), apply_shift(d, shift))
        elif kind == "times":
            lo, hi = _parse_times(item["times"])
            pk = item.get("within")
            if pk not in PERIOD_KINDS:
                raise PlanError(f"item {iid}: bad within {pk!r}")
            for label, start, end in periods(pk, year):
                emit(label, last_workday(start, end), {"min": lo, "max": hi})
    return occurrences, unsupported


def schedule_file(path):
    return schedule_plan(load_plan(path))


def main(argv):
    out, status = [], 0
    for p in argv:
        try:
            occ, unsupported = schedule_file(p)
            out.extend(occ)
            for iid in unsupported:
                print(f"{p}: item {iid}: schedule kind not in the contract core, not computed",
                      file=sys.stderr)
        except PlanError as e:
            print(f"{p}: error: {e}", file=sys.stderr)
            status = 1
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
