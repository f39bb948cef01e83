#!/usr/bin/env python3
"""Generate a synthetic city of branch work plans, and the same year as a Remind file.

    python3 Benchmarks/generate_city.py --branches 2066 --year 2026 --out DIR [--remind FILE]

writes one plan file per party branch, DIR/<id>.yaml, in the format fixed by the
plan contract (docs/plan-format.md), and with --remind an equivalent reminders
file for Debian's `remind` (run as `remind -s12 FILE 1 Jan YEAR`).

The plans are modelled on the samples in plans/ (internal-medicine-1-2026.yaml,
surgery-2-2026.yaml): about 20 items per branch covering the obligations of the
domain brief (三会一课, 主题党日, 组织生活会, 民主评议, 谈心谈话, 意识形态,
廉政, 党费, 节前提醒 before each holiday, 发展党员 and 红色教育 counts, the
secretary's annual report), every period, every day rule and shift, contacts
with lists, per-item notices, and Chinese comments like the ones staff write,
so a generated file is about as long as a sample one (3-4 KB).

A city has 12 hospitals (the supervised units of a city health commission),
branches spread over them by size; above 2,400 branches the hospitals are
repeated in further districts (10,000 branches is a province rather than a city).

The Remind file expresses the Chinese working-day calendar as Remind can:
an OMIT list with the plan year's official days off, and an OMITFUNC `_off`
that also omits Saturdays and Sundays except the year's make-up working days
(调休上班). Each item becomes one Remind rule per period month it needs: a
monthly item is one rule (`REM 25 BEFORE OMITFUNC _off`), a quarterly item
four yearly rules (one per quarter's month), and so on; `shift: earlier` is
Remind's BEFORE, `later` is AFTER, `none` neither; `last-workday` is the idiom
`REM 1 <next month> -1 OMITFUNC _off`, `last-WEEKDAY` is `REM Fri 1 <next
month> --7`, `Nth-WEEKDAY` is `REM Tue 8 <month>`; `before: HOLIDAY, workdays: N`
is `REM <first day of the break> -N OMITFUNC _off` with the break's first day
taken from the holiday list (Remind has no lunar calendar). Where this is only
approximately the same as plankeeper's rules is said in docs/benchmarks.md.

The output is a pure function of the arguments: the same command always writes
the same bytes. Only the standard library is used; the YAML is written by hand
(2-space indent, no anchors or aliases, no `on:` key; `MM-DD` day rules are
quoted so that no reader can take them for anything but a string).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HOLIDAY_DIR = os.path.join(HERE, "..", "Sources", "WorkCalendar", "Holidays")

# 12 hospitals (the supervised units of a city health commission): name, slug, weight.
HOSPITALS = [
    ("第一人民医院", "rmyy1", 3.0),
    ("第二人民医院", "rmyy2", 2.6),
    ("第三人民医院", "rmyy3", 2.0),
    ("中心医院", "zxyy", 2.4),
    ("中医院", "zyy", 1.6),
    ("妇幼保健院", "fybjy", 1.2),
    ("儿童医院", "etyy", 1.0),
    ("肿瘤医院", "zlyy", 1.0),
    ("精神卫生中心", "jswszx", 0.7),
    ("传染病医院", "crbyy", 0.6),
    ("口腔医院", "kqyy", 0.5),
    ("眼科医院", "ykyy", 0.4),
]

# Further districts, used only above 2,400 branches.
DISTRICTS = [("", ""), ("东城区", "dc"), ("西城区", "xc"), ("南山区", "ns"), ("北湖区", "bh"),
             ("江滨区", "jb"), ("高新区", "gx"), ("临港区", "lg"), ("河西区", "hx"), ("新城区", "xinc")]
BRANCHES_PER_DISTRICT = 2400

# Departments (party branches usually follow the clinical departments).
DEPARTMENTS = [
    ("内科", "neike"), ("外科", "waike"), ("心血管内科", "xnk"), ("呼吸内科", "hxnk"),
    ("消化内科", "xhnk"), ("神经内科", "sjnk"), ("肾内科", "snk"), ("内分泌科", "nfmk"),
    ("普外科", "pwk"), ("骨科", "guke"), ("神经外科", "sjwk"), ("胸外科", "xwk"),
    ("泌尿外科", "mnwk"), ("妇产科", "fck"), ("儿科", "erke"), ("急诊科", "jzk"),
    ("重症医学科", "zzyxk"), ("麻醉科", "mzk"), ("眼科", "yanke"), ("耳鼻喉科", "ebhk"),
    ("口腔科", "kqk"), ("皮肤科", "pfk"), ("康复医学科", "kfyxk"), ("中医科", "zyk"),
    ("感染科", "grk"), ("肿瘤科", "zlk"), ("放射科", "fsk"), ("超声科", "csk"),
    ("检验科", "jyk"), ("病理科", "blk"), ("药剂科", "yjk"), ("护理部", "hlb"),
    ("门诊部", "mzb"), ("医务部", "ywb"), ("行政", "xingzheng"), ("后勤", "houqin"),
    ("信息中心", "xxzx"), ("离退休", "ltx"),
]

ORDINALS = ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力新宇浩凯鹏飞晨曦欣怡思雨佳琪子涵梓萱博文睿泽"

MONTH_RULES = ["25", "last-workday", "first-workday", "2nd-tue", "last-fri", "20", "15", "28", "last-day",
               "1st-fri", "last-thu", "3rd-wed", "2nd-fri", "10"]
PERIOD_RULES = ["last-workday", "25", "2nd-tue", "last-fri", "20", "last-day", "1st-mon", "2nd-thu", "15"]
SHIFTS = [None, None, None, "earlier", "later", "none"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ORDINAL_WORDS = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}

# Plan-file holiday names and the name (part) of the holiday-list entry that holds them.
HOLIDAY_KEYS = {"元旦": "元旦", "春节": "春节", "清明": "清明", "劳动节": "劳动节", "端午": "端午", "中秋": "中秋", "国庆": "国庆"}

# What staff write beside a rule (the samples comment most lines).
RULE_COMMENTS = {
    "25": "每月 25 日，遇休息日提前", "20": "20 日前完成", "15": "月中固定开展", "28": "28 日前报送",
    "10": "每月 10 日前", "last-workday": "最后一个工作日", "first-workday": "第一个工作日（含调休上班日）",
    "last-day": "最后一天", "last-fri": "最后一个周五", "last-thu": "最后一个周四", "1st-fri": "第一个周五",
    "2nd-tue": "第二个周二", "3rd-wed": "第三个周三", "2nd-fri": "第二个周五", "1st-mon": "第一个周一",
    "2nd-thu": "第二个周四",
}


def slug_ok(s: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]*", s)) and len(s) <= 64


def distribute(total: int, weights: list[float]) -> list[int]:
    """Split `total` over the weights (largest remainder), at least 1 each when possible."""
    n = len(weights)
    if total < n:
        return [1 if i < total else 0 for i in range(n)]
    base = [1] * n
    rest = total - n
    wsum = sum(weights)
    shares = [rest * w / wsum for w in weights]
    floors = [int(s) for s in shares]
    left = rest - sum(floors)
    order = sorted(range(n), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [b + f for b, f in zip(base, floors)]


def person(rng: random.Random, user: str, host: str) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return f"{rng.choice(SURNAMES)}{given} <{user}@{host}>"


# MARK: Items


def every_item(rng, iid, title, period, due, comment=None, shift_ok=True, extra=None):
    item = {"id": iid, "title": title, "every": period, "due": due}
    if shift_ok and due not in ("first-workday", "last-workday"):
        s = rng.choice(SHIFTS)
        if s:
            item["shift"] = s
    if extra:
        item.update(extra)
    item["#"] = comment if comment is not None else RULE_COMMENTS.get(due)
    return item


def branch_items(rng: random.Random, year: int) -> list[tuple[str, list[dict]]]:
    """About 20 items in sections, like the sample branch plans."""
    meetings = [
        every_item(rng, "branch-committee", "支部委员会会议", "month", rng.choice(["25", "last-workday", "20", "last-wed"])),
        every_item(rng, "party-group", "党小组会", "month", rng.choice(["first-workday", "2nd-tue", "15", "last-thu"]),
                   extra={"notify": ["secretary", "groups"]} if rng.random() < 0.5 else None),
        every_item(rng, "member-assembly", "支部党员大会", "quarter", rng.choice(PERIOD_RULES),
                   extra={"notify": ["secretary", "organizer"]} if rng.random() < 0.5 else None),
        every_item(rng, "party-lecture", rng.choice(["党课", "党课（支部书记讲党课）"]),
                   rng.choice(["quarter", "quarter", "half-year"]), rng.choice(PERIOD_RULES)),
    ]
    study = [
        every_item(rng, "theme-day", "主题党日活动", "month", rng.choice(MONTH_RULES),
                   extra={"notify": ["secretary", "propaganda"]}),
    ]
    if rng.random() < 0.6:
        study.append(every_item(rng, "study-exchange", "学习交流活动", "quarter", rng.choice(PERIOD_RULES),
                                extra={"notify": ["propaganda"]}))
    mn, mx = rng.choice([(2, 3), (2, 3), (2, 4), (1, 2)])
    study.append({"id": "red-education", "title": "红色主题教育活动（参观革命纪念馆、烈士陵园）",
                  "times": f"{mn}..{mx}", "within": "year", "remind": ["30d", "7d"]})
    life = rng.choice(["half-year", "year", "year"])
    if life == "year":
        life_due = rng.choice(["12-25", "12-15", "11-30", "last-workday"])
        life_note = "年度组织生活会，第四季度召开"
    else:
        life_due = rng.choice(["last-fri", "last-workday", "25"])
        life_note = "每半年一次"
    org = [
        every_item(rng, "org-life", "组织生活会", life, life_due, comment=life_note,
                   extra={"escalate": {"after": "5wd", "to": ["office"]}} if rng.random() < 0.4 else None),
    ]
    if rng.random() < 0.8:
        org.append(every_item(rng, "member-review", "民主评议党员", "year", rng.choice(["12-31", "12-28", "12-25", "last-fri", "last-workday"])))
    org.append(every_item(rng, "heart-talk", "谈心谈话（支部书记与支委、党员逐一谈心）", rng.choice(["half-year", "year"]),
                          rng.choice(["last-workday", "25", "last-fri"])))
    dn, dx = rng.choice([(1, 2), (1, 1), (2, 3)])
    org.append({"id": "member-development", "title": "发展党员（接收预备党员）", "times": f"{dn}..{dx}" if dn != dx else dn,
                "within": "year", "notify": ["secretary", "organizer"]})
    if rng.random() < 0.8:
        org.append(every_item(rng, "party-dues", "党费收缴", "month", rng.choice(["10", "15", "first-workday", "last-workday", "last-day"]),
                              extra={"notify": ["organizer"], "remind": ["3wd"]}))
    else:
        org.append(every_item(rng, "party-dues", "党费收缴（按季度）", "quarter", rng.choice(["first-workday", "15"]),
                              extra={"notify": ["organizer"]}))
    integrity = [
        every_item(rng, "ideology", "意识形态工作分析研判", "half-year", rng.choice(["last-workday", "20", "2nd-tue"]),
                   extra={"notify": ["secretary", "propaganda"], "escalate": {"after": "5wd", "to": ["office", "secretary"]}}),
        every_item(rng, "integrity-lecture", "廉政教育讲座", "quarter", rng.choice(PERIOD_RULES),
                   extra={"notify": ["secretary", "discipline"]}),
    ]
    slugs = {"元旦": "yuandan", "春节": "chunjie", "清明": "qingming", "劳动节": "laodong", "端午": "duanwu", "中秋": "zhongqiu", "国庆": "guoqing"}
    for hol in ("元旦", "春节", "劳动节", "端午", "中秋", "国庆"):
        if hol in ("春节", "国庆") or rng.random() < 0.75:
            integrity.append({"id": f"integrity-{slugs[hol]}", "title": f"节前廉洁提醒（{hol}）", "before": hol,
                              "workdays": rng.choice([2, 3, 3, 5]), "notify": ["secretary", "discipline"]})
    year_end = [
        every_item(rng, "secretary-report", "党支部书记抓党建述职评议（提交述职报告）", "year", rng.choice(["12-20", "12-18", "12-25"]),
                   extra={"notify": ["secretary", "office"], "remind": ["7d", "3wd", "1d"]}),
    ]
    if rng.random() < 0.5:
        year_end.append({"id": "summary", "title": f"{year} 年度党建工作总结报党委", "date": f"{year}-12-{rng.choice([15, 20, 28, 31])}",
                         "notify": ["secretary", "office"], "#": "一次性事项"})
    return [("“三会一课”", meetings), ("主题党日与学习", study), ("组织生活", org),
            ("意识形态与党风廉政", integrity), ("年终", year_end)]


# MARK: YAML


def q(s: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_value(v) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(str(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {render_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if re.fullmatch(r"\d\d-\d\d", s):  # MM-DD: always a string
        return q(s)
    return s


def with_comment(line: str, comment: str | None, width: int = 34) -> str:
    if not comment:
        return line
    return line + " " * max(1, width - len(line)) + "# " + comment


def render_plan(plan: dict) -> str:
    out = [f"# {plan['owner']} {plan['year']} 年党建工作计划（Benchmarks/generate_city.py 生成的基准测试数据）",
           "# 严格落实“三会一课”、组织生活会、民主评议党员、谈心谈话等制度。"]
    for key in ("id", "title", "owner", "year"):
        out.append(f"{key}: {plan[key]}")
    out.append("contacts:")
    for role, (who, note) in plan["contacts"].items():
        if isinstance(who, list) and len(who) > 1 and len(", ".join(who)) < 60:
            out.append(with_comment(f"  {role}: [{', '.join(who)}]", note, 60))
        elif isinstance(who, list):
            out.append(with_comment(f"  {role}:", note, 60))
            for p in who:
                out.append(f"    - {p}")
        else:
            out.append(with_comment(f"  {role}: {who}", note, 60))
    out.append("defaults:")
    for k, v in plan["defaults"].items():
        out.append(f"  {k}: {render_value(v)}")
    out.append("items:")
    for section, items in plan["sections"]:
        out.append(f"  # ---- {section} ----")
        for item in items:
            first = True
            comment = item.get("#")
            for k, v in item.items():
                if k == "#":
                    continue
                prefix = "  - " if first else "    "
                line = f"{prefix}{k}: {render_value(v)}"
                if k in ("due", "date"):
                    line = with_comment(line, comment)
                out.append(line)
                first = False
    return "\n".join(out) + "\n"


# MARK: The city


def make_city(branches: int, year: int, seed: int) -> list[dict]:
    rng = random.Random(f"plankeeper-city/{seed}/{year}")
    districts = -(-branches // BRANCHES_PER_DISTRICT)
    if districts > len(DISTRICTS):
        raise SystemExit(f"at most {len(DISTRICTS) * BRANCHES_PER_DISTRICT} branches")
    hospitals = [(dname + hname, (dslug + "-" if dslug else "") + hslug, w)
                 for dname, dslug in DISTRICTS[:districts] for hname, hslug, w in HOSPITALS]
    counts = distribute(branches, [w for _, _, w in hospitals])
    plans = []
    seen = set()
    for (hname, hslug, _), n in zip(hospitals, counts):
        host = f"{hslug}.hospital.example"
        office = f"党委办公室 <dangban@{host}>"
        zuzhi = f"组织科 <zuzhike@{host}>"
        discipline = f"纪委办公室 <jiwei@{host}>"
        # Branches of a hospital: departments in order, then second branches, ...
        slots = [(d, o) for o in range(len(ORDINALS)) for d in range(len(DEPARTMENTS))]
        if n > len(slots):
            raise SystemExit(f"too many branches for {hname}: {n} > {len(slots)}")
        for dept_i, ord_i in slots[:n]:
            dname, dslug = DEPARTMENTS[dept_i]
            owner = f"{hname}{dname}{ORDINALS[ord_i]}党支部"
            pid = f"{hslug}-{dslug}-{ord_i + 1}-{year}"
            assert slug_ok(pid) and pid not in seen, pid
            seen.add(pid)
            user = f"{dslug}{ord_i + 1}"
            contacts = {
                "secretary": (person(rng, f"{user}.shuji", host), "支部书记"),
                "organizer": (person(rng, f"{user}.zuzhi", host), "组织委员（兼党费收缴）"),
                "propaganda": (person(rng, f"{user}.xuanchuan", host), "宣传委员"),
                "discipline": ([person(rng, f"{user}.jijian", host), discipline] if rng.random() < 0.5 else discipline,
                               "纪检委员"),
                "groups": ([person(rng, f"{user}.xiaozu{i + 1}", host) for i in range(rng.choice([1, 2, 2, 3]))], "党小组组长"),
                "office": ([office, zuzhi] if rng.random() < 0.5 else office, "党委办公室"),
            }
            defaults = {
                "remind": rng.choice([["7d", "1d"], ["3wd", "1d"], ["7d", "3wd"], ["7d", "3wd", "1d"], ["3wd"], ["7d"]]),
                "notify": ["secretary"] if rng.random() < 0.6 else ["secretary", "organizer"],
                "escalate": {"after": rng.choice(["3wd", "5wd", "7d"]), "to": ["office"]},
            }
            plans.append({
                "id": pid,
                "title": f"{owner} {year} 年党建工作计划",
                "owner": owner,
                "year": year,
                "contacts": contacts,
                "defaults": defaults,
                "sections": branch_items(rng, year),
            })
    return plans


# MARK: The calendar, from the shipped holiday lists


def parse_holiday_file(path: str) -> dict:
    """The shipped holiday YAML (a fixed, simple shape): year, and per holiday its name, off days, make-up days."""
    year = None
    holidays = []

    def days(text: str) -> list[dt.date]:
        text = text.split("#", 1)[0].strip()
        if text.startswith("["):
            text = text[1:-1]
        out = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            ends = part.split("..")
            first, last = (parse_day(e.strip(), year) for e in (ends[0], ends[-1]))
            d = first
            while d <= last:
                out.append(d)
                d += dt.timedelta(days=1)
        return out

    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if m := re.match(r"year:\s*(\d{4})", line):
            year = int(m.group(1))
        elif m := re.match(r"\s*- name:\s*(.+?)\s*$", line):
            holidays.append({"name": m.group(1), "off": [], "workdays": []})
        elif m := re.match(r"\s+off:\s*(.+)$", line):
            holidays[-1]["off"] = days(m.group(1))
        elif m := re.match(r"\s+workdays:\s*(.+)$", line):
            holidays[-1]["workdays"] = days(m.group(1))
    return {"year": year, "holidays": holidays}


def parse_day(text: str, year: int) -> dt.date:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return dt.date.fromisoformat(text)
    m, d = text.split("-")
    return dt.date(year, int(m), int(d))


class Calendar:
    """Just enough of plankeeper's working-day calendar for the Remind file."""

    def __init__(self, year: int):
        self.year = year
        self.lists = {}
        for y in (year, year + 1):
            path = os.path.join(HOLIDAY_DIR, f"cn-{y}.yaml")
            if os.path.exists(path):
                self.lists[y] = parse_holiday_file(path)
        if year not in self.lists:
            raise SystemExit(f"--remind needs the official holiday list of {year} (Sources/WorkCalendar/Holidays/cn-{year}.yaml)")
        self.off = {d: h["name"] for lst in self.lists.values() for h in lst["holidays"] for d in h["off"]}
        self.makeup = {d for lst in self.lists.values() for h in lst["holidays"] for d in h["workdays"]}
        if year + 1 not in self.lists:
            self.off[dt.date(year + 1, 1, 1)] = "元旦"  # the statutory day, as plankeeper assumes without a list

    def is_off(self, d: dt.date) -> bool:
        return d in self.off or (d.weekday() >= 5 and d not in self.makeup)

    def break_start(self, holiday: str) -> dt.date:
        """First off day of the break holding the holiday (元旦: the New Year that ends the year)."""
        if holiday == "元旦":
            d = dt.date(self.year + 1, 1, 1)
        else:
            key = HOLIDAY_KEYS[holiday]
            entries = [h for h in self.lists[self.year]["holidays"] if key in h["name"] and h["off"]]
            if not entries:
                raise SystemExit(f"no {holiday} in the {self.year} holiday list")
            d = min(entries[0]["off"])
        while self.is_off(d - dt.timedelta(days=1)):
            d -= dt.timedelta(days=1)
        return d


# MARK: Remind

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half-year": 6, "year": 12}


def remind_triggers(item: dict, cal: Calendar) -> list[str]:
    """Remind trigger specs (everything before MSG) that give the item's due dates."""
    if "before" in item:
        start = cal.break_start(item["before"])
        return [f"{start.isoformat()} -{item['workdays']} OMITFUNC _off"]
    if "date" in item:
        return [f"{item['date']}{shift_word(item)} OMITFUNC _off"]
    if "times" in item:
        period, rule, shift = item["within"], "last-workday", ""
    else:
        period, rule, shift = item["every"], str(item["due"]), shift_word(item)
    n = PERIOD_MONTHS[period]
    monthly = n == 1
    out = []
    for first in range(1, 13, n) if not monthly else [None]:
        last = None if monthly else first + n - 1
        mon = "" if monthly else " " + MONTHS[last - 1]
        nxt = "" if monthly else " " + MONTHS[last % 12]
        start = "" if monthly else " " + MONTHS[first - 1]
        if re.fullmatch(r"\d+", rule):
            if int(rule) > 28:
                raise SystemExit(f"due: {rule} past the 28th has no exact Remind rule (months without that day)")
            spec = f"{rule}{mon}"
        elif m := re.fullmatch(r"(\d\d)-(\d\d)", rule):
            spec = f"{int(m.group(2))} {MONTHS[int(m.group(1)) - 1]}"
        elif rule == "last-day":
            spec = f"1{nxt} --1"
        elif rule == "last-workday":
            spec, shift = f"1{nxt} -1", ""
        elif rule == "first-workday":
            spec, shift = f"1{start} AFTER", ""
        elif m := re.fullmatch(r"(1st|2nd|3rd|4th)-(\w{3})", rule):
            spec = f"{m.group(2).capitalize()} {1 + 7 * (ORDINAL_WORDS[m.group(1)] - 1)}{mon}"
        elif m := re.fullmatch(r"last-(\w{3})", rule):
            spec = f"{m.group(1).capitalize()} 1{nxt} --7"
        else:
            raise SystemExit(f"no Remind rule for due: {rule}")
        out.append(f"{spec}{shift} OMITFUNC _off")
    return out


def shift_word(item: dict) -> str:
    return {"earlier": " BEFORE", "later": " AFTER", "none": ""}[item.get("shift", "earlier")]


def render_remind(plans: list[dict], year: int) -> tuple[str, int]:
    cal = Calendar(year)
    lines = [
        f"# Generated by Benchmarks/generate_city.py: {len(plans)} branch plans for {year} as Remind rules.",
        f"# Run: remind -s12 FILE 1 Jan {year}",
        f"# The {year} official days off (国务院办公厅通知), as global OMITs:",
    ]
    off_year = sorted(d for d in cal.off if d.year == year and cal.lists.get(year))
    runs = []
    for d in off_year:
        if runs and d == runs[-1][1] + dt.timedelta(days=1):
            runs[-1][1] = d
        else:
            runs.append([d, d])
    for a, b in runs:
        lines.append(f"OMIT {a.isoformat()}" + (f" THROUGH {b.isoformat()}" if b != a else "") + f"  # {cal.off[a]}")
    makeup = sorted(d for d in cal.makeup if d.year == year)
    lines.append("# An off day: a global OMIT, or a Saturday or Sunday that is not a make-up working day (调休上班).")
    cond = " && ".join(f"x != '{d.isoformat()}'" for d in makeup) or "1"
    lines.append(f"FSET _off(x) isomitted(x) || ((wkdaynum(x) == 0 || wkdaynum(x) == 6) && {cond})")
    rules = 0
    for p in plans:
        lines.append(f"# {p['id']}")
        for _, items in p["sections"]:
            for item in items:
                for trig in remind_triggers(item, cal):
                    lines.append(f"REM {trig} MSG {p['id']} {item['id']} {item['title']}")
                    rules += 1
    return "\n".join(lines) + "\n", rules


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--branches", type=int, default=2066, help="number of branch plans (default 2066)")
    ap.add_argument("--year", type=int, default=2026, help="plan year (default 2026)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output folder (created; stale *.yaml in it are removed)")
    ap.add_argument("--remind", help="also write the equivalent Remind file here")
    args = ap.parse_args(argv)
    if args.branches < 1:
        ap.error("--branches must be at least 1")

    plans = make_city(args.branches, args.year, args.seed)
    os.makedirs(args.out, exist_ok=True)
    wanted = {p["id"] + ".yaml" for p in plans}
    for name in os.listdir(args.out):
        if name.endswith((".yaml", ".yml")) and name not in wanted:
            os.remove(os.path.join(args.out, name))
    items = 0
    for p in plans:
        items += sum(len(s) for _, s in p["sections"])
        path = os.path.join(args.out, p["id"] + ".yaml")
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(render_plan(p))
        os.replace(tmp, path)
    print(f"wrote {len(plans)} plans, {items} items ({items / len(plans):.1f} per plan) to {args.out}", file=sys.stderr)
    if args.remind:
        text, rules = render_remind(plans, args.year)
        tmp = args.remind + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, args.remind)
        print(f"wrote {rules} Remind rules to {args.remind}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
